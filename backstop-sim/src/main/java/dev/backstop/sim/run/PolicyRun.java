package dev.backstop.sim.run;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.metrics.Concentration;
import dev.backstop.sim.metrics.SolvencyRatios;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.scenario.Population;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.ScenarioException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;

/**
 * One policy over the scenario: a fresh engine, the book opened exactly as in every other run, then
 * the path, tick by tick, while the events are measured. Single-threaded and deterministic.
 */
final class PolicyRun {

  /** The makers who took the population's trades and take order-book liquidation closes. */
  static final String BOOK_ACCOUNT = "book";

  /** The LP of pool venues. */
  static final String LP_ACCOUNT = "lp";

  /** Backstop actions further apart than this start a new wave (the data's 5 s). */
  private static final long WAVE_GAP_MILLIS = 5_000;

  /** The price band of the simulated market, 90% (the set-up trades' entries vary). */
  private static final long SETUP_BAND = 90 * Fixed.RATE_ONE / 100;

  private static final String FUND = MarketConfig.DEFAULT_INSURANCE_FUND;

  private final Book book;
  private final String policy;
  private final Engine engine = new Engine();
  private final String market;
  private final MarketConfig config;
  private final Population population;
  private final Map<String, Integer> traders;

  // Running measures.
  private long liquidations;
  private long liquidatedLots;
  private long liquidatedNotional;
  private long fundStart;
  private long fundBalance;
  private long fundLow;
  private long fundPeak;
  private double fundDrawdown;
  private long fundCover;
  private long badDebtRecorded;
  private long residualSum;
  private long budgetNeeded;
  private long budgetTaken;
  private long backstopActions;
  // The waterfall: orders the book filled, positions taken over, the backstop's fills and waves.
  private long ordersFilledByBook;
  private long ordersLeftUnfilled;
  private long takenOver;
  private long takenOverLots;
  private long takenOverNotional;
  private long backstopLots;
  private long backstopNotional;
  private long adlNotional;
  private long adlFills;
  private long firstLiquidationTime = -1;
  private long firstBackstopTime = -1;
  private long lastBackstopTime = -1;
  private long backstopWaves;
  private final Map<String, Long> loserShortfall = new HashMap<>();
  private final Burdens burdens;
  private final Burdens.Traders roundTraders =
      new Burdens.Traders() {
        @Override
        public double capacity(int trader, long heldLots) {
          return Math.max(0, profit(trader, heldLots, currentMark));
        }

        @Override
        public double leverage(int trader) {
          return referenceLeverage[trader];
        }
      };
  private double[] referenceCapacity;
  private double[] referenceLeverage;
  private long currentMark;
  private long time;
  private final Series fund = new Series();
  private final Series liquidationMarks = new Series();
  private final Series backstopMarks = new Series();

  PolicyRun(Book book, String policy, Map<String, Integer> traders) {
    this.book = book;
    this.policy = policy;
    this.market = book.scenario().market().name();
    this.population = book.population();
    this.traders = traders;
    LiquiditySpec.OrderBook standard = LiquiditySpec.OrderBook.standard(BOOK_ACCOUNT);
    // Every policy meets the same book and the same takeover layer (the fund's, within its
    // capital), so that policies differ only in what they do with what neither absorbed.
    LiquiditySpec.OrderBook orderBook =
        new LiquiditySpec.OrderBook(
            BOOK_ACCOUNT,
            rate(book.scenario().liquidity().halfSpread()),
            book.depths()[0],
            standard.stepRate(),
            standard.levels(),
            Math.round(book.scenario().liquidity().halfLife() * 1000),
            LiquiditySpec.LimitRule.BANKRUPTCY,
            0,
            standard.takeover());
    // The population's positions were opened at their own entries, up to several sigmas from
    // the first mark: a wide band lets the set-up trades in; the path itself trades nothing.
    this.config =
        Policies.market(
            book.base().toBuilder().insuranceFund(FUND).priceBandRate(SETUP_BAND),
            policy,
            orderBook,
            LP_ACCOUNT);
    int n = population.size();
    long[] lots = new long[n];
    for (int i = 0; i < n; i++) {
      lots[i] = population.lots(i);
    }
    this.burdens = new Burdens(lots);
  }

  /** Runs the whole path; {@code progress} hears the share done in percent. */
  PolicyResult run(IntConsumer progress) {
    open();
    long[] times = book.times();
    int lastPercent = 0;
    long lastDepth = book.depths()[0];
    for (int k = 1; k < times.length; k++) {
      if (Thread.currentThread().isInterrupted()) {
        // another run failed and the simulation is stopping
        throw new CancellationException("simulation stopped");
      }
      time = times[k];
      apply(new Command.AdvanceTime(times[k]));
      if (!Policies.usesLp(policy) && changedEnough(lastDepth, book.depths()[k])) {
        lastDepth = book.depths()[k];
        apply(Command.Quote.depth(market, BOOK_ACCOUNT, Units.money(lastDepth)));
      }
      Decimal mark = book.mark(k);
      currentMark = book.marks()[k];
      burdens.priceMoved();
      // Streamed: one step of a large book can make tens of millions of events, none kept.
      stepEvents = 0;
      engine.apply(new Command.SetPrice(market, mark, mark, times[k]), this::measure);
      endStep();
      int percent = (int) (100L * k / (times.length - 1));
      if (percent != lastPercent) {
        lastPercent = percent;
        progress.accept(percent);
      }
    }
    return result();
  }

  /** Lists the market, funds the makers and the fund, and opens every trader's position. */
  private void open() {
    Scenario s = book.scenario();
    currentMark = book.marks()[0];
    must(apply(new Command.CreateMarket(market, config)), "market");
    Decimal start = book.mark(0);
    must(apply(new Command.SetPrice(market, start, start, 0L)), "first price");
    String maker = Policies.usesLp(policy) ? LP_ACCOUNT : BOOK_ACCOUNT;
    Decimal capital =
        Policies.usesLp(policy) ? s.liquidity().lpCapital() : s.liquidity().makerCapital();
    must(apply(new Command.Deposit(maker, capital, MarginRef.cross())), "maker capital");
    if (s.insuranceFund().signum() > 0) {
      must(apply(new Command.FundInsurance(market, s.insuranceFund())), "insurance fund");
    }
    for (int i = 0; i < population.size(); i++) {
      String name = population.name(i);
      must(
          apply(new Command.Deposit(name, Units.money(population.deposit(i)), MarginRef.cross())),
          "deposit of " + name);
      long lots = population.lots(i);
      boolean buys = lots > 0;
      Decimal size = Decimal.ofUnits(Math.abs(lots), config.sizeDecimals());
      Decimal price = Decimal.ofUnits(population.entry(i), config.priceDecimals());
      must(
          apply(
              new Command.Trade(
                  market,
                  buys ? name : maker,
                  buys ? maker : name,
                  size,
                  price,
                  buys,
                  MarginRef.cross(),
                  MarginRef.cross())),
          "position of " + name);
    }
    fundBalance = fundStart;
    fundLow = fundStart;
    fundPeak = fundStart;
    fund.add(0, Fixed.toDouble(fundStart, Fixed.MONEY_DECIMALS));
  }

  private List<Event> apply(Command c) {
    return engine.apply(c);
  }

  /**
   * Checks a command of the opening; the fund's balance at the start is the last one its events
   * report (no need for the engine's whole state, a pass over a million accounts).
   */
  private void must(List<Event> events, String what) {
    for (Event e : events) {
      if (e instanceof Event.Rejected r) {
        throw new ScenarioException("the engine refused the " + what + ": " + r.reason());
      }
      if (e instanceof Event.InsuranceFundChanged f && FUND.equals(f.fund())) {
        fundStart = Units.microDollars(f.balance());
      }
    }
  }

  /** What the step being read has done so far (see {@link #endStep}). */
  private boolean stepLiquidated;

  private boolean stepBackstop;
  private boolean stepFundMoved;
  private long stepEvents;

  /**
   * Reads one event of the price step. A step the engine refused after some of its events were read
   * changed nothing, but the measures have counted them: the run stops (a refused step with no
   * other event is skipped, as a refused command changes nothing).
   */
  private void measure(Event e) {
    if (e instanceof Event.Rejected r && stepEvents > 0) {
      throw new ScenarioException(
          "the engine refused the price step at " + time + " ms after it began: " + r.reason());
    }
    stepEvents++;
    {
      switch (e) {
        case Event.LiquidationOrder o -> {
          if (firstLiquidationTime < 0) {
            firstLiquidationTime = time;
          }
          if (o.filledSize().signum() > 0) {
            ordersFilledByBook++;
          }
          if (o.unfilledSize().signum() > 0) {
            ordersLeftUnfilled++;
          }
        }
        case Event.TakenOver t -> {
          takenOver++;
          takenOverLots = Math.addExact(takenOverLots, lots(t.size()));
          takenOverNotional = Math.addExact(takenOverNotional, notional(t.size(), t.price()));
          closed(t.account(), t.size());
        }
        case Event.Deleveraged d -> {
          adlFills++;
          adlNotional = Math.addExact(adlNotional, notional(d.size(), d.price()));
          closed(d.account(), d.size());
        }
        case Event.Liquidated l -> {
          if (firstLiquidationTime < 0) {
            firstLiquidationTime = time;
          }
          liquidations++;
          liquidatedLots = Math.addExact(liquidatedLots, lots(l.sizeClosed()));
          liquidatedNotional =
              Math.addExact(liquidatedNotional, notional(l.sizeClosed(), l.price()));
          stepLiquidated = true;
          closed(l.account(), l.sizeClosed());
        }
        case Event.InsuranceFundChanged f -> {
          fundBalance = Units.microDollars(f.balance());
          fundLow = Math.min(fundLow, fundBalance);
          fundPeak = Math.max(fundPeak, fundBalance);
          if (fundPeak > 0) {
            fundDrawdown = Math.max(fundDrawdown, 1 - (double) fundBalance / fundPeak);
          }
          if (f.reason() == Event.FundReason.SHORTFALL_COVER) {
            fundCover = Math.addExact(fundCover, -Units.microDollars(f.amount()));
            loss(f.account(), -Units.microDollars(f.amount()));
          }
          stepFundMoved = true;
        }
        case Event.BadDebtRecorded b -> {
          long amount = Units.microDollars(b.amount());
          badDebtRecorded = Math.addExact(badDebtRecorded, amount);
          // Part of the loser's shortfall: the bad-debt baseline has nothing else.
          loss(b.account(), amount);
        }
        case Event.BackstopApplied b -> {
          backstopActions++;
          // A wave: backstop actions more than 5 s after the previous one start a new one (the
          // 2025-10-10 data's definition).
          if (lastBackstopTime < 0 || time - lastBackstopTime > WAVE_GAP_MILLIS) {
            backstopWaves++;
          }
          if (firstBackstopTime < 0) {
            firstBackstopTime = time;
          }
          lastBackstopTime = time;
          long needed = Units.microDollars(b.budgetNeeded());
          budgetNeeded = Math.addExact(budgetNeeded, needed);
          // What winners lost against a close at mark: never negative (a fill that paid a
          // winner more than mark took nothing from it).
          budgetTaken =
              Math.addExact(budgetTaken, Math.max(0, Units.microDollars(b.budgetTaken())));
          // The bankrupt size sent to the backstop, valued at the mark it met (0 for money rules,
          // which leave the position where it is).
          long sent = lots(b.sizeNeeded());
          backstopLots = Math.addExact(backstopLots, sent);
          backstopNotional =
              Math.addExact(
                  backstopNotional,
                  Math.multiplyExact(Math.multiplyExact(sent, currentMark), config.notionalUnit()));
          residualSum = Math.addExact(residualSum, Units.microDollars(b.residual()));
          // The residual is recorded as bad debt on the same account, and counted there.
          loss(b.account(), Math.subtractExact(needed, Units.microDollars(b.residual())));
          burdens.closeRound(b.resolution() == Event.BackstopAction.DELEVERAGE, roundTraders);
          stepBackstop = true;
        }
        case Event.Offsetting o -> take(o.account(), 0, lots(o.size()), -1);
        case Event.Haircut h ->
            take(h.account(), Units.microDollars(h.amount()), 0, Units.microDollars(h.capacity()));
        case Event.LossSocialized s -> take(s.account(), Units.microDollars(s.amount()), 0, -1);
        default -> {}
      }
    }
  }

  /** The series points of the step just read. */
  private void endStep() {
    if (stepFundMoved) {
      fund.add(time, Fixed.toDouble(fundBalance, Fixed.MONEY_DECIMALS));
    }
    double mark = Fixed.toDouble(currentMark, config.priceDecimals());
    if (stepLiquidated) {
      liquidationMarks.add(time, mark);
    }
    if (stepBackstop) {
      backstopMarks.add(time, mark);
    }
    stepLiquidated = false;
    stepBackstop = false;
    stepFundMoved = false;
  }

  /**
   * A liquidated trader's position lost {@code size} to the book, a takeover or deleveraging: its
   * account no longer holds those lots, so they are no one's capacity in a later round.
   */
  private void closed(String account, Decimal size) {
    Integer i = traders.get(account);
    if (i != null) {
      burdens.liquidated(i, lots(size));
    }
  }

  /** Adds to a liquidated account's shortfall (losses beyond its collateral). */
  private void loss(String account, long amount) {
    if (account != null && amount > 0) {
      loserShortfall.merge(account, amount, Math::addExact);
    }
  }

  /**
   * Books what the round being read took from a trader: money (haircut, socialized loss) or lots of
   * its position closed by deleveraging; capacity -1 means "work it out from the position". The
   * reference point of the fairness measures is taken at the first one.
   */
  private void take(String account, long amount, long lots, long eventCapacity) {
    Integer i = traders.get(account);
    if (i == null) {
      return;
    }
    if (referenceCapacity == null) {
      reference();
    }
    burdens.take(i, amount, lots, eventCapacity);
  }

  /**
   * The reference point of the fairness measures: every trader's capacity (positive PnL) and
   * leverage at the mark of the first backstop action, from the positions as opened (fees aside).
   */
  private void reference() {
    int n = population.size();
    referenceCapacity = new double[n];
    referenceLeverage = new double[n];
    double unit = Fixed.toDouble(config.notionalUnit(), Fixed.MONEY_DECIMALS);
    for (int i = 0; i < n; i++) {
      double pnl = profit(i, Math.abs(population.lots(i)), currentMark);
      double equity = Fixed.toDouble(population.deposit(i), Fixed.MONEY_DECIMALS) + pnl;
      double notional = Math.abs(population.lots(i)) * (double) currentMark * unit;
      referenceCapacity[i] = Math.max(0, pnl);
      referenceLeverage[i] = equity > 0 ? notional / equity : Double.POSITIVE_INFINITY;
    }
  }

  /** The trader's unrealized PnL at {@code mark} on {@code held} lots of its position, dollars. */
  private double profit(int i, long held, long mark) {
    double unit = Fixed.toDouble(config.notionalUnit(), Fixed.MONEY_DECIMALS);
    return Long.signum(population.lots(i)) * held * (double) (mark - population.entry(i)) * unit;
  }

  private PolicyResult result() {
    if (referenceCapacity == null) {
      reference(); // no backstop action: the winners at the end of the path
    }
    EngineState end = engine.state();
    long conservation = end.conservationError();
    int n = population.size();
    int winners = 0;
    int accountsHit = 0;
    double largestBurden = 0;
    for (int i = 0; i < n; i++) {
      if (burdens.hit(i) || referenceCapacity[i] > 0) {
        winners++;
      }
      if (burdens.hit(i)) {
        accountsHit++;
        largestBurden = Math.max(largestBurden, burdens.burden(i));
      }
    }
    double[] amounts = new double[winners];
    double[] endowments = new double[winners];
    long[] burdenCounts = new long[BurdenBins.LABELS.size()];
    int w = 0;
    for (int i = 0; i < n; i++) {
      boolean winner = burdens.hit(i) || referenceCapacity[i] > 0;
      if (!winner) {
        continue;
      }
      if (burdens.hit(i)) {
        burdenCounts[BurdenBins.of(burdens.burden(i))]++;
      }
      // PTSR's endowment left, (w_i - x_i)+: w_i at the reference point, x_i all rounds together.
      amounts[w] = burdens.taken(i);
      endowments[w] = referenceCapacity[i];
      w++;
    }
    long shortfall =
        Math.addExact(
            Math.addExact(fundCover, budgetNeeded), Math.max(0, badDebtRecorded - residualSum));
    double deficit = Fixed.toDouble(shortfall, Fixed.MONEY_DECIMALS);
    long largestLoss = 0;
    for (long v : loserShortfall.values()) {
      largestLoss = Math.max(largestLoss, v);
    }
    SolvencyRatios ratios =
        SolvencyRatios.of(
            endowments, amounts, deficit, Fixed.toDouble(largestLoss, Fixed.MONEY_DECIMALS));
    PolicyMetrics metrics =
        new PolicyMetrics(
            liquidations,
            size(liquidatedLots),
            Units.money(liquidatedNotional),
            Units.money(fundStart),
            Units.money(fundBalance),
            Units.money(fundLow),
            fundDrawdown,
            Units.money(shortfall),
            Units.money(budgetNeeded),
            Units.money(budgetTaken),
            Units.money(Math.subtractExact(budgetTaken, budgetNeeded)),
            backstopActions,
            accountsHit,
            largestBurden,
            Concentration.gini(amounts),
            Concentration.topShare(amounts, 10),
            ratios.ptsr(),
            ratios.pmr(),
            burdens.inversions(),
            burdens.inversionRate(),
            burdens.monotonicityViolations(),
            burdens.monotonicityRate(),
            end.badDebt(),
            ordersFilledByBook,
            ordersLeftUnfilled,
            takenOver,
            size(takenOverLots),
            Units.money(takenOverNotional),
            size(backstopLots),
            Units.money(backstopNotional),
            Units.money(adlNotional),
            adlFills,
            adlShare(),
            firstLiquidationTime < 0 || firstBackstopTime < 0
                ? null
                : (firstBackstopTime - firstLiquidationTime) / 1000.0,
            backstopWaves,
            Policies.usesLp(policy) ? null : equityOf(end, BOOK_ACCOUNT),
            Policies.usesLp(policy) ? equityOf(end, LP_ACCOUNT) : null,
            conservation,
            String.format("%016x", end.stateHash()));
    PolicyResult.Timeline timeline =
        new PolicyResult.Timeline(
            fund.times(),
            fund.values(),
            liquidationMarks.times(),
            liquidationMarks.values(),
            backstopMarks.times(),
            backstopMarks.values(),
            burdenCounts);
    return new PolicyResult(policy, Policies.describe(policy), metrics, timeline);
  }

  /**
   * Deleveraging's share of all that liquidations closed: the book's fills, the takeovers and the
   * deleveraging fills themselves; null when nothing was liquidated.
   */
  private Double adlShare() {
    long all = Math.addExact(Math.addExact(liquidatedNotional, takenOverNotional), adlNotional);
    return all == 0 ? null : (double) adlNotional / all;
  }

  /** An account's cross equity at the end (the makers', the LP's), 0 if it has none. */
  private static Decimal equityOf(EngineState end, String account) {
    for (EngineState.MarginAccount a : end.accounts()) {
      if (a.account().equals(account) && a.margin().equals("cross")) {
        return a.equity();
      }
    }
    return Decimal.ZERO;
  }

  private long notional(Decimal size, Decimal price) {
    long lots = Math.abs(size.toUnits(config.sizeDecimals()));
    long ticks = price.toUnits(config.priceDecimals());
    return Math.multiplyExact(Math.multiplyExact(lots, ticks), config.notionalUnit());
  }

  private Decimal size(long lots) {
    return Decimal.ofUnits(lots, config.sizeDecimals());
  }

  private long lots(Decimal size) {
    return Math.abs(size.toUnits(config.sizeDecimals()));
  }

  private static boolean changedEnough(long from, long to) {
    return Math.abs(to - from) * 100 >= from;
  }

  private static long rate(double value) {
    return Math.round(value * Fixed.RATE_ONE);
  }

  /** A growing pair of arrays: times (ms) and values. */
  private static final class Series {
    private long[] t = new long[64];
    private double[] v = new double[64];
    private int size;

    void add(long time, double value) {
      if (size == t.length) {
        t = java.util.Arrays.copyOf(t, size * 2);
        v = java.util.Arrays.copyOf(v, size * 2);
      }
      t[size] = time;
      v[size] = value;
      size++;
    }

    long[] times() {
      return java.util.Arrays.copyOf(t, size);
    }

    double[] values() {
      return java.util.Arrays.copyOf(v, size);
    }
  }
}
