package dev.backstop.core.engine;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.Event.FillKind;
import dev.backstop.core.event.Event.FundReason;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.market.LiquidationMode;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.SurplusRule;
import dev.backstop.core.mechanism.BankruptcyResolution;
import dev.backstop.core.mechanism.Candidates;
import dev.backstop.core.mechanism.Mechanisms;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

/**
 * The Backstop engine: a deterministic state machine for the margin, liquidation and insurance fund
 * of a perpetual-futures venue. Commands go in through {@link #apply(Command)}; the events they
 * cause come out, numbered. The same commands always give the same events and the same {@link
 * #stateHash()}.
 *
 * <p>A command is a sealed transaction: it applies completely, or it is rejected with a code and a
 * reason (a {@link Event.Rejected} event) and changes nothing, even when the failure is found after
 * state was already touched: a margin check, an arithmetic overflow, or any other exception thrown
 * inside the command (a mechanism breaking its contract, rejected as {@link
 * RejectionCode#INTERNAL}). The state and the event sequence are then exactly as before.
 *
 * <p>Flow of a command: validate and convert its numbers to the market's scales; mutate the {@link
 * Ledger} (every write logged for undo); then {@code settle}: refresh the liquidation index of the
 * margin accounts that changed and liquidate every margin account below maintenance margin, over
 * and over until none is, each liquidation closing through the market's liquidity model, paying
 * fees, surplus and shortfall through the insurance fund and writing off what the fund cannot cover
 * as bad debt.
 *
 * <p>Not thread-safe: one thread drives an engine, as one sequencer drives a venue.
 */
public final class Engine {

  /** The first bytes of every snapshot, and its format version. */
  private static final String SNAPSHOT_MAGIC = "backstop-engine-snapshot";

  private static final int SNAPSHOT_VERSION = 1;

  private final Ledger ledger;
  private final Risk risk;
  private final EngineContext context;
  private final List<Event> events = new ArrayList<>();
  private long nextSeq;
  private long stateVersion;
  private long rankingVersion = -1;
  private final Int2ObjectHashMap<AdlRanking> rankings = new Int2ObjectHashMap<>();
  private Throwable lastInternalError;

  /** An empty engine at time 0. */
  public Engine() {
    this(new Ledger(), 1);
  }

  private Engine(Ledger ledger, long nextSeq) {
    this.ledger = ledger;
    this.risk = new Risk(ledger);
    this.context = new EngineContext(this, ledger, risk);
    this.nextSeq = nextSeq;
  }

  /**
   * Applies one command.
   *
   * @return the events it caused, in order; a single {@link Event.Rejected} if it was refused
   */
  public List<Event> apply(Command command) {
    Objects.requireNonNull(command, "command");
    ledger.begin();
    events.clear();
    lastInternalError = null;
    long firstSeq = nextSeq;
    try {
      switch (command) {
        case Command.CreateMarket c -> createMarket(c);
        case Command.CreatePool c -> createPool(c);
        case Command.Deposit c -> deposit(c);
        case Command.Withdraw c -> withdraw(c);
        case Command.FundInsurance c -> fundInsurance(c);
        case Command.Trade c -> trade(c);
        case Command.SetPrice c -> setPrice(c);
        case Command.ApplyFunding c -> funding(c);
        case Command.AdvanceTime c -> advanceTime(c);
        case Command.FreeLpMargin c -> freeLpMargin(c);
        case Command.SetBookDepth c -> setBookDepth(c);
      }
      refreshTriggers();
      stateVersion++;
    } catch (RuntimeException | StackOverflowError e) {
      rollBack(firstSeq);
      // A rejection changes nothing, not even the sequence: the next event takes the same number.
      events.add(rejection(command, e));
    } catch (Error e) {
      // The process is in trouble (out of memory): leave the state as it was and let it stop.
      rollBack(firstSeq);
      throw e;
    }
    return List.copyOf(events);
  }

  private void rollBack(long firstSeq) {
    ledger.rollback();
    refreshAfterRollback();
    events.clear();
    nextSeq = firstSeq;
  }

  /** The rejection of a command that threw {@code e}, coded by what was thrown. */
  private Event.Rejected rejection(Command command, Throwable e) {
    RejectionCode code;
    String reason;
    switch (e) {
      case Rejection r -> {
        code = r.code();
        reason = r.getMessage();
      }
      case ArithmeticException overflow -> {
        code = RejectionCode.OVERFLOW;
        // Not the exception's message: the JIT may drop it, and events must be reproducible.
        reason = "arithmetic overflow: an amount does not fit the engine's fixed-point range";
      }
      default -> {
        code = RejectionCode.INTERNAL;
        // The class only: messages may be dropped by the JIT or name class loaders, and events
        // must be the same bytes on every replica. The whole failure is in lastInternalError().
        reason = "internal error: " + e.getClass().getSimpleName() + ", command rolled back";
        lastInternalError = e;
      }
    }
    return new Event.Rejected(nextSeq, now(), command.type(), code, reason);
  }

  /**
   * The failure behind the last {@link RejectionCode#INTERNAL} rejection, for the adapter to log
   * with its stack trace; null if no command has failed that way. The engine itself never logs.
   */
  public Throwable lastInternalError() {
    return lastInternalError;
  }

  // ================================================================ commands

  private void createMarket(Command.CreateMarket c) {
    String name = requireName(c.market(), "market");
    MarketConfig config = c.config();
    if (config == null) {
      throw new Rejection(
          RejectionCode.INVALID_CONFIGURATION, "market " + name + ": missing configuration");
    }
    if (ledger.marketId(name) != Ledger.NONE) {
      throw new Rejection(RejectionCode.ALREADY_EXISTS, "market " + name + " already exists");
    }
    int fund = ledger.fundId(config.insuranceFund());
    if (fund == Ledger.NONE) {
      fund = ledger.createFund(config.insuranceFund());
    }
    Mechanisms parts;
    try {
      parts = Mechanisms.of(config);
    } catch (IllegalArgumentException e) {
      throw new Rejection(
          RejectionCode.INVALID_CONFIGURATION, "market " + name + ": " + e.getMessage());
    }
    ledger.createMarket(name, config, parts, fund);
    String lp = config.liquidity().account();
    int lpAccount = ledger.accountId(lp);
    if (lpAccount == Ledger.NONE) {
      lpAccount = ledger.createAccount(lp);
    } else if (!ledger.isLiquidityProvider(lpAccount)) {
      int cross = ledger.crossMarginAccount(lpAccount);
      if (ledger.cash(cross) != 0 || !ledger.positions(cross).isEmpty()) {
        throw new Rejection(
            RejectionCode.INVALID_CONFIGURATION,
            "liquidity account " + lp + " already trades with cross margin; name another account");
      }
    }
    ledger.markLiquidityProvider(lpAccount);
    emit(new Event.MarketCreated(nextSeq, now(), name, config.preset(), config.insuranceFund()));
  }

  private void createPool(Command.CreatePool c) {
    String name = requireName(c.pool(), "pool");
    String user = requireName(c.user(), "user");
    String provider = requireName(c.provider(), "provider");
    if (ledger.poolId(name) != Ledger.NONE) {
      throw new Rejection(RejectionCode.ALREADY_EXISTS, "pool " + name + " already exists");
    }
    if (user.equals(provider)) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, "pool " + name + ": user and provider must differ");
    }
    ledger.createPool(name, accountOrCreate(user), accountOrCreate(provider));
    emit(new Event.PoolCreated(nextSeq, now(), name, user, provider));
  }

  private void deposit(Command.Deposit c) {
    String name = requireName(c.account(), "account");
    long amount = positiveMoney(c.amount(), "amount");
    int account = accountOrCreate(name);
    int marginAccount = marginAccount(account, c.margin(), true);
    ledger.addCash(marginAccount, amount);
    ledger.addGlobal(Ledger.G_DEPOSITED, amount);
    emit(
        new Event.Deposited(
            nextSeq,
            now(),
            name,
            marginName(marginAccount),
            Decimal.money(amount),
            Decimal.money(ledger.cash(marginAccount))));
  }

  private void withdraw(Command.Withdraw c) {
    int account = existingAccount(c.account());
    long amount = positiveMoney(c.amount(), "amount");
    int marginAccount = marginAccount(account, c.margin(), false);
    long free = Math.subtractExact(risk.equity(marginAccount), risk.initialMargin(marginAccount));
    if (amount > free) {
      throw new Rejection(
          RejectionCode.INSUFFICIENT_MARGIN,
          "withdrawal of "
              + Decimal.money(amount)
              + " exceeds free collateral "
              + Decimal.money(Math.max(0, free))
              + " of "
              + c.account()
              + " ("
              + marginName(marginAccount)
              + ")");
    }
    ledger.addCash(marginAccount, -amount);
    ledger.addGlobal(Ledger.G_WITHDRAWN, amount);
    emit(
        new Event.Withdrawn(
            nextSeq,
            now(),
            c.account(),
            marginName(marginAccount),
            Decimal.money(amount),
            Decimal.money(ledger.cash(marginAccount))));
  }

  private void fundInsurance(Command.FundInsurance c) {
    MarketState m = existingMarket(c.market());
    long amount = positiveMoney(c.amount(), "amount");
    ledger.addFund(m.fund, amount);
    ledger.addGlobal(Ledger.G_INSURANCE_FUNDED, amount);
    emitFund(m, FundReason.TOP_UP, amount, Ledger.NONE);
  }

  private void setBookDepth(Command.SetBookDepth c) {
    MarketState m = existingMarket(c.market());
    if (!m.parts.liquidity().hasDepth()) {
      throw new Rejection(
          RejectionCode.NOT_APPLICABLE,
          "market " + m.name + " has no order book: its liquidity is an LP");
    }
    long depth = positiveMoney(c.depthAtOnePercent(), "depth");
    ledger.setBookDepth(m.id, depth);
    emit(new Event.BookDepthChanged(nextSeq, now(), m.name, Decimal.money(depth)));
  }

  private void trade(Command.Trade c) {
    MarketState m = existingMarket(c.market());
    int buyer = existingAccount(c.buyer());
    int seller = existingAccount(c.seller());
    if (buyer == seller) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, "buyer and seller are the same account " + c.buyer());
    }
    long lots = positive(c.size(), m.config.sizeDecimals(), "size", "lot");
    long ticks = positive(c.price(), m.config.priceDecimals(), "price", "tick");
    MarginRef buyerRef = c.buyerMargin() == null ? MarginRef.cross() : c.buyerMargin();
    MarginRef sellerRef = c.sellerMargin() == null ? MarginRef.cross() : c.sellerMargin();
    if ((buyerRef.kind() == MarginRef.Kind.POOL || sellerRef.kind() == MarginRef.Kind.POOL)
        && !buyerRef.equals(sellerRef)) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT,
          "a settlement-pool trade must name the same pool for both sides");
    }
    checkIsolatedMarket(buyerRef, m);
    checkIsolatedMarket(sellerRef, m);
    int buyerC = marginAccount(buyer, buyerRef, true);
    int sellerC = marginAccount(seller, sellerRef, true);
    if (m.mark == 0) {
      ledger.setMark(m.id, ticks);
      ledger.setIndex(m.id, ticks);
      emitPrice(m, Event.PriceSource.TRADE);
    }
    long buyerBefore = sizeOf(buyerC, m.id);
    long sellerBefore = sizeOf(sellerC, m.id);
    executeFill(m, buyerC, sellerC, lots, ticks, c.takerIsBuyer(), FillKind.TRADE, true);
    checkInitialMargin(buyerC, buyerBefore, m.id, "buyer");
    checkInitialMargin(sellerC, sellerBefore, m.id, "seller");
    settle(new IntArrayList());
  }

  private void setPrice(Command.SetPrice c) {
    MarketState m = existingMarket(c.market());
    long mark = positive(c.mark(), m.config.priceDecimals(), "mark", "tick");
    long index =
        c.index() == null ? mark : positive(c.index(), m.config.priceDecimals(), "index", "tick");
    long time = c.time() == null ? now() : c.time();
    if (time < m.priceTime || time < now()) {
      throw new Rejection(
          RejectionCode.STALE_TIME,
          "stale price for "
              + m.name
              + ": time "
              + time
              + " is before "
              + (time < m.priceTime
                  ? "the last price at " + m.priceTime
                  : "the clock at " + now()));
    }
    ledger.setMark(m.id, mark);
    ledger.setIndex(m.id, index);
    ledger.setPriceTime(m.id, time);
    emitPrice(m, Event.PriceSource.PRICE);
    m.multiMarketHolders.forEach(ledger::markDirty);
    IntArrayList crossed = new IntArrayList();
    m.longTriggers.crossed(mark, crossed);
    m.shortTriggers.crossed(mark, crossed);
    settle(crossed);
    if (m.parts.tickRule().afterPrice(context, m.id)) {
      settle(new IntArrayList());
    }
  }

  private void emitPrice(MarketState m, Event.PriceSource source) {
    emit(
        new Event.PriceUpdated(
            nextSeq, now(), m.name, m.config.price(m.mark), m.config.price(m.index), source));
  }

  private void funding(Command.ApplyFunding c) {
    MarketState m = existingMarket(c.market());
    if (c.rate() == null) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, "missing rate");
    }
    long rate = units(c.rate(), Fixed.RATE_DECIMALS, "rate");
    if (Math.abs(rate) >= Fixed.RATE_ONE) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, "funding rate " + c.rate() + " must be between -1 and 1");
    }
    if (m.mark == 0) {
      throw new Rejection(RejectionCode.NO_PRICE, "market " + m.name + " has no mark price yet");
    }
    int[] ids = sorted(m.holders);
    long paid = 0;
    long received = 0;
    for (int p : ids) {
      long size = ledger.posSize(p);
      boolean payer = (rate > 0) == (size > 0);
      long notional = Risk.notional(m, size, m.mark);
      long amount =
          Fixed.applyRate(
              notional, Math.abs(rate), payer ? RoundingMode.CEILING : RoundingMode.FLOOR);
      int marginAccount = ledger.posMarginAccount(p);
      long signed = payer ? -amount : amount;
      ledger.addCash(marginAccount, signed);
      if (payer) {
        paid = Math.addExact(paid, amount);
      } else {
        received = Math.addExact(received, amount);
      }
      emit(
          new Event.FundingPaid(
              nextSeq,
              now(),
              accountNameOf(marginAccount),
              marginName(marginAccount),
              m.name,
              m.config.size(size),
              Decimal.ofUnits(rate, Fixed.RATE_DECIMALS),
              Decimal.money(signed)));
    }
    long dust = Math.subtractExact(paid, received);
    ledger.addFees(m.id, dust);
    emit(
        new Event.FundingSettled(
            nextSeq,
            now(),
            m.name,
            Decimal.ofUnits(rate, Fixed.RATE_DECIMALS),
            Decimal.money(paid),
            Decimal.money(received),
            Decimal.money(dust)));
    settle(new IntArrayList());
  }

  private void freeLpMargin(Command.FreeLpMargin c) {
    int provider = existingAccount(c.provider());
    long amount = positiveMoney(c.amount(), "amount");
    List<Integer> sides = new ArrayList<>();
    for (int pool = 0; pool < ledger.poolCount(); pool++) {
      int side = ledger.poolProvider(pool);
      if (ledger.owner(side) == provider && !ledger.positions(side).isEmpty()) {
        sides.add(side);
      }
    }
    if (sides.isEmpty()) {
      throw new Rejection(
          RejectionCode.NOT_APPLICABLE,
          c.provider() + " provides no settlement pool with open positions");
    }
    long[] margin = new long[ledger.marginAccountCount()];
    for (int side : sides) {
      margin[side] = risk.initialMargin(side);
    }
    sides.sort(
        (a, b) ->
            margin[a] != margin[b]
                ? Long.compare(margin[b], margin[a])
                : ledger.marginRef(a).name().compareTo(ledger.marginRef(b).name()));
    long freed = 0;
    for (int side : sides) {
      if (freed >= amount) {
        break;
      }
      for (int p : ledger.positions(side).toIntArray()) {
        close(side, p, Math.abs(ledger.posSize(p)), true);
      }
      freed = Math.addExact(freed, margin[side]);
    }
    settle(new IntArrayList());
  }

  private void advanceTime(Command.AdvanceTime c) {
    if (c.time() < now()) {
      throw new Rejection(
          RejectionCode.STALE_TIME, "time " + c.time() + " is before the engine's time " + now());
    }
    ledger.setTime(c.time());
    emit(new Event.ClockAdvanced(nextSeq, c.time()));
  }

  // ================================================================ fills and margin

  /**
   * A fill of {@code lots} at {@code ticks} between two margin accounts: moves positions, realizes
   * PnL, charges fees when asked, and emits the fill and both position changes.
   */
  void executeFill(
      MarketState m,
      int buyerC,
      int sellerC,
      long lots,
      long ticks,
      boolean takerIsBuyer,
      FillKind kind,
      boolean chargeFees) {
    long notional = Risk.value(m, lots, ticks);
    long buyerFee = 0;
    long sellerFee = 0;
    if (chargeFees) {
      long buyerRate = takerIsBuyer ? m.config.takerFeeRate() : m.config.makerFeeRate();
      long sellerRate = takerIsBuyer ? m.config.makerFeeRate() : m.config.takerFeeRate();
      buyerFee = Fixed.applyRate(notional, buyerRate, RoundingMode.CEILING);
      sellerFee = Fixed.applyRate(notional, sellerRate, RoundingMode.CEILING);
    }
    emit(
        new Event.Fill(
            nextSeq,
            now(),
            kind,
            m.name,
            accountNameOf(buyerC),
            marginName(buyerC),
            accountNameOf(sellerC),
            marginName(sellerC),
            takerIsBuyer ? Event.Taker.BUYER : Event.Taker.SELLER,
            m.config.size(lots),
            m.config.price(ticks),
            Decimal.money(notional),
            Decimal.money(buyerFee),
            Decimal.money(sellerFee)));
    applyFill(m, buyerC, lots, ticks, buyerFee);
    applyFill(m, sellerC, -lots, ticks, sellerFee);
  }

  /**
   * Moves one side's position by {@code delta} lots at {@code ticks}. The cost of a reduced
   * position leaves in proportion, rounded up so that realized PnL rounds down; the remainder stays
   * in the position's cost, so the split never creates or destroys value.
   */
  private void applyFill(MarketState m, int marginAccount, long delta, long ticks, long fee) {
    int p = ledger.positionId(marginAccount, m.id);
    long size = p == Ledger.NONE ? 0 : ledger.posSize(p);
    long cost = p == Ledger.NONE ? 0 : ledger.posCost(p);
    long realized = 0;
    long newSize;
    long newCost;
    if (size == 0 || Long.signum(size) == Long.signum(delta)) {
      newSize = Math.addExact(size, delta);
      newCost = Math.addExact(cost, Risk.value(m, delta, ticks));
    } else {
      long closing = Math.min(Math.abs(delta), Math.abs(size));
      long costRemoved = Fixed.mulDiv(cost, closing, Math.abs(size), RoundingMode.CEILING);
      realized = Math.subtractExact(Risk.value(m, Long.signum(size) * closing, ticks), costRemoved);
      newSize = Math.addExact(size, Long.signum(delta) * closing);
      newCost = Math.subtractExact(cost, costRemoved);
      long opening = Math.abs(delta) - closing;
      if (opening > 0) {
        newSize = Long.signum(delta) * opening;
        newCost = Risk.value(m, newSize, ticks);
      }
    }
    long cashDelta = Math.subtractExact(realized, fee);
    if (cashDelta != 0) {
      ledger.addCash(marginAccount, cashDelta);
    }
    if (fee != 0) {
      ledger.addFees(m.id, fee);
    }
    ledger.setPosition(marginAccount, m.id, newSize, newCost);
    emit(
        new Event.PositionChanged(
            nextSeq,
            now(),
            accountNameOf(marginAccount),
            marginName(marginAccount),
            m.name,
            m.config.size(size),
            m.config.size(newSize),
            entryPrice(m, newSize, newCost),
            Decimal.money(realized),
            Decimal.money(fee)));
  }

  /**
   * A trade must not leave a side with negative equity (a fill beyond its bankruptcy price, which
   * nothing would record as bad debt), and one that increases a side's risk must leave it with
   * equity at or above initial margin. Liquidity providers' own accounts are exempt: their limits
   * are the backstop's triggers.
   */
  private void checkInitialMargin(int marginAccount, long sizeBefore, int market, String role) {
    if (ledger.isProtectedLiquidity(marginAccount)) {
      return;
    }
    long equity = risk.equity(marginAccount);
    if (equity < 0) {
      throw new Rejection(
          RejectionCode.INSUFFICIENT_MARGIN,
          "insufficient margin: "
              + role
              + " "
              + accountNameOf(marginAccount)
              + " ("
              + marginName(marginAccount)
              + ") would have negative equity "
              + Decimal.money(equity));
    }
    long after = sizeOf(marginAccount, market);
    boolean increases =
        Math.abs(after) > Math.abs(sizeBefore) || Long.signum(after) * Long.signum(sizeBefore) < 0;
    if (!increases) {
      return;
    }
    long initial = risk.initialMargin(marginAccount);
    if (equity < initial) {
      throw new Rejection(
          RejectionCode.INSUFFICIENT_MARGIN,
          "insufficient margin: "
              + role
              + " "
              + accountNameOf(marginAccount)
              + " ("
              + marginName(marginAccount)
              + ") would have equity "
              + Decimal.money(equity)
              + " below initial margin "
              + Decimal.money(initial));
    }
  }

  // ================================================================ liquidation

  /**
   * Liquidates until no margin account is below maintenance margin: first the given candidates
   * (those a price tick crossed), then any margin account the previous round changed.
   *
   * <p>It terminates: every liquidation closes at least one lot of a liquidatable margin account,
   * and no fill of a cascade opens a lot in one (the maker of a close is the market's liquidity
   * account, which is never liquidated, or the pool's other side, whose opposite position shrinks;
   * deleveraging and LP rules only reduce their counterparties' positions). So a cascade has at
   * most as many liquidations as there were open lots when it started ({@link Ledger#G_OPEN_LOTS}),
   * and a round that liquidates nothing is the last. Exceeding that bound would be a broken
   * invariant, rejected as an internal error.
   */
  private void settle(IntArrayList crossed) {
    long bound = ledger.global(Ledger.G_OPEN_LOTS);
    long liquidations = 0;
    IntArrayList candidates = crossed;
    while (!candidates.isEmpty() || !ledger.dirty().isEmpty()) {
      int[] changed = sorted(ledger.dirty());
      refreshTriggers();
      IntHashSet seen = new IntHashSet();
      IntArrayList queue = new IntArrayList();
      for (int i = 0; i < candidates.size(); i++) {
        if (seen.add(candidates.getInt(i))) {
          queue.addInt(candidates.getInt(i));
        }
      }
      for (int c : changed) {
        if (c < ledger.marginAccountCount() && !seen.contains(c) && liquidatable(c)) {
          seen.add(c);
          queue.addInt(c);
        }
      }
      for (int i = 0; i < queue.size(); i++) {
        int c = queue.getInt(i);
        if (liquidatable(c)) {
          if (++liquidations > bound) {
            throw new IllegalStateException(
                "liquidation cascade exceeded its bound of " + bound + " liquidations");
          }
          liquidate(c);
        }
      }
      candidates = new IntArrayList();
    }
  }

  private boolean liquidatable(int marginAccount) {
    return !ledger.isProtectedLiquidity(marginAccount) && risk.belowMaintenance(marginAccount);
  }

  private void liquidate(int marginAccount) {
    int[] positions = ledger.positions(marginAccount).toIntArray();
    boolean partial = true;
    for (int p : positions) {
      partial &=
          ledger.market(ledger.posMarket(p)).config.liquidationMode() == LiquidationMode.PARTIAL;
    }
    Integer[] order = new Integer[positions.length];
    long[] notionals = new long[positions.length];
    for (int i = 0; i < positions.length; i++) {
      order[i] = i;
      MarketState m = ledger.market(ledger.posMarket(positions[i]));
      notionals[i] = Risk.notional(m, ledger.posSize(positions[i]), m.mark);
    }
    // Largest notional first; ties by market id. The market of the largest close serves the
    // account's surplus or shortfall.
    Arrays.sort(
        order,
        (a, b) ->
            notionals[a] != notionals[b]
                ? Long.compare(notionals[b], notionals[a])
                : Integer.compare(ledger.posMarket(positions[a]), ledger.posMarket(positions[b])));
    MarketState fundMarket = ledger.market(ledger.posMarket(positions[order[0]]));
    for (Integer i : order) {
      int p = positions[i];
      long size = Math.abs(ledger.posSize(p));
      if (partial) {
        long lots = smallestRestoringClose(marginAccount, p);
        if (lots > 0 && lots < size) {
          close(marginAccount, p, lots, false);
          return;
        }
        closeWhole(marginAccount, p, false);
        if (!risk.belowMaintenance(marginAccount) && !ledger.positions(marginAccount).isEmpty()) {
          return;
        }
      } else {
        closeWhole(marginAccount, p, true);
      }
    }
    if (ledger.positions(marginAccount).isEmpty()) {
      settleClosedAccount(marginAccount, fundMarket);
    }
  }

  /** Whether a margin account is a settlement pool's provider side. */
  private boolean isPoolProvider(int marginAccount) {
    MarginRef ref = ledger.marginRef(marginAccount);
    return ref.kind() == MarginRef.Kind.POOL
        && ledger.poolProvider(ledger.poolId(ref.name())) == marginAccount;
  }

  /** Whether a margin account is one side of a settlement pool. */
  boolean isPoolSide(int marginAccount) {
    return ledger.marginRef(marginAccount).kind() == MarginRef.Kind.POOL;
  }

  /** Closes a whole position, deleveraging it instead when the market's backstop fires. */
  private void closeWhole(int marginAccount, int p, boolean full) {
    // A settlement pool is bilateral: its positions close against the pool's other side only.
    BankruptcyResolution resolution = ledger.market(ledger.posMarket(p)).parts.resolution();
    if (!isPoolSide(marginAccount) && resolution.takesOver(context, marginAccount, p)) {
      resolution.takeOver(context, marginAccount, p);
    } else {
      close(marginAccount, p, Math.abs(ledger.posSize(p)), full);
    }
  }

  /**
   * The shortfall a full close of position {@code p} through the liquidity would leave: minus the
   * margin account's equity after the fill and the fee, other positions at mark; 0 if none.
   */
  long shortfallIfClosed(int marginAccount, int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long lots = Math.abs(ledger.posSize(p));
    boolean selling = ledger.posSize(p) > 0;
    long equity = risk.equity(marginAccount);
    long fill = fillPrice(m, selling, lots, equity);
    long after =
        Math.addExact(equity, Risk.value(m, lots, selling ? fill - m.mark : m.mark - fill));
    after = Math.subtractExact(after, liquidationFee(m, lots, fill, after));
    return Math.max(0, -after);
  }

  /**
   * The fewest lots of position {@code p} whose close (at the liquidity model's price, after the
   * fee) brings the margin account back to maintenance margin; 0 if even a full close does not.
   * Found by bisection, the restore condition being monotone in the lots closed.
   */
  private long smallestRestoringClose(int marginAccount, int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long size = Math.abs(ledger.posSize(p));
    boolean selling = ledger.posSize(p) > 0;
    long equity = risk.equity(marginAccount);
    long otherMargin =
        Math.subtractExact(risk.maintenanceMargin(marginAccount), risk.maintenance(p));
    if (!restores(m, size, selling, size, equity, otherMargin)) {
      return 0;
    }
    long lo = 0; // does not restore
    long hi = size; // restores
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (restores(m, size, selling, mid, equity, otherMargin)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private boolean restores(
      MarketState m, long size, boolean selling, long lots, long equity, long otherMargin) {
    long fillPrice = fillPrice(m, selling, lots, equity);
    long priceGain = selling ? fillPrice - m.mark : m.mark - fillPrice;
    long after = Math.addExact(equity, Risk.value(m, lots, priceGain));
    after = Math.subtractExact(after, liquidationFee(m, lots, fillPrice, after));
    long marginAfter =
        Math.addExact(
            otherMargin, m.config.tiers().maintenanceMargin(Risk.notional(m, size - lots, m.mark)));
    return after >= marginAfter;
  }

  /** The liquidation fee of a close, capped at the equity left; 0 on LP-counterparty venues. */
  private static long liquidationFee(MarketState m, long lots, long fillPrice, long equityAfter) {
    return m.parts.liquidity().liquidationFee(m.config, lots, fillPrice, equityAfter);
  }

  /**
   * The price of a liquidation close of {@code lots}, against the liquidated taker: the order
   * book's average impact, or the LP's penalty.
   */
  private static long fillPrice(MarketState m, boolean selling, long lots, long equity) {
    return m.parts.liquidity().closePrice(m.config, m.mark, m.bookDepth, selling, lots, equity);
  }

  /** The maker of a liquidation close: the pool's other side, or the market's liquidity account. */
  int liquidityMaker(MarketState m, int marginAccount) {
    if (ledger.marginRef(marginAccount).kind() == MarginRef.Kind.POOL) {
      return ledger.poolCounterparty(marginAccount);
    }
    return liquidityMarginAccount(m);
  }

  /**
   * Closes {@code lots} of position {@code p} of a liquidated margin account with the liquidity.
   */
  void close(int marginAccount, int p, long lots, boolean full) {
    MarketState m = ledger.market(ledger.posMarket(p));
    boolean selling = ledger.posSize(p) > 0;
    long bankruptcy = risk.bankruptcyPrice(p);
    long ticks = fillPrice(m, selling, lots, risk.equity(marginAccount));
    int maker = liquidityMaker(m, marginAccount);
    int buyer = selling ? maker : marginAccount;
    int seller = selling ? marginAccount : maker;
    executeFill(m, buyer, seller, lots, ticks, !selling, FillKind.LIQUIDATION, false);
    long fee = liquidationFee(m, lots, ticks, risk.equity(marginAccount));
    if (fee > 0) {
      ledger.addCash(marginAccount, -fee);
      ledger.addFund(m.fund, fee);
      emitFund(m, FundReason.LIQUIDATION_FEE, fee, marginAccount);
    }
    emit(
        new Event.Liquidated(
            nextSeq,
            now(),
            m.name,
            accountNameOf(marginAccount),
            marginName(marginAccount),
            accountNameOf(maker),
            marginName(maker),
            m.config.size(selling ? -lots : lots),
            m.config.price(ticks),
            m.config.price(m.mark),
            m.config.price(bankruptcy),
            Decimal.money(fee),
            m.config.size(sizeOf(marginAccount, m.id)),
            full || ledger.positions(marginAccount).isEmpty()));
    if (isPoolProvider(marginAccount)) {
      emitCounterpartyLiquidation(m, marginAccount, maker, selling ? lots : -lots, ticks);
    }
  }

  /**
   * Variational Omni: the OLP's side of a pool was liquidated, so the user's position closed at
   * mark plus the penalty, which the user receives as the liquidation reward.
   *
   * @param userLots the user's signed position change (positive: bought back a short)
   */
  private void emitCounterpartyLiquidation(
      MarketState m, int provider, int user, long userLots, long ticks) {
    long reward = Risk.notional(m, userLots, Math.abs(ticks - m.mark));
    Decimal size = m.config.size(userLots);
    String pool = ledger.marginRef(provider).name();
    emit(
        new Event.CounterpartyLiquidation(
            nextSeq,
            now(),
            pool,
            m.name,
            accountNameOf(user),
            accountNameOf(provider),
            size,
            m.config.price(ticks),
            m.config.price(m.mark),
            Decimal.money(reward)));
    Candidates.notice(
        context,
        m.id,
        user,
        Event.NoticeCategory.COUNTERPARTY_LIQUIDATION,
        size,
        ticks,
        reward,
        "Counterparty liquidation in pool "
            + pool
            + ": the liquidity provider could not keep its margin, so your "
            + m.name
            + " position of "
            + m.config.size(Math.abs(userLots))
            + " was closed at "
            + m.config.price(ticks)
            + " (mark "
            + m.config.price(m.mark)
            + "); you received the liquidation reward of "
            + Decimal.money(reward)
            + ".");
  }

  /**
   * A margin account with no positions left after liquidation: surplus to the fund if the market
   * says so; a shortfall is paid by the fund as far as it can, and the rest written off as bad
   * debt.
   */
  void settleClosedAccount(int marginAccount, MarketState m) {
    long left = ledger.cash(marginAccount);
    if (left > 0 && m.config.surplusRule() == SurplusRule.TO_INSURANCE) {
      ledger.addCash(marginAccount, -left);
      ledger.addFund(m.fund, left);
      emitFund(m, FundReason.LIQUIDATION_SURPLUS, left, marginAccount);
    } else if (left < 0) {
      long shortfall = -left;
      long cover = Math.min(shortfall, Math.max(0, ledger.fundBalance(m.fund)));
      if (cover > 0) {
        ledger.addFund(m.fund, -cover);
        ledger.addCash(marginAccount, cover);
        emitFund(m, FundReason.SHORTFALL_COVER, -cover, marginAccount);
      }
      long uncovered = m.parts.resolution().cover(context, marginAccount, m.id, shortfall - cover);
      if (uncovered > 0) {
        ledger.addCash(marginAccount, uncovered);
        ledger.addGlobal(Ledger.G_BAD_DEBT, uncovered);
        emit(
            new Event.BadDebtRecorded(
                nextSeq,
                now(),
                accountNameOf(marginAccount),
                marginName(marginAccount),
                m.name,
                Decimal.money(uncovered),
                Decimal.money(ledger.global(Ledger.G_BAD_DEBT))));
      }
    }
  }

  // ================================================================ liquidation index

  private void refreshTriggers() {
    IntHashSet dirty = ledger.dirty();
    if (dirty.isEmpty()) {
      return;
    }
    // Each margin account's keys are independent of the others', so no order is needed.
    IntHashSet.IntIterator it = dirty.iterator();
    while (it.hasNext()) {
      refreshTriggers(it.nextValue());
    }
    dirty.clear();
  }

  private void refreshAfterRollback() {
    for (int c : sorted(ledger.touched())) {
      if (c < ledger.marginAccountCount()) {
        refreshTriggers(c);
      }
    }
    ledger.dirty().clear();
  }

  private void refreshTriggers(int marginAccount) {
    IntArrayList ps = ledger.positions(marginAccount);
    boolean exempt = ledger.isProtectedLiquidity(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      int p = ps.getInt(i);
      MarketState m = ledger.market(ledger.posMarket(p));
      long size = ledger.posSize(p);
      TriggerIndex side = size > 0 ? m.longTriggers : m.shortTriggers;
      TriggerIndex other = size > 0 ? m.shortTriggers : m.longTriggers;
      other.remove(marginAccount);
      long trigger = exempt || size == 0 ? Long.MIN_VALUE : risk.triggerPrice(p);
      if (trigger == Long.MIN_VALUE) {
        side.remove(marginAccount);
      } else {
        side.put(marginAccount, trigger);
      }
    }
  }

  // ================================================================ lookups and validation

  private int accountOrCreate(String name) {
    int id = ledger.accountId(name);
    return id == Ledger.NONE ? ledger.createAccount(name) : id;
  }

  private int existingAccount(String name) {
    requireName(name, "account");
    int id = ledger.accountId(name);
    if (id == Ledger.NONE) {
      throw new Rejection(RejectionCode.UNKNOWN_ACCOUNT, "unknown account " + name);
    }
    return id;
  }

  private MarketState existingMarket(String name) {
    requireName(name, "market");
    int id = ledger.marketId(name);
    if (id == Ledger.NONE) {
      throw new Rejection(RejectionCode.UNKNOWN_MARKET, "unknown market " + name);
    }
    return ledger.market(id);
  }

  private void checkIsolatedMarket(MarginRef ref, MarketState m) {
    if (ref.kind() == MarginRef.Kind.ISOLATED && !ref.name().equals(m.name)) {
      throw new Rejection(
          RejectionCode.NOT_APPLICABLE,
          "isolated margin " + ref + " cannot trade market " + m.name);
    }
  }

  /** The margin account a margin reference names, created on demand when {@code create}. */
  private int marginAccount(int account, MarginRef ref, boolean create) {
    MarginRef r = ref == null ? MarginRef.cross() : ref;
    return switch (r.kind()) {
      case CROSS -> ledger.crossMarginAccount(account);
      case ISOLATED -> {
        MarketState m = existingMarket(r.name());
        int c = ledger.isolatedMarginAccount(account, m.id);
        if (c == Ledger.NONE) {
          if (!create) {
            throw new Rejection(
                RejectionCode.NOT_APPLICABLE,
                ledger.accountName(account) + " has no isolated margin in " + m.name);
          }
          c = ledger.createIsolated(account, m.id);
        }
        yield c;
      }
      case POOL -> {
        int pool = ledger.poolId(r.name());
        if (pool == Ledger.NONE) {
          throw new Rejection(RejectionCode.UNKNOWN_POOL, "unknown pool " + r.name());
        }
        int user = ledger.poolUser(pool);
        int provider = ledger.poolProvider(pool);
        if (ledger.owner(user) == account) {
          yield user;
        }
        if (ledger.owner(provider) == account) {
          yield provider;
        }
        throw new Rejection(
            RejectionCode.UNKNOWN_POOL,
            ledger.accountName(account) + " is not a party of pool " + r.name());
      }
    };
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, "missing " + what);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < name.length()
              && Character.isLowSurrogate(name.charAt(i + 1));
      if (pair) {
        i++;
      } else if (Character.isSurrogate(c)) {
        // A lone surrogate has no UTF-8 form: two such names would share one snapshot.
        throw new Rejection(
            RejectionCode.INVALID_ARGUMENT,
            what + " name is not well-formed Unicode (index " + i + ")");
      }
    }
    return name;
  }

  private static long units(Decimal value, int decimals, String what) {
    if (value == null) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, "missing " + what);
    }
    try {
      return value.toUnits(decimals);
    } catch (IllegalArgumentException e) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, what + " " + e.getMessage());
    }
  }

  private static long positiveMoney(Decimal value, String what) {
    return positive(value, Fixed.MONEY_DECIMALS, what, "money unit");
  }

  private static long positive(Decimal value, int decimals, String what, String unit) {
    if (value == null) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, "missing " + what);
    }
    if (value.signum() <= 0) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, what + " must be positive: " + value);
    }
    if (value.scale() > decimals) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT,
          what
              + " "
              + value
              + " is not a whole number of "
              + unit
              + "s ("
              + decimals
              + " decimals)");
    }
    return units(value, decimals, what);
  }

  /** The cross margin account of a market's liquidity account. */
  int liquidityMarginAccount(MarketState m) {
    return ledger.crossMarginAccount(ledger.accountId(m.config.liquidity().account()));
  }

  long sizeOf(int marginAccount, int market) {
    int p = ledger.positionId(marginAccount, market);
    return p == Ledger.NONE ? 0 : ledger.posSize(p);
  }

  static int[] sorted(IntHashSet set) {
    int[] a = new int[set.size()];
    int i = 0;
    IntHashSet.IntIterator it = set.iterator();
    while (it.hasNext()) {
      a[i++] = it.nextValue();
    }
    Arrays.sort(a);
    return a;
  }

  // ================================================================ events

  void emit(Event event) {
    events.add(event);
    nextSeq++;
  }

  private void emitFund(MarketState m, FundReason reason, long amount, int marginAccount) {
    emit(
        new Event.InsuranceFundChanged(
            nextSeq,
            now(),
            ledger.fundName(m.fund),
            m.name,
            reason,
            Decimal.money(amount),
            Decimal.money(ledger.fundBalance(m.fund)),
            marginAccount == Ledger.NONE ? null : accountNameOf(marginAccount)));
  }

  private long now() {
    return ledger.global(Ledger.G_TIME);
  }

  /**
   * The sequence number the next event will carry (a rejection carries it too, without using it
   * up). It continues across {@link #snapshot()} and {@link #restore}.
   */
  public long nextSequence() {
    return nextSeq;
  }

  /** The engine's clock, milliseconds. */
  public long time() {
    return now();
  }

  String accountNameOf(int marginAccount) {
    return ledger.accountName(ledger.owner(marginAccount));
  }

  String marginName(int marginAccount) {
    return ledger.marginRef(marginAccount).toString();
  }

  /** Average entry price: cost / size, to 8 decimals beyond the tick, rounded down. */
  static Decimal entryPrice(MarketState m, long lots, long cost) {
    if (lots == 0) {
      return Decimal.ZERO;
    }
    int extra = 8;
    long perTick = Math.multiplyExact(Math.abs(lots), m.config.notionalUnit());
    long scaled = Fixed.mulDiv(Math.abs(cost), Fixed.pow10(extra), perTick, RoundingMode.FLOOR);
    return Decimal.ofUnits(scaled, m.config.priceDecimals() + extra);
  }

  // ================================================================ queries

  /** The whole state, for output and checks. Costs a pass over every account. */
  public EngineState state() {
    return StateView.build(ledger, risk, stateHash());
  }

  /**
   * Where every open position of a market stands in its backstop: rank, score, quantile band and
   * what it would give if deleveraging fired now ({@link AdlRanking}). Computed on demand, once per
   * state: repeated calls between commands return the cached ranking, and no price tick pays for
   * it.
   *
   * @throws IllegalArgumentException for an unknown market
   */
  public AdlRanking adlRanking(String market) {
    int id = ledger.marketId(market);
    if (id == Ledger.NONE) {
      throw new IllegalArgumentException("unknown market " + market);
    }
    if (rankingVersion != stateVersion) {
      rankings.clear();
      rankingVersion = stateVersion;
    }
    return rankings.computeIfAbsent(id, k -> AdlRankings.of(context, k, ledger.market(k).parts));
  }

  /**
   * Checks the liquidation index against the positions, for tests: every entry is an open position
   * on its side with exactly the trigger the engine computes, and every position that has a trigger
   * is indexed. Returns the problems found (empty when consistent).
   */
  List<String> indexProblems() {
    List<String> problems = new ArrayList<>();
    for (int id = 0; id < ledger.marketCount(); id++) {
      MarketState m = ledger.market(id);
      for (TriggerIndex index : List.of(m.longTriggers, m.shortTriggers)) {
        boolean longs = index == m.longTriggers;
        index.forEach(
            (marginAccount, price) -> {
              int p = ledger.positionId(marginAccount, m.id);
              if (p == Ledger.NONE || (ledger.posSize(p) > 0) != longs) {
                problems.add(m.name + ": stale entry for margin account " + marginAccount);
              } else if (risk.triggerPrice(p) != price) {
                problems.add(m.name + ": margin account " + marginAccount + " indexed at " + price);
              }
            });
      }
      for (int p : sorted(m.holders)) {
        int c = ledger.posMarginAccount(p);
        long trigger = ledger.isProtectedLiquidity(c) ? Long.MIN_VALUE : risk.triggerPrice(p);
        TriggerIndex side = ledger.posSize(p) > 0 ? m.longTriggers : m.shortTriggers;
        if (side.get(c) != trigger) {
          problems.add(m.name + ": margin account " + c + " should be indexed at " + trigger);
        }
      }
    }
    return problems;
  }

  // ================================================================ snapshot

  /**
   * The whole state in its one canonical byte form: the format name and version, the next event
   * sequence number, then every ledger field that can change a future event (see {@code
   * docs/architecture.md}, "Snapshot"). Names are stored as full UTF-8, configurations field by
   * field. Two engines with equal snapshots emit the same events for the same commands; {@link
   * #restore} gives back such an engine.
   */
  public byte[] snapshot() {
    SnapshotWriter w = new SnapshotWriter();
    w.putString(SNAPSHOT_MAGIC).putInt(SNAPSHOT_VERSION).putLong(nextSeq);
    ledger.write(w);
    return w.toByteArray();
  }

  /**
   * The engine a snapshot describes, with its liquidation index rebuilt.
   *
   * @throws SnapshotException if the bytes are not a canonical snapshot of this format version
   */
  public static Engine restore(byte[] snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    SnapshotReader r = new SnapshotReader(snapshot);
    String magic = r.getString("format name");
    if (!magic.equals(SNAPSHOT_MAGIC)) {
      throw new SnapshotException("not a Backstop engine snapshot");
    }
    int version = r.getInt("format version");
    if (version != SNAPSHOT_VERSION) {
      throw new SnapshotException(
          "snapshot format version " + version + "; this engine reads " + SNAPSHOT_VERSION);
    }
    long nextSeq = r.getLong("next sequence");
    if (nextSeq < 1) {
      throw new SnapshotException("next sequence " + nextSeq + " must be positive");
    }
    Engine engine = new Engine(Ledger.read(r), nextSeq);
    r.expectEnd();
    for (int c = 0; c < engine.ledger.marginAccountCount(); c++) {
      engine.refreshTriggers(c);
    }
    if (!Arrays.equals(engine.snapshot(), snapshot)) {
      throw new SnapshotException("snapshot is not in canonical form");
    }
    return engine;
  }

  /**
   * The state hash: the first 8 bytes (big-endian) of the SHA-256 digest of {@link #snapshot()}.
   * Replicas and replays compare it bit for bit; equal hashes mean equal snapshots except with
   * probability about 2^-64 per pair.
   */
  public long stateHash() {
    return StateDigest.hash(snapshot());
  }
}
