package dev.backstop.core.engine;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.adl.allocation.RandomPolicy;
import dev.backstop.core.adl.allocation.WaterFillingPolicy;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.BackstopSpec.Resolution;
import dev.backstop.core.market.BackstopSpec.Trigger;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import org.agrona.collections.IntHashSet;

/**
 * The last resort after the insurance fund (MECHANISMS.md, "The common waterfall", step 4): the
 * market's {@link BackstopSpec} decides whether a bankrupt position is deleveraged against opposite
 * positions, or a shortfall is clawed back from winners' PnL or socialized over every position.
 * Every action moves value between engine accounts only, so the engine's conservation and
 * open-interest invariants hold for every preset.
 */
final class Backstop {

  private final Engine engine;
  private final Ledger ledger;
  private final Risk risk;

  Backstop(Engine engine, Ledger ledger, Risk risk) {
    this.engine = engine;
    this.ledger = ledger;
    this.risk = risk;
  }

  // ================================================================ deleveraging

  /**
   * Whether the full close of position {@code p} must be deleveraged: the market deleverages,
   * someone holds the opposite side, closing through the liquidity would leave a shortfall, and the
   * trigger fires for it.
   */
  boolean shouldDeleverage(int container, int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    BackstopSpec spec = m.config.backstop();
    if (!(spec.resolution() instanceof Resolution.Deleverage)) {
      return false;
    }
    // Cheap checks first: this runs on every full liquidation close of the market.
    long shortfall = engine.shortfallIfClosed(container, p);
    return shortfall > 0
        && fires(spec.trigger(), m, shortfall)
        && hasOpposite(m, container, ledger.posSize(p) < 0);
  }

  /** Whether some position other than the container's and protected liquidity is on a side. */
  private boolean hasOpposite(MarketState m, int container, boolean longs) {
    IntHashSet.IntIterator it = m.holders.iterator();
    while (it.hasNext()) {
      int q = it.nextValue();
      int c = ledger.posContainer(q);
      if (c != container
          && (ledger.posSize(q) > 0) == longs
          && !engine.isProtectedLiquidityAccount(c)
          && !engine.isPoolSide(c)) {
        return true;
      }
    }
    return false;
  }

  private boolean fires(Trigger trigger, MarketState m, long shortfall) {
    return switch (trigger) {
      case Trigger.FundCannotCover t -> ledger.fundBalance(m.fund) < shortfall;
      case Trigger.FundDrawdown t ->
          drawdownFires(t, m.fund) || ledger.fundBalance(m.fund) < shortfall;
      case Trigger.PnlFactor t -> false;
      case Trigger.LpExposure t -> false;
    };
  }

  /**
   * Bybit's 8-hour rule and OKX's decline rate: the fall of the fund from its highest balance in
   * the window switches deleveraging on at {@code startRate} and off again at {@code stopRate}
   * (hysteresis, held in the ledger per fund).
   */
  private boolean drawdownFires(Trigger.FundDrawdown t, int fund) {
    long balance = ledger.fundBalance(fund);
    long peak = ledger.fundPeakSince(fund, engine.now() - t.windowMillis());
    long drawdown =
        peak <= 0
            ? 0
            : Fixed.mulDiv(Math.max(0, peak - balance), Fixed.RATE_ONE, peak, RoundingMode.FLOOR);
    if (ledger.drawdownActive(fund) ? drawdown <= t.stopRate() : drawdown >= t.startRate()) {
      ledger.setDrawdownActive(fund, !ledger.drawdownActive(fund));
    }
    return ledger.drawdownActive(fund);
  }

  /**
   * Closes the whole of bankrupt position {@code p} against opposite-side positions chosen by the
   * market's policy, at the market's execution price. A policy that closes whole positions
   * (queue-full) closes the excess against the market's liquidity and reports it as overshoot; if
   * the opposite side holds too little, the rest closes through the liquidity as a liquidation.
   */
  void deleverage(int container, int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    Resolution.Deleverage resolution = (Resolution.Deleverage) m.config.backstop().resolution();
    long size = ledger.posSize(p);
    boolean selling = size > 0;
    long lots = Math.abs(size);
    long bankruptcy = risk.bankruptcyPrice(p);
    long price = executionPrice(m, bankruptcy);
    long deficit = Math.max(0, -risk.equity(container));

    int[] candidates = opposite(m, container, !selling);
    int[] counterparties = containersOf(candidates);
    CandidateBook book = positionBook(m, candidates);
    AllocationPolicy policy = reseeded(resolution.policy());
    Allocation allocation = Allocator.allocate(policy, book, AllocationMode.SIZE, lots);

    long remaining = lots;
    long taken = 0;
    long takenValue = 0;
    long overshoot = 0;
    long rank = 0;
    for (int i : rankOrder(book, policy, allocation)) {
      long closing = allocation.sizeClosed(i);
      int counterparty = counterparties[i];
      long fromBankrupt = Math.min(closing, remaining);
      long excess = closing - fromBankrupt;
      if (fromBankrupt > 0) {
        fill(m, counterparty, container, selling, fromBankrupt, price);
        remaining -= fromBankrupt;
        engine.emit(
            new Event.Deleveraged(
                engine.nextSeq(),
                engine.now(),
                m.name,
                engine.accountNameOf(container),
                engine.marginName(container),
                engine.accountNameOf(counterparty),
                engine.marginName(counterparty),
                Engine.size(m, selling ? -fromBankrupt : fromBankrupt),
                Engine.price(m, price),
                Engine.price(m, m.mark),
                Engine.price(m, bankruptcy),
                policy.name()));
      }
      if (excess > 0) {
        fill(m, counterparty, engine.liquidityMaker(m, counterparty), selling, excess, price);
        overshoot += excess;
      }
      taken += closing;
      takenValue =
          Math.addExact(
              takenValue,
              offsetting(
                  m,
                  counterparty,
                  container,
                  selling,
                  closing,
                  price,
                  ++rank,
                  policy.score(book, i),
                  policy.name(),
                  "against a bankrupt position"));
    }
    if (remaining > 0) {
      engine.close(container, p, remaining, true);
    }
    settleEmptied(m, counterparties);
    emitApplied(
        container,
        m,
        "deleverage",
        policy.name(),
        deficit,
        takenValue,
        new long[] {lots, taken, overshoot},
        0);
  }

  /**
   * A deleveraging fill of {@code lots} at {@code price}: the counterparty buys from {@code other}
   * when {@code counterpartyBuys}, else sells to it.
   */
  private void fill(
      MarketState m, int counterparty, int other, boolean counterpartyBuys, long lots, long price) {
    int buyer = counterpartyBuys ? counterparty : other;
    int seller = counterpartyBuys ? other : counterparty;
    engine.executeFill(
        m, buyer, seller, lots, price, !counterpartyBuys, Event.FillKind.DELEVERAGE, false);
  }

  /**
   * Announces a counterparty's offsetting fill ({@code offsetting} and a trader notice) and returns
   * what it gave up against a close at mark.
   */
  private long offsetting(
      MarketState m,
      int counterparty,
      int offset,
      boolean counterpartyBought,
      long lots,
      long price,
      long rank,
      long score,
      String rule,
      String why) {
    long clawed = Risk.value(m, lots, counterpartyBought ? price - m.mark : m.mark - price);
    Decimal signedSize = Engine.size(m, counterpartyBought ? lots : -lots);
    engine.emit(
        new Event.Offsetting(
            engine.nextSeq(),
            engine.now(),
            m.name,
            engine.accountNameOf(counterparty),
            engine.marginName(counterparty),
            engine.accountNameOf(offset),
            signedSize,
            Engine.price(m, price),
            Engine.price(m, m.mark),
            rank,
            Decimal.ofUnits(score, Fixed.RATE_DECIMALS),
            Engine.money(clawed),
            rule));
    engine.emit(
        new Event.TraderNotice(
            engine.nextSeq(),
            engine.now(),
            engine.accountNameOf(counterparty),
            engine.marginName(counterparty),
            m.name,
            "auto_deleveraging",
            signedSize,
            Engine.price(m, price),
            Engine.money(clawed),
            "Your "
                + m.name
                + " position was auto-deleveraged: "
                + Engine.size(m, lots)
                + " closed at "
                + Engine.price(m, price)
                + " (mark "
                + Engine.price(m, m.mark)
                + ") "
                + why
                + "."));
    return clawed;
  }

  /**
   * A deleveraging fill away from mark can cost a counterparty more than its equity; one left with
   * no position and negative collateral goes through the same waterfall as a liquidation (fund,
   * then the market's resolution, then bad debt). Positions still open are left to the engine's
   * settle loop, which liquidates them.
   */
  private void settleEmptied(MarketState m, int[] containers) {
    for (int c : containers) {
      if (ledger.positions(c).isEmpty() && ledger.cash(c) < 0) {
        engine.settleClosedAccount(c, m);
      }
    }
  }

  private int[] containersOf(int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = ledger.posContainer(positions[i]);
    }
    return out;
  }

  // ================================================================ LP triggers on price ticks

  /**
   * The tick-time triggers of LP-counterparty markets, evaluated after a price update of {@code m}:
   * GMX v2's PnL factor and Tradoor's LP exposure.
   */
  boolean afterPrice(MarketState m) {
    return switch (m.config.backstop().trigger()) {
      case Trigger.PnlFactor t -> pnlFactor(m, t, true) | pnlFactor(m, t, false);
      case Trigger.LpExposure t -> lpExposure(m);
      case Trigger.FundCannotCover t -> false;
      case Trigger.FundDrawdown t -> false;
    };
  }

  /**
   * GMX v2 ({@code AdlUtils.updateAdlState}, {@code isPnlFactorExceeded}): when the PnL of one
   * side's traders exceeds {@code maxRate} of the pool's value without PnL (the LP's collateral),
   * profitable positions of that side are closed against the pool at mark, in the policy's order,
   * until the factor is back to the maximum. Realizing {@code x} moves it from {@code P / V} to
   * {@code (P - x) / (V - x)}, so {@code x = (P - max * V) / (1 - max)}, rounded up to whole lots;
   * with {@code min < max} that never overcorrects below the minimum ({@code PnlOvercorrected}).
   */
  private boolean pnlFactor(MarketState m, Trigger.PnlFactor t, boolean longs) {
    int lp = engine.liquidityContainer(m);
    long pool = ledger.cash(lp);
    int[] side = positions(m, lp, q -> (ledger.posSize(q) > 0) == longs);
    long pnl = 0;
    for (int q : side) {
      pnl = Math.addExact(pnl, risk.unrealized(q));
    }
    if (pool <= 0 || pnl <= Fixed.mulDiv(pool, t.maxRate(), Fixed.RATE_ONE, RoundingMode.FLOOR)) {
      return false;
    }
    long excess =
        Math.subtractExact(
            pnl, Fixed.mulDiv(pool, t.maxRate(), Fixed.RATE_ONE, RoundingMode.FLOOR));
    long needed =
        Fixed.mulDiv(excess, Fixed.RATE_ONE, Fixed.RATE_ONE - t.maxRate(), RoundingMode.CEILING);
    int[] winners =
        positions(m, lp, q -> (ledger.posSize(q) > 0) == longs && risk.unrealized(q) > 0);
    return reduceAgainstLiquidity(
        m, lp, winners, AllocationMode.BUDGET, needed, m.mark, "PnL factor");
  }

  /**
   * Tradoor: when the LP's net exposure in a contract exceeds its liquidity (equity), positions on
   * the side that creates the exposure are closed against the LP at {@code (1 + PR_0) * index}, in
   * the policy's order, until the LP's position in the contract is zero. Markets of the same LP are
   * taken largest exposure first.
   */
  private boolean lpExposure(MarketState ticked) {
    String lpName = ticked.config.liquidity().account();
    List<MarketState> exposed = new ArrayList<>();
    for (int id = 0; id < ledger.marketCount(); id++) {
      MarketState m = ledger.market(id);
      if (m.config.backstop().trigger() instanceof Trigger.LpExposure
          && m.config.liquidity().account().equals(lpName)
          && m.mark > 0) {
        exposed.add(m);
      }
    }
    int lp = engine.liquidityContainer(ticked);
    exposed.sort(
        Comparator.comparingLong(
                (MarketState m) -> -Risk.notional(m, engine.sizeOf(lp, m.id), m.mark))
            .thenComparingInt(m -> m.id));
    boolean closed = false;
    for (MarketState m : exposed) {
      long lpSize = engine.sizeOf(lp, m.id);
      if (lpSize == 0 || Risk.notional(m, lpSize, m.mark) <= risk.equity(lp)) {
        continue;
      }
      long price = executionPrice(m, m.mark);
      int[] side = positions(m, lp, q -> Long.signum(ledger.posSize(q)) == -Long.signum(lpSize));
      closed |=
          reduceAgainstLiquidity(
              m, lp, side, AllocationMode.SIZE, Math.abs(lpSize), price, "LP exposure");
    }
    return closed;
  }

  /**
   * Closes trader positions against the liquidity provider, shared by the market's policy; returns
   * whether anything was closed.
   */
  private boolean reduceAgainstLiquidity(
      MarketState m,
      int lp,
      int[] positions,
      AllocationMode mode,
      long target,
      long price,
      String why) {
    if (positions.length == 0 || target <= 0) {
      return false;
    }
    int[] traders = containersOf(positions);
    boolean[] longs = new boolean[positions.length];
    for (int i = 0; i < positions.length; i++) {
      longs[i] = ledger.posSize(positions[i]) > 0;
    }
    CandidateBook book = positionBook(m, positions);
    AllocationPolicy policy = ((Resolution.Deleverage) m.config.backstop().resolution()).policy();
    Allocation allocation = Allocator.allocate(policy, book, mode, target);
    long rank = 0;
    long lots = 0;
    long value = 0;
    for (int i : rankOrder(book, policy, allocation)) {
      long closing = allocation.sizeClosed(i);
      boolean buys = !longs[i];
      fill(m, traders[i], lp, buys, closing, price);
      lots += closing;
      value =
          Math.addExact(
              value,
              offsetting(
                  m,
                  traders[i],
                  lp,
                  buys,
                  closing,
                  price,
                  ++rank,
                  policy.score(book, i),
                  policy.name(),
                  "to reduce the liquidity provider's " + why));
    }
    settleEmptied(m, traders);
    emitApplied(
        lp,
        m,
        "deleverage",
        policy.name() + " (" + why + ")",
        mode == AllocationMode.BUDGET ? target : 0,
        value,
        new long[] {mode == AllocationMode.SIZE ? target : 0, lots, 0},
        0);
    return true;
  }

  // ================================================================ transparency

  /** The ranking of every position of a market in its backstop (see {@link AdlRanking}). */
  AdlRanking ranking(MarketState m) {
    BackstopSpec spec = m.config.backstop();
    AllocationPolicy policy =
        switch (spec.resolution()) {
          case Resolution.Deleverage d -> d.policy();
          case Resolution.Haircut h -> h.policy();
          case Resolution.Socialize s -> null;
          case Resolution.BadDebt b -> null;
        };
    List<AdlRanking.Entry> entries = new ArrayList<>();
    side(m, policy, true, entries);
    side(m, policy, false, entries);
    return new AdlRanking(m.name, policy == null ? "none" : policy.name(), List.copyOf(entries));
  }

  private void side(
      MarketState m, AllocationPolicy policy, boolean longs, List<AdlRanking.Entry> out) {
    int[] positions = positions(m, Ledger.NONE, q -> (ledger.posSize(q) > 0) == longs);
    if (positions.length == 0) {
      return;
    }
    CandidateBook book = positionBook(m, positions);
    long[] scores = new long[positions.length];
    for (int i = 0; i < positions.length; i++) {
      long s = policy == null ? 0 : policy.score(book, i);
      scores[i] = s != 0 ? s : book.leverage(i);
    }
    Integer[] order = new Integer[positions.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) ->
            policy == null
                ? Long.compare(scores[y], scores[x]) != 0
                    ? Long.compare(scores[y], scores[x])
                    : Long.compare(book.id(x), book.id(y))
                : policy.compare(book, x, scores[x], y, scores[y]));
    long[] sizeIfNow = new long[positions.length];
    long[] amountIfNow = new long[positions.length];
    whatIf(m, policy, !longs, book, sizeIfNow, amountIfNow);
    int n = positions.length;
    for (int r = 0; r < n; r++) {
      int i = order[r];
      int q = positions[i];
      int c = ledger.posContainer(q);
      out.add(
          new AdlRanking.Entry(
              engine.accountNameOf(c),
              engine.marginName(c),
              longs ? "long" : "short",
              Engine.size(m, ledger.posSize(q)),
              Engine.money(risk.unrealized(q)),
              r + 1,
              Decimal.ofUnits(scores[i], Fixed.RATE_DECIMALS),
              4 - (5 * r) / n,
              Engine.size(m, sizeIfNow[i]),
              Engine.money(amountIfNow[i])));
    }
  }

  /**
   * Fills in what each candidate would give if the first position of the other side's liquidation
   * index were deleveraged now.
   */
  private void whatIf(
      MarketState m,
      AllocationPolicy policy,
      boolean endangeredIsLong,
      CandidateBook book,
      long[] sizes,
      long[] amounts) {
    int endangered = (endangeredIsLong ? m.longTriggers : m.shortTriggers).first();
    if (policy == null || endangered == Ledger.NONE) {
      return;
    }
    int p = ledger.positionId(endangered, m.id);
    long bankruptcy = risk.bankruptcyPrice(p);
    long gap = Math.abs(m.mark - bankruptcy);
    boolean underwater = endangeredIsLong ? bankruptcy > m.mark : bankruptcy < m.mark;
    if (m.config.backstop().resolution() instanceof Resolution.Deleverage) {
      Allocation a =
          Allocator.allocate(
              reseeded(policy), book, AllocationMode.SIZE, Math.abs(ledger.posSize(p)));
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = a.sizeClosed(i);
        amounts[i] = underwater ? Risk.value(m, sizes[i], gap) : 0;
      }
      return;
    }
    long loss = underwater ? Risk.value(m, Math.abs(ledger.posSize(p)), gap) : risk.maintenance(p);
    long capacity = 0;
    for (int i = 0; i < book.count(); i++) {
      capacity = Math.addExact(capacity, book.capacity(i));
    }
    long target = Math.min(loss, capacity);
    if (target > 0) {
      Allocation a = Allocator.allocate(policy, book, AllocationMode.BUDGET, target);
      for (int i = 0; i < amounts.length; i++) {
        amounts[i] = a.amount(i);
      }
    }
  }

  /** dYdX's random start changes with every deleveraging: the seed is mixed with the sequence. */
  private AllocationPolicy reseeded(AllocationPolicy policy) {
    if (policy instanceof RandomPolicy random) {
      long z = random.seed() ^ (engine.nextSeq() * 0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      return new RandomPolicy(z ^ (z >>> 31), random.maxIterations());
    }
    return policy;
  }

  private long executionPrice(MarketState m, long bankruptcy) {
    return switch (m.config.backstop().price()) {
      case BANKRUPTCY -> bankruptcy;
      case MARK -> m.mark;
      case PREVIOUS_MARK -> m.previousMark == 0 ? m.mark : m.previousMark;
      case PREMIUM_INDEX ->
          Math.max(
              1,
              Fixed.mulDiv(
                  m.index == 0 ? m.mark : m.index,
                  Math.addExact(Fixed.RATE_ONE, engine.premiumRate(m)),
                  Fixed.RATE_ONE,
                  RoundingMode.FLOOR));
    };
  }

  /**
   * Positions of market {@code m} other than the bankrupt container's, protected liquidity
   * accounts' and settlement pools' (a pool's risk stays between its two sides), that pass {@code
   * filter}, by position id.
   */
  private int[] positions(MarketState m, int container, IntPredicate filter) {
    int[] all = Engine.sorted(m.holders);
    int n = 0;
    for (int q : all) {
      int c = ledger.posContainer(q);
      if (c != container
          && !engine.isProtectedLiquidityAccount(c)
          && !engine.isPoolSide(c)
          && filter.test(q)) {
        all[n++] = q;
      }
    }
    return Arrays.copyOf(all, n);
  }

  private int[] opposite(MarketState m, int container, boolean longs) {
    return positions(m, container, q -> (ledger.posSize(q) > 0) == longs);
  }

  /**
   * Candidates as positions: id = container, PnL, equity, size, prices per lot. For water-filling
   * the equity is the factor-adjusted one ({@link #factorEquity}).
   */
  private CandidateBook positionBook(MarketState m, int[] positions) {
    boolean factorAdjusted =
        switch (m.config.backstop().resolution()) {
          case Resolution.Deleverage d -> d.policy() instanceof WaterFillingPolicy;
          default -> false;
        };
    CandidateBook.Builder b = CandidateBook.builder(positions.length);
    long unit = m.config.notionalUnit();
    for (int q : positions) {
      long size = Math.abs(ledger.posSize(q));
      long markPerLot = Math.multiplyExact(m.mark, unit);
      long entryPerLot = Fixed.divide(Math.abs(ledger.posCost(q)), size, RoundingMode.FLOOR);
      int c = ledger.posContainer(q);
      long equity = factorAdjusted ? factorEquity(q) : risk.equity(c);
      b.addPosition(c, risk.unrealized(q), equity, size, markPerLot, entryPerLot);
    }
    return b.build();
  }

  /**
   * Campbell, Hey, Moallemi, Nutz (arXiv 2603.15963), cross margin with one dominant factor:
   * water-filling on factor-adjusted leverage {@code |sum_k beta_k * signed notional_k| / E}.
   * Water-filling reads leverage as {@code notional / equity}, so the candidate is given the equity
   * {@code E * notional / |factor exposure|} that makes the two equal: a hedged account (long one
   * market, short a correlated one) has a small factor exposure, a large effective equity, and is
   * cut last. A single-position account with loading 1 keeps its equity.
   */
  private long factorEquity(int q) {
    int c = ledger.posContainer(q);
    long equity = risk.equity(c);
    if (equity <= 0) {
      return equity;
    }
    long exposure = 0;
    for (int i = 0; i < ledger.positions(c).size(); i++) {
      int k = ledger.positions(c).getInt(i);
      MarketState km = ledger.market(ledger.posMarket(k));
      exposure =
          Math.addExact(
              exposure,
              Fixed.mulDiv(
                  Risk.value(km, ledger.posSize(k), km.mark),
                  km.config.factorLoading(),
                  Fixed.RATE_ONE,
                  RoundingMode.FLOOR));
    }
    if (exposure == 0) {
      return Long.MAX_VALUE / 4;
    }
    MarketState m = ledger.market(ledger.posMarket(q));
    long notional = Risk.notional(m, ledger.posSize(q), m.mark);
    return Math.min(
        Long.MAX_VALUE / 4, Fixed.mulDiv(equity, notional, Math.abs(exposure), RoundingMode.FLOOR));
  }

  /** Candidates that give something, highest score first, ties by id. */
  private static int[] rankOrder(CandidateBook book, AllocationPolicy policy, Allocation a) {
    int n = 0;
    Integer[] hit = new Integer[book.count()];
    long[] scores = new long[book.count()];
    for (int i = 0; i < book.count(); i++) {
      if (a.sizeClosed(i) > 0 || a.amount(i) > 0) {
        hit[n++] = i;
        scores[i] = policy.score(book, i);
      }
    }
    Integer[] used = Arrays.copyOf(hit, n);
    Arrays.sort(used, (x, y) -> policy.compare(book, x, scores[x], y, scores[y]));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = used[i];
    }
    return out;
  }

  // ================================================================ money resolutions

  /**
   * Covers what the insurance fund left of a closed account's shortfall, as the market's resolution
   * says; returns what is still uncovered (to be written off as bad debt).
   */
  long cover(int container, MarketState m, long uncovered) {
    return switch (m.config.backstop().resolution()) {
      case Resolution.Haircut h -> haircut(container, m, uncovered, h.policy());
      case Resolution.Socialize s -> socialize(container, m, uncovered);
      case Resolution.Deleverage d -> uncovered;
      case Resolution.BadDebt b -> uncovered;
    };
  }

  private long haircut(int container, MarketState m, long uncovered, AllocationPolicy policy) {
    int[] winners = positions(m, container, q -> risk.unrealized(q) > 0);
    CandidateBook.Builder b = CandidateBook.builder(winners.length);
    long capacity = 0;
    for (int q : winners) {
      int c = ledger.posContainer(q);
      long equity = risk.equity(c);
      // Seizable: positive PnL, but never more than the equity, so no winner turns insolvent.
      long pnl = Math.min(risk.unrealized(q), Math.max(0, equity));
      b.add(c, pnl, equity);
      long notional = Risk.notional(m, ledger.posSize(q), m.mark);
      b.leverage(
          equity <= 0
              ? Long.MAX_VALUE / 4
              : Fixed.mulDiv(notional, Fixed.RATE_ONE, equity, RoundingMode.CEILING));
      capacity = Math.addExact(capacity, pnl);
    }
    long target = Math.min(uncovered, capacity);
    if (target == 0) {
      return uncovered;
    }
    CandidateBook book = b.build();
    Allocation a = Allocator.allocate(policy, book, AllocationMode.BUDGET, target);
    for (int i : rankOrder(book, policy, a)) {
      long amount = a.amount(i);
      int c = ledger.posContainer(winners[i]);
      ledger.addCash(c, -amount);
      ledger.addCash(container, amount);
      engine.emit(
          new Event.Haircut(
              engine.nextSeq(),
              engine.now(),
              m.name,
              engine.accountNameOf(c),
              engine.marginName(c),
              engine.accountNameOf(container),
              Engine.money(amount),
              Engine.money(book.capacity(i)),
              Decimal.ofUnits(a.burden(i), Fixed.RATE_DECIMALS),
              policy.name()));
      engine.emit(
          new Event.TraderNotice(
              engine.nextSeq(),
              engine.now(),
              engine.accountNameOf(c),
              engine.marginName(c),
              m.name,
              "profit_haircut",
              Engine.size(m, ledger.posSize(winners[i])),
              Engine.price(m, m.mark),
              Engine.money(amount),
              "A bankrupt account's loss in "
                  + m.name
                  + " was shared among profitable positions: "
                  + Engine.money(amount)
                  + " of your unrealized profit was clawed back."));
    }
    long residual = uncovered - a.amountTaken();
    emitApplied(
        container, m, "haircut", policy.name(), uncovered, a.amountTaken(), NO_SIZES, residual);
    return residual;
  }

  /**
   * Drift v2's {@code resolve_perp_bankruptcy}: the fee pool pays first, then the loss is charged
   * to every open position per unit of size, rounded up; the rounding excess goes to the fee pool.
   */
  private long socialize(int container, MarketState m, long uncovered) {
    long fromFees = Math.min(uncovered, Math.max(0, ledger.global(Ledger.G_FEES)));
    if (fromFees > 0) {
      ledger.addGlobal(Ledger.G_FEES, -fromFees);
      ledger.addCash(container, fromFees);
    }
    long loss = uncovered - fromFees;
    int[] positions = positions(m, container, q -> true);
    long base = 0;
    for (int q : positions) {
      base = Math.addExact(base, Math.abs(ledger.posSize(q)));
    }
    long charged = 0;
    if (loss > 0 && base > 0) {
      for (int q : positions) {
        int c = ledger.posContainer(q);
        long size = ledger.posSize(q);
        long share = Fixed.mulDiv(Math.abs(size), loss, base, RoundingMode.CEILING);
        ledger.addCash(c, -share);
        charged = Math.addExact(charged, share);
        engine.emit(
            new Event.LossSocialized(
                engine.nextSeq(),
                engine.now(),
                m.name,
                engine.accountNameOf(c),
                engine.marginName(c),
                Engine.size(m, size),
                Engine.money(share)));
      }
      ledger.addCash(container, loss);
      ledger.addGlobal(Ledger.G_FEES, charged - loss);
    }
    long residual = base > 0 ? 0 : loss;
    emitApplied(
        container,
        m,
        "socialize",
        "per-unit-size",
        uncovered,
        uncovered - residual,
        NO_SIZES,
        residual);
    return residual;
  }

  private void emitApplied(
      int container,
      MarketState m,
      String resolution,
      String rule,
      long needed,
      long taken,
      long[] sizes,
      long residual) {
    engine.emit(
        new Event.BackstopApplied(
            engine.nextSeq(),
            engine.now(),
            m.name,
            engine.accountNameOf(container),
            resolution,
            rule,
            Engine.money(needed),
            Engine.money(taken),
            Engine.size(m, sizes[0]),
            Engine.size(m, sizes[1]),
            Engine.size(m, sizes[2]),
            Engine.money(residual)));
  }

  /** No sizes: a money resolution. */
  private static final long[] NO_SIZES = new long[3];

  /** Whether a container is a settlement pool's provider side. */
  boolean isPoolProvider(int container) {
    MarginRef ref = ledger.marginRef(container);
    return ref.kind() == MarginRef.Kind.POOL
        && ledger.poolProvider(ledger.poolId(ref.name())) == container;
  }
}
