package dev.backstop.core.engine;

import dev.backstop.core.collect.ScratchSets;
import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.Event.FillKind;
import dev.backstop.core.event.Event.FundReason;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.market.LiquidationMode;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.SurplusRule;
import dev.backstop.core.market.TakeoverSpec;
import dev.backstop.core.mechanism.BankruptcyResolution;
import dev.backstop.core.mechanism.Candidates;
import dev.backstop.core.mechanism.Liquidity;
import dev.backstop.core.mechanism.Mechanisms;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.LongArrayList;

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

  private static final int SNAPSHOT_VERSION = 2;

  private final Ledger ledger;
  private final OptionLedger optionLedger;
  private final Options options;
  private final Risk risk;
  private final EngineContext context;
  private final List<Event> events = new ArrayList<>();

  /** Where a streamed command's events go as they happen (null: into {@link #events}). */
  private Consumer<? super Event> stream;

  private long streamed;
  private RuntimeException sinkFailure;
  private long nextSeq;
  private long stateVersion;
  private long rankingVersion = -1;
  private final Int2ObjectHashMap<AdlRanking> rankings = new Int2ObjectHashMap<>();
  private Throwable lastInternalError;

  /**
   * Lots opened by fills in the current command, saturating: the cascade bound's growth. Reset by
   * every command, so that it is no part of the state (a restored engine starts it at 0 too).
   */
  private long lotsOpened;

  /** The market of each margin account's last fill in the current command. */
  private final org.agrona.collections.Int2IntHashMap lastMarket =
      new org.agrona.collections.Int2IntHashMap(-1);

  /** An empty engine at time 0. */
  public Engine() {
    this(new Ledger(), null, 1);
  }

  private Engine(Ledger ledger, OptionLedger optionLedger, long nextSeq) {
    this.ledger = ledger;
    this.optionLedger = optionLedger == null ? new OptionLedger(ledger) : optionLedger;
    this.risk = new Risk(ledger, this.optionLedger);
    this.options = new Options(this, ledger, this.optionLedger, risk);
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
    run(command);
    return List.copyOf(events);
  }

  /**
   * Applies one command and hands each event to {@code sink} as it happens, keeping none: for a
   * consumer whose commands cause more events than it can hold (one crash step of a million
   * accounts under contract pro rata makes tens of millions). The events and the state are those of
   * {@link #apply(Command)}.
   *
   * <p>A command is all or nothing, and its events are handed over before the engine knows which:
   * if it is refused, the sink has seen events of a command that then changed nothing, and gets the
   * {@link Event.Rejected} last; it must discard what it saw of this command (the simulator stops
   * the run). If the sink throws, the command is rolled back and the sink's exception is thrown
   * from here.
   *
   * @return the number of events handed over, the rejection included
   */
  public long apply(Command command, Consumer<? super Event> sink) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(sink, "sink");
    stream = sink;
    streamed = 0;
    try {
      run(command);
    } finally {
      stream = null;
    }
    if (!events.isEmpty()) {
      // the rejection: a command refused leaves exactly that one in the list
      sink.accept(events.get(0));
      streamed++;
      events.clear();
    }
    if (sinkFailure != null) {
      RuntimeException failure = sinkFailure;
      sinkFailure = null;
      throw failure;
    }
    return streamed;
  }

  private void run(Command command) {
    ledger.begin();
    optionLedger.begin();
    context.beginCommand();
    ScratchSets.clear(lastMarket);
    lotsOpened = 0;
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
        case Command.Quote c -> quote(c);
        case Command.CreateOption c -> options.create(c);
        case Command.OptionTrade c -> options.trade(c);
        case Command.SetVolatility c -> options.setVolatility(c);
        case Command.ExpireOption c -> options.expire(c);
      }
      refreshTriggers();
      stateVersion++;
    } catch (SinkFailure f) {
      // The consumer of a streamed command failed: nothing of the command stays, and the
      // consumer's exception goes back to it instead of a rejection.
      rollBack(firstSeq);
      sinkFailure = f.cause;
    } catch (RuntimeException | StackOverflowError e) {
      rollBack(firstSeq);
      // A rejection changes nothing, not even the sequence: the next event takes the same number.
      events.add(rejection(command, e));
    } catch (Error e) {
      // The process is in trouble (out of memory): leave the state as it was and let it stop.
      rollBack(firstSeq);
      throw e;
    }
  }

  /** A streamed command's sink threw {@code cause}. */
  private static final class SinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RuntimeException cause;

    SinkFailure(RuntimeException cause) {
      super(null, null, false, false);
      this.cause = cause;
    }
  }

  private void rollBack(long firstSeq) {
    context.beginCommand();
    ledger.rollback();
    optionLedger.rollback();
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
    if (ledger.marketId(name) != Ledger.NONE || optionLedger.id(name) != Ledger.NONE) {
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
    int id = ledger.createMarket(name, config, parts, fund);
    switch (config.liquidity()) {
      case LiquiditySpec.LpCounterparty lp ->
          claimRole(name, lp.account(), AccountRole.LIQUIDITY_PROVIDER, "liquidity provider");
      case LiquiditySpec.OrderBook book -> {
        switch (book.takeover()) {
          case TakeoverSpec.Fund f ->
              claimRole(
                  name,
                  fundAccountName(config.insuranceFund()),
                  AccountRole.INSURANCE_FUND,
                  "insurance fund account");
          case TakeoverSpec.Vault v ->
              claimRole(name, v.account(), AccountRole.LIQUIDATOR_VAULT, "liquidator vault");
          case TakeoverSpec.None n -> {}
        }
        emit(
            new Event.MarketCreated(nextSeq, now(), name, config.preset(), config.insuranceFund()));
        if (book.hasMaker()) {
          int maker = accountOrCreate(book.account());
          if (ledger.role(maker) != AccountRole.USER) {
            throw new Rejection(
                RejectionCode.INVALID_CONFIGURATION,
                "market "
                    + name
                    + ": the book's maker "
                    + book.account()
                    + " is not a user account");
          }
          if (book.depthAtOnePercent() > 0) {
            MarketState m = ledger.market(id);
            long[] offsets = Quotes.curveOffsets(book);
            long[] notionals = Quotes.curveNotionals(book, book.depthAtOnePercent());
            rest(m, ledger.crossMarginAccount(maker), offsets, notionals, offsets, notionals);
          }
        }
        return;
      }
    }
    emit(new Event.MarketCreated(nextSeq, now(), name, config.preset(), config.insuranceFund()));
  }

  /**
   * Gives the account a market's configuration names its role, creating it if needed: an account
   * that already trades as a user, or has another role, cannot take one.
   */
  private void claimRole(String market, String name, AccountRole role, String what) {
    int account = ledger.accountId(name);
    if (account == Ledger.NONE) {
      account = ledger.createAccount(name);
    } else if (ledger.role(account) != role) {
      int cross = ledger.crossMarginAccount(account);
      boolean used =
          ledger.cash(cross) != 0
              || !ledger.positions(cross).isEmpty()
              || role == AccountRole.INSURANCE_FUND;
      if (ledger.role(account) != AccountRole.USER || used) {
        throw new Rejection(
            RejectionCode.INVALID_CONFIGURATION,
            "market "
                + market
                + ": "
                + what
                + " "
                + name
                + " is already "
                + (ledger.role(account) == AccountRole.USER
                    ? "a trading account"
                    : "an account of another role")
                + "; name another account");
      }
    }
    ledger.setRole(account, role);
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
    if (ledger.role(account) == AccountRole.INSURANCE_FUND) {
      throw new Rejection(
          RejectionCode.RESERVED_ACCOUNT,
          "account " + name + " is an insurance fund's takeover account: top up the fund instead");
    }
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
    if (ledger.role(account) == AccountRole.INSURANCE_FUND) {
      throw new Rejection(
          RejectionCode.RESERVED_ACCOUNT,
          "account " + c.account() + " is an insurance fund's takeover account: nothing withdraws");
    }
    int marginAccount = marginAccount(account, c.margin(), false);
    settleFunding(ledger.positions(marginAccount));
    long free = withdrawable(marginAccount);
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
    long assets =
        Math.subtractExact(
            Math.addExact(
                ledger.global(Ledger.G_DEPOSITED), ledger.global(Ledger.G_INSURANCE_FUNDED)),
            ledger.global(Ledger.G_WITHDRAWN));
    if (amount > assets) {
      // Only bad debt makes claims exceed what came in: the venue cannot pay out what it lacks.
      throw new Rejection(
          RejectionCode.INSUFFICIENT_ASSETS,
          "withdrawal of "
              + Decimal.money(amount)
              + " exceeds the venue's assets "
              + Decimal.money(Math.max(0, assets))
              + " (deposits and top-ups less withdrawals; bad debt "
              + Decimal.money(ledger.global(Ledger.G_BAD_DEBT))
              + " is unbacked)");
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

  /**
   * What a margin account may withdraw: settled cash above the initial margin of its positions, and
   * never more than its equity allows; unrealized profit counts only where every market it holds
   * says so (dYdX v4's free collateral), so a withdrawal never leaves negative collateral.
   */
  private long withdrawable(int marginAccount) {
    long equityFree =
        Math.subtractExact(risk.equity(marginAccount), risk.initialMargin(marginAccount));
    // An option's unrealized PnL is a model's: never withdrawable.
    boolean unrealized = !optionLedger.holds(marginAccount);
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      unrealized &=
          ledger.market(ledger.posMarket(ps.getInt(i))).config.unrealizedPnlWithdrawable();
    }
    long cashFree =
        Math.subtractExact(ledger.cash(marginAccount), risk.initialMargin(marginAccount));
    return Math.min(
        ledger.cash(marginAccount), unrealized ? equityFree : Math.min(equityFree, cashFree));
  }

  private void fundInsurance(Command.FundInsurance c) {
    MarketState m = existingMarket(c.market());
    long amount = positiveMoney(c.amount(), "amount");
    ledger.addFund(m.fund, amount);
    ledger.addGlobal(Ledger.G_INSURANCE_FUNDED, amount);
    emitFund(m, FundReason.TOP_UP, amount, Ledger.NONE);
  }

  private void quote(Command.Quote c) {
    MarketState m = existingMarket(c.market());
    LiquiditySpec.OrderBook book = m.config.book();
    if (book == null) {
      throw new Rejection(
          RejectionCode.NOT_APPLICABLE,
          "market " + m.name + " has no order book: its liquidity is an LP");
    }
    int account = existingAccount(c.account());
    requireUser(account, "quote");
    MarginRef ref = c.margin() == null ? MarginRef.cross() : c.margin();
    if (ref.kind() == MarginRef.Kind.POOL) {
      throw new Rejection(
          RejectionCode.NOT_APPLICABLE, "a settlement pool's side cannot rest orders in a book");
    }
    checkIsolatedMarket(ref, m);
    int maker = marginAccount(account, ref, true);
    long[] bidOffsets;
    long[] bidNotionals;
    long[] askOffsets;
    long[] askNotionals;
    if (c.depth() != null) {
      if (c.bids() != null || c.asks() != null) {
        throw new Rejection(
            RejectionCode.INVALID_ARGUMENT, "a quote gives either a depth or levels, not both");
      }
      long depth = money(c.depth(), "depth");
      if (depth < 0) {
        throw new Rejection(RejectionCode.INVALID_ARGUMENT, "depth must not be negative");
      }
      bidOffsets = depth == 0 ? new long[0] : Quotes.curveOffsets(book);
      bidNotionals = depth == 0 ? new long[0] : Quotes.curveNotionals(book, depth);
      askOffsets = bidOffsets;
      askNotionals = bidNotionals;
    } else {
      if (c.bids() == null && c.asks() == null) {
        throw new Rejection(RejectionCode.INVALID_ARGUMENT, "a quote needs a depth or levels");
      }
      bidOffsets = offsets(c.bids(), "bids");
      bidNotionals = notionals(c.bids(), "bids");
      askOffsets = offsets(c.asks(), "asks");
      askNotionals = notionals(c.asks(), "asks");
    }
    rest(m, maker, bidOffsets, bidNotionals, askOffsets, askNotionals);
  }

  private static long[] offsets(List<Command.Level> levels, String side) {
    if (levels == null) {
      return new long[0];
    }
    long[] out = new long[levels.size()];
    for (int k = 0; k < out.length; k++) {
      Command.Level l = requireLevel(levels, k, side);
      out[k] = units(l.offset(), Fixed.RATE_DECIMALS, side + " level " + k + " offset");
    }
    return out;
  }

  private static long[] notionals(List<Command.Level> levels, String side) {
    if (levels == null) {
      return new long[0];
    }
    long[] out = new long[levels.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = money(requireLevel(levels, k, side).notional(), side + " level " + k + " notional");
    }
    return out;
  }

  private static Command.Level requireLevel(List<Command.Level> levels, int k, String side) {
    Command.Level l = levels.get(k);
    if (l == null) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, side + " level " + k + " is missing");
    }
    return l;
  }

  private static long money(Decimal value, String what) {
    if (value != null && value.scale() > Fixed.MONEY_DECIMALS) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, what + " " + value + " is finer than a money unit");
    }
    return units(value, Fixed.MONEY_DECIMALS, what);
  }

  /**
   * Rests a maker's ladders (an empty side cancels that side), carrying over what fills consumed of
   * its previous ones, capped at the new ladder's notional.
   */
  private void rest(
      MarketState m,
      int maker,
      long[] bidOffsets,
      long[] bidNotionals,
      long[] askOffsets,
      long[] askNotionals) {
    List<Quote> next = new ArrayList<>();
    Quote oldBid = null;
    Quote oldAsk = null;
    for (Quote q : m.quotes) {
      if (q.marginAccount != maker) {
        next.add(q);
      } else if (q.bid) {
        oldBid = q;
      } else {
        oldAsk = q;
      }
    }
    long halfLife = m.config.book().halfLifeMillis();
    Quote bid = ladder(m, maker, true, bidOffsets, bidNotionals, oldBid, halfLife);
    Quote ask = ladder(m, maker, false, askOffsets, askNotionals, oldAsk, halfLife);
    if (bid != null) {
      next.add(bid);
    }
    if (ask != null) {
      next.add(ask);
    }
    next.sort(Quotes.ORDER);
    ledger.setQuotes(m.id, next);
    emit(
        new Event.Quoted(
            nextSeq,
            now(),
            m.name,
            accountNameOf(maker),
            marginName(maker),
            bidOffsets.length,
            askOffsets.length,
            Decimal.money(bid == null ? 0 : bid.total()),
            Decimal.money(ask == null ? 0 : ask.total())));
  }

  private Quote ladder(
      MarketState m,
      int maker,
      boolean bid,
      long[] offsets,
      long[] notionals,
      Quote previous,
      long halfLife) {
    if (offsets.length == 0) {
      return null;
    }
    String problem = Quotes.problem(offsets, notionals);
    if (problem != null) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT,
          (bid ? "bids" : "asks") + " of " + m.name + ": " + problem);
    }
    Quote q = new Quote(maker, bid, offsets, notionals);
    if (previous != null) {
      q.consumed = Math.min(previous.consumedAt(now(), halfLife), q.total());
      q.consumedTime = now();
    }
    return q;
  }

  /** Refuses a command of a user naming an account the engine or a vault owns. */
  void requireUser(int account, String what) {
    AccountRole role = ledger.role(account);
    if (role == AccountRole.INSURANCE_FUND || role == AccountRole.LIQUIDATOR_VAULT) {
      throw new Rejection(
          RejectionCode.RESERVED_ACCOUNT,
          "account "
              + ledger.accountName(account)
              + " is "
              + (role == AccountRole.INSURANCE_FUND
                  ? "an insurance fund's takeover account"
                  : "a liquidator vault")
              + ": no "
              + what
              + " may name it");
    }
  }

  private void trade(Command.Trade c) {
    MarketState m = existingMarket(c.market());
    int buyer = existingAccount(c.buyer());
    int seller = existingAccount(c.seller());
    if (buyer == seller) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, "buyer and seller are the same account " + c.buyer());
    }
    requireUser(buyer, "trade");
    requireUser(seller, "trade");
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
    if (m.config.liquidity() instanceof LiquiditySpec.LpCounterparty lp
        && lp.poolsOnly()
        && buyerRef.kind() != MarginRef.Kind.POOL
        && (c.buyer().equals(lp.account()) || c.seller().equals(lp.account()))) {
      throw new Rejection(
          RejectionCode.NOT_APPLICABLE,
          "the liquidity provider " + lp.account() + " trades only inside settlement pools");
    }
    checkPriceBand(m, ticks);
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

  /**
   * A trade must be priced within the market's band around the mark (a venue's price protection): a
   * trade at an arbitrary price would move value between its two accounts.
   */
  private static void checkPriceBand(MarketState m, long ticks) {
    if (m.mark == 0) {
      return;
    }
    long low = Liquidity.concede(m.mark, m.config.priceBandRate(), true);
    long high = Liquidity.concede(m.mark, m.config.priceBandRate(), false);
    if (ticks < low || ticks > high) {
      throw new Rejection(
          RejectionCode.PRICE_BAND,
          "price "
              + m.config.price(ticks)
              + " is outside the band "
              + m.config.price(low)
              + " to "
              + m.config.price(high)
              + " around the mark "
              + m.config.price(m.mark)
              + " of "
              + m.name);
    }
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
    IntArrayList crossed = new IntArrayList();
    crossed(m, m.longTriggers, mark, crossed);
    crossed(m, m.shortTriggers, mark, crossed);
    options.affectedBy(m.id, crossed);
    settle(crossed);
    if (m.parts.tickRule().afterPrice(context, m.id)) {
      settle(new IntArrayList());
    }
    offloadTakeovers();
    settle(new IntArrayList());
  }

  private void emitPrice(MarketState m, Event.PriceSource source) {
    emit(
        new Event.PriceUpdated(
            nextSeq, now(), m.name, m.config.price(m.mark), m.config.price(m.index), source));
  }

  /**
   * A funding round: {@code rate * mark * unit} added to the market's cumulative index, which every
   * position settles against when next touched ({@link #settleFunding}); the round itself costs the
   * accounts it may bring to their trigger, not every holder. Longs pay shorts at a positive rate.
   * One round settled at once pays what the per-position rule pays: {@code notional * |rate|},
   * rounded up for a payer and down for a receiver. Across rounds the rounding is once per
   * settlement, on the sum.
   *
   * <p>The round moves every holder's trigger a little, so the liquidation index's query shifts by
   * the drift ({@link Risk#reachOffset}); accounts holding this market and another are keyed again
   * (their conservative triggers in the other markets include what they owe here); accounts with
   * options are checked, as at every price of a market they hold.
   */
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
    long perLot;
    long payment;
    try {
      perLot = Math.multiplyExact(Math.multiplyExact(rate, m.mark), m.config.notionalUnit());
      payment = Fixed.mulDiv(m.longLots, Math.abs(perLot), Fixed.RATE_ONE, RoundingMode.FLOOR);
      ledger.addFunding(m.id, perLot, Risk.fundingDrift(m, rate));
    } catch (ArithmeticException e) {
      throw new Rejection(
          RejectionCode.OVERFLOW,
          "funding rate " + c.rate() + " at mark " + m.config.price(m.mark) + " overflows");
    }
    ledger.markMultiMarketHoldersDirty(m.id);
    emit(
        new Event.FundingSettled(
            nextSeq,
            now(),
            m.name,
            Decimal.ofUnits(rate, Fixed.RATE_DECIMALS),
            m.config.price(m.mark),
            m.config.size(m.longLots),
            Decimal.money(payment)));
    IntArrayList crossed = new IntArrayList();
    crossed(m, m.longTriggers, m.mark, crossed);
    crossed(m, m.shortTriggers, m.mark, crossed);
    options.affectedBy(m.id, crossed);
    settle(crossed);
  }

  /**
   * Settles what position {@code p} owes for funding since it was last settled ({@link
   * Risk#funding}): from its margin account's cash into the market's funding pool, or out of the
   * pool for a receiver, with a {@code funding-paid} event when anything moved. Called before a
   * position changes and before a withdrawal, so that a size is always funded for exactly the
   * rounds it was held through.
   */
  private void settleFunding(int p) {
    long owed = risk.funding(p);
    ledger.settleFunding(p);
    if (owed == 0) {
      return;
    }
    MarketState m = ledger.market(ledger.posMarket(p));
    int marginAccount = ledger.posMarginAccount(p);
    ledger.addCash(marginAccount, -owed);
    ledger.addFundingPool(m.id, owed);
    emit(
        new Event.FundingPaid(
            nextSeq,
            now(),
            accountNameOf(marginAccount),
            marginName(marginAccount),
            m.name,
            m.config.size(ledger.posSize(p)),
            Decimal.money(-owed)));
  }

  /** Settles the funding of every position of a margin account, in market order. */
  private void settleFunding(IntArrayList positions) {
    for (int i = 0; i < positions.size(); i++) {
      settleFunding(positions.getInt(i));
    }
  }

  private void freeLpMargin(Command.FreeLpMargin c) {
    int provider = existingAccount(c.provider());
    long amount = positiveMoney(c.amount(), "amount");
    List<Integer> sides = new ArrayList<>();
    for (int pool = 0; pool < ledger.poolCount(); pool++) {
      int side = ledger.poolProvider(pool);
      if (ledger.owner(side) == provider
          && (!ledger.positions(side).isEmpty() || optionLedger.holds(side))) {
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
      if (optionLedger.holds(side)) {
        options.liquidate(side);
      }
      for (int p : ledger.positions(side).toIntArray()) {
        closeWithProvider(side, p, Math.abs(ledger.posSize(p)), true);
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
    offloadTakeovers();
    settle(options.holders());
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
    if (p != Ledger.NONE) {
      settleFunding(p);
    }
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
    if (Math.abs(newSize) > Math.abs(size) || Long.signum(newSize) * Long.signum(size) < 0) {
      lotsOpened = saturatingAdd(lotsOpened, Math.abs(newSize));
    }
    ledger.setPosition(marginAccount, m.id, newSize, newCost);
    lastMarket.put(marginAccount, m.id);
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
   * equity at or above initial margin. No account is exempt: a liquidity provider trades only with
   * the capital it has.
   */
  private void checkInitialMargin(int marginAccount, long sizeBefore, int market, String role) {
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
   * <p>It terminates. Every account is margined, so a cascade may move lots into accounts that were
   * safe (a maker filling a close, the fund or a vault taking a position over), but each such fill
   * is checked against the taker's margin at the same mark, and the mark does not move within a
   * command. A liquidation either moves at least one lot or changes nothing; one that changes
   * nothing leaves its account clean, so it is tried again only if another account's progress
   * touches it. Hence at most {@code 2 * (lots open at the start + lots opened since) + margin
   * accounts} liquidations; exceeding that bound would be a broken invariant, rejected as an
   * internal error.
   */
  void settle(IntArrayList crossed) {
    long openedAtStart = lotsOpened;
    long open = ledger.global(Ledger.G_OPEN_LOTS);
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
        if (c < ledger.marginAccountCount() && !seen.contains(c) && risk.belowMaintenance(c)) {
          seen.add(c);
          queue.addInt(c);
        }
      }
      for (int c : changed) {
        // An account left without positions in debt by a rule that closed them (an LP's reduction,
        // a counterparty liquidation): settled like any fully liquidated account.
        if (c < ledger.marginAccountCount()
            && ledger.positions(c).isEmpty()
            && !optionLedger.holds(c)
            && ledger.cash(c) < 0
            && lastMarket.containsKey(c)) {
          settleClosedAccount(c, ledger.market(lastMarket.get(c)));
        }
      }
      for (int i = 0; i < queue.size(); i++) {
        int c = queue.getInt(i);
        if (risk.belowMaintenance(c)) {
          long bound =
              saturatingAdd(
                  saturatingAdd(
                      saturatingAdd(open, lotsOpened - openedAtStart),
                      saturatingAdd(open, lotsOpened - openedAtStart)),
                  ledger.marginAccountCount());
          if (++liquidations > bound) {
            throw new IllegalStateException(
                "liquidation cascade exceeded its bound of " + bound + " liquidations");
          }
          liquidate(c);
        }
      }
      // A research policy's round: the positions this pass sent to it, resolved together; what it
      // changed, and the accounts it held, are the next pass's to check
      candidates = context.runDeferred();
    }
  }

  private void liquidate(int marginAccount) {
    if (optionLedger.holds(marginAccount)) {
      // A pool side's options close first, at their volatility plus the penalty (Options).
      int underlying = options.liquidate(marginAccount);
      if (ledger.positions(marginAccount).isEmpty()) {
        settleClosedAccount(marginAccount, ledger.market(underlying));
        return;
      }
      boolean full = false;
      for (int p : ledger.positions(marginAccount).toIntArray()) {
        full |= ledger.market(ledger.posMarket(p)).config.liquidationMode() == LiquidationMode.FULL;
      }
      if (!full && !risk.belowMaintenance(marginAccount)) {
        return; // partial: closing the options restored maintenance margin
      }
    }
    int[] positions = ledger.positions(marginAccount).toIntArray();
    boolean partial = true;
    for (int p : positions) {
      partial &=
          ledger.market(ledger.posMarket(p)).config.liquidationMode() == LiquidationMode.PARTIAL;
    }
    int[] order = new int[positions.length];
    long[] notionals = new long[positions.length];
    int[] markets = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      markets[i] = ledger.posMarket(positions[i]);
      MarketState m = ledger.market(markets[i]);
      notionals[i] = Risk.notional(m, ledger.posSize(positions[i]), m.mark);
      // Largest notional first; ties by market id (an account holds one position a market, so the
      // order is total). An insertion sort: an account holds a few positions, most of them one.
      int j = i;
      while (j > 0 && before(notionals, markets, i, order[j - 1])) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
    // The market of the largest close serves the account's surplus or shortfall.
    MarketState fundMarket = ledger.market(markets[order[0]]);
    for (int i : order) {
      // A takeover may have moved every position already (a vault takes the whole account).
      int p = ledger.positionId(marginAccount, markets[i]);
      if (p == Ledger.NONE) {
        continue;
      }
      long size = Math.abs(ledger.posSize(p));
      if (partial) {
        long lots = smallestRestoringClose(marginAccount, p);
        if (lots > 0 && lots < size && closePart(marginAccount, p, lots) > 0) {
          return;
        }
        closeWhole(marginAccount, p, false);
        if (context.held(marginAccount)
            || !risk.belowMaintenance(marginAccount)
                && !ledger.positions(marginAccount).isEmpty()) {
          return;
        }
      } else {
        closeWhole(marginAccount, p, true);
        if (context.held(marginAccount)) {
          return; // the rest after the pass's round, which finishes the liquidation
        }
      }
    }
    finishLiquidation(marginAccount, fundMarket);
  }

  /** Whether position {@code a} closes before {@code b}: larger notional, then lower market id. */
  private static boolean before(long[] notionals, int[] markets, int a, int b) {
    return notionals[a] != notionals[b] ? notionals[a] > notionals[b] : markets[a] < markets[b];
  }

  /**
   * After a liquidation: a margin account left without positions settles its surplus or shortfall;
   * one whose positions nobody could take yet (the book empty within its limit, no taker with the
   * capital) keeps them, and a deficit it already has is covered by the fund, then the backstop,
   * then written off as bad debt, so that no account is left at negative equity unrecorded.
   */
  void finishLiquidation(int marginAccount, MarketState fundMarket) {
    if (ledger.positions(marginAccount).isEmpty()) {
      settleClosedAccount(marginAccount, fundMarket);
      return;
    }
    long equity = risk.equity(marginAccount);
    if (equity < 0) {
      coverShortfall(marginAccount, fundMarket, -equity);
    }
  }

  /** {@code a + b} for non-negative values, at most {@link Long#MAX_VALUE}. */
  private static long saturatingAdd(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  /** Whether a margin account is a settlement pool's provider side. */
  boolean isPoolProvider(int marginAccount) {
    MarginRef ref = ledger.marginRef(marginAccount);
    return ref.kind() == MarginRef.Kind.POOL
        && ledger.poolProvider(ledger.poolId(ref.name())) == marginAccount;
  }

  /** Whether a margin account is one side of a settlement pool. */
  boolean isPoolSide(int marginAccount) {
    return ledger.marginRef(marginAccount).kind() == MarginRef.Kind.POOL;
  }

  /**
   * A partial close of {@code lots} through the market's liquidity (the book within the order's
   * limit, or the liquidity provider); returns the lots closed.
   */
  private long closePart(int marginAccount, int p, long lots) {
    MarketState m = ledger.market(ledger.posMarket(p));
    if (isPoolSide(marginAccount) || !m.parts.liquidity().isBook()) {
      closeWithProvider(marginAccount, p, lots, false);
      return lots;
    }
    return walkBook(marginAccount, p, lots, orderLimit(m, p), true, false);
  }

  /**
   * Closes a whole position: through the book within the order's limit, then what it could not fill
   * through the takeover layer and the backstop; on an LP market through the liquidity provider,
   * whose own liquidation closes against its traders.
   */
  private void closeWhole(int marginAccount, int p, boolean full) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long lots = Math.abs(ledger.posSize(p));
    if (isPoolSide(marginAccount)) {
      // A settlement pool is bilateral: its positions close against the pool's other side only.
      closeWithProvider(marginAccount, p, lots, full);
      return;
    }
    if (!m.parts.liquidity().isBook()) {
      if (marginAccount == liquidityMarginAccount(m)) {
        counterpartyLiquidation(marginAccount, p);
      } else {
        closeWithProvider(marginAccount, p, lots, full);
      }
      return;
    }
    walkBook(marginAccount, p, lots, orderLimit(m, p), true, full);
    if (ledger.positionId(marginAccount, m.id) == Ledger.NONE) {
      return;
    }
    takeOverOrResolve(marginAccount, p, m, m.config.book().takeover());
  }

  /** The limit of a liquidation order for position {@code p}. */
  private long orderLimit(MarketState m, int p) {
    return m.parts.liquidity().limitPrice(m.mark, risk.bankruptcyPrice(p), ledger.posSize(p) > 0);
  }

  /**
   * What the book could not fill: the takeover layer takes it if it has the capital (the fund at
   * the bankruptcy price, or a vault at the mark once equity is below its trigger); otherwise the
   * market's backstop deleverages it if its trigger fires; otherwise it stays open for the next
   * price or time update.
   */
  private void takeOverOrResolve(int marginAccount, int p, MarketState m, TakeoverSpec takeover) {
    BankruptcyResolution resolution = m.parts.resolution();
    boolean deleverages = resolution.deleverages();
    boolean fundMayPay = !resolution.forbidsFund(context, m.id);
    boolean declined = false;
    // A takeover account is never taken over by another layer's account (nor by its own): two
    // vaults of a cross account's markets would hand the same positions back and forth without
    // end. What such an account cannot close goes to the resolution, as for a market without one.
    TakeoverSpec layer =
        ledger.isTakeoverAccount(marginAccount) ? new TakeoverSpec.None() : takeover;
    switch (layer) {
      case TakeoverSpec.Fund f -> {
        if (fundMayPay) {
          if (fundTakeover(marginAccount, p, m, f, !deleverages)) {
            return;
          }
          declined = true;
        }
      }
      case TakeoverSpec.Vault v -> {
        int vault = ledger.crossMarginAccount(ledger.accountId(v.account()));
        long equity = risk.equity(marginAccount);
        long below =
            Fixed.mulDiv(
                risk.maintenanceMargin(marginAccount),
                v.triggerRate(),
                Fixed.RATE_ONE,
                RoundingMode.FLOOR);
        if (equity >= below) {
          return; // between the trigger and maintenance: the book tries again
        }
        if ((equity >= 0 || !deleverages) && vaultTakeover(marginAccount, m, vault, !deleverages)) {
          return;
        }
        declined = true; // Hyperliquid: ADL when the vault does not take it
      }
      case TakeoverSpec.None n -> {}
    }
    if (resolution.takesOver(context, marginAccount, p, declined)) {
      resolution.takeOver(context, marginAccount, p);
    }
  }

  /**
   * The insurance fund takes the position over at its bankruptcy price, posting from the fund the
   * margin its account needs ({@link #fundNeeds}), within the net notional cap: the whole position
   * if it can, else the most lots it can carry, the rest going on to the backstop. Forced (a
   * backstop that does not deleverage) it takes the whole position and posts what it has. Returns
   * whether it took the whole position.
   */
  private boolean fundTakeover(
      int marginAccount, int p, MarketState m, TakeoverSpec.Fund f, boolean forced) {
    int fundAccount = fundMarginAccount(m);
    long size = ledger.posSize(p);
    boolean selling = size > 0;
    long total = Math.abs(size);
    long price = Math.min(Risk.MAX_TICKS, Math.max(1, risk.bankruptcyPrice(p)));
    long balance = Math.max(0, ledger.fundBalance(m.fund));
    long lots = total;
    FundBase base = fundBase(fundAccount, m);
    if (!forced && fundNeeds(base, m, f, selling, total, price) > balance) {
      // The most the fund can carry within its capital and cap: a part over, the rest goes on.
      long lo = 0; // fits
      long hi = total; // does not
      while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (fundNeeds(base, m, f, selling, mid, price) <= balance) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      lots = lo;
    }
    if (lots == 0) {
      return false;
    }
    long need = fundNeeds(base, m, f, selling, lots, price);
    long post = Math.min(need == Long.MAX_VALUE ? balance : need, balance);
    if (post > 0) {
      ledger.addFund(m.fund, -post);
      ledger.addCash(fundAccount, post);
      emitFund(m, FundReason.TAKEOVER_MARGIN, -post, fundAccount);
    }
    executeFill(
        m,
        selling ? fundAccount : marginAccount,
        selling ? marginAccount : fundAccount,
        lots,
        price,
        !selling,
        FillKind.TAKEOVER,
        false);
    emitTakenOver(
        m,
        marginAccount,
        fundAccount,
        Event.TakeoverLayer.FUND,
        selling ? -lots : lots,
        price,
        post);
    return lots == total;
  }

  /**
   * What the fund's account holds in market {@code m} before a takeover, read once for the search
   * of {@link #fundTakeover}: its position's size there, its equity, the maintenance margin of its
   * other positions, and the fund's balance (at least 0).
   */
  private record FundBase(long size, long equity, long otherMargin, long balance) {}

  private FundBase fundBase(int fundAccount, MarketState m) {
    int own = ledger.positionId(fundAccount, m.id);
    return new FundBase(
        own == Ledger.NONE ? 0 : ledger.posSize(own),
        risk.equity(fundAccount),
        Math.subtractExact(
            risk.maintenanceMargin(fundAccount), own == Ledger.NONE ? 0 : risk.maintenance(own)),
        Math.max(0, ledger.fundBalance(m.fund)));
  }

  /**
   * The margin the fund must post for its account ({@code base}) to take {@code lots} at {@code
   * price}: its equity after at or above its maintenance margin after (the fund holds a bankrupt
   * position as a liquidation engine does, not as a new trade); {@link Long#MAX_VALUE} when the net
   * notional cap (a rate of the fund's value: balance plus its account's equity) would be exceeded.
   */
  private static long fundNeeds(
      FundBase base, MarketState m, TakeoverSpec.Fund f, boolean buying, long lots, long price) {
    long delta = buying ? lots : -lots;
    long sizeAfter = Math.addExact(base.size(), delta);
    long equityAfter =
        Math.addExact(
            base.equity(),
            Math.subtractExact(Risk.value(m, delta, m.mark), Risk.value(m, delta, price)));
    long marginAfter =
        Math.addExact(
            base.otherMargin(),
            m.config.tiers().maintenanceMargin(Risk.notional(m, sizeAfter, m.mark)));
    long need = Math.max(0, Math.subtractExact(marginAfter, equityAfter));
    if (f.netNotionalCapRate() > 0) {
      long value = Math.addExact(base.balance(), equityAfter);
      long cap =
          value <= 0
              ? 0
              : Fixed.mulDiv(value, f.netNotionalCapRate(), Fixed.RATE_ONE, RoundingMode.FLOOR);
      if (Risk.notional(m, sizeAfter, m.mark) > cap) {
        return Long.MAX_VALUE;
      }
    }
    return need;
  }

  /**
   * Hyperliquid's backstop liquidation: every position of the margin account and its whole
   * collateral move to the vault at the mark. Refused, unless {@code forced}, when the vault could
   * not keep its maintenance margin with them.
   */
  private boolean vaultTakeover(int marginAccount, MarketState m, int vault, boolean forced) {
    long equityAfter = Math.addExact(risk.equity(vault), risk.equity(marginAccount));
    if (!forced && equityAfter < mergedMaintenance(vault, marginAccount)) {
      return false;
    }
    // What moves with the positions: the collateral left once they are closed at the mark.
    long collateral = Math.max(0, risk.equity(marginAccount));
    int[] positions = ledger.positions(marginAccount).toIntArray();
    Arrays.sort(positions);
    boolean first = true;
    for (int q : positions) {
      MarketState qm = ledger.market(ledger.posMarket(q));
      long size = ledger.posSize(q);
      long lots = Math.abs(size);
      boolean selling = size > 0;
      executeFill(
          qm,
          selling ? vault : marginAccount,
          selling ? marginAccount : vault,
          lots,
          qm.mark,
          !selling,
          FillKind.TAKEOVER,
          false);
      emitTakenOver(
          qm,
          marginAccount,
          vault,
          Event.TakeoverLayer.VAULT,
          -size,
          qm.mark,
          first ? collateral : 0);
      first = false;
    }
    // "The maintenance margin is not returned to the user": what is left goes with them. A deficit
    // (a backstop that does not deleverage) stays with the account, for its waterfall.
    long left = ledger.cash(marginAccount);
    if (left > 0) {
      ledger.addCash(marginAccount, -left);
      ledger.addCash(vault, left);
    }
    return true;
  }

  /** The maintenance margin of {@code a}'s and {@code b}'s positions held together, at mark. */
  private long mergedMaintenance(int a, int b) {
    long total = 0;
    IntArrayList pa = ledger.positions(a);
    for (int i = 0; i < pa.size(); i++) {
      int q = pa.getInt(i);
      if (ledger.positionId(b, ledger.posMarket(q)) == Ledger.NONE) {
        total = Math.addExact(total, risk.maintenance(q));
      }
    }
    IntArrayList pb = ledger.positions(b);
    for (int i = 0; i < pb.size(); i++) {
      int q = pb.getInt(i);
      MarketState qm = ledger.market(ledger.posMarket(q));
      int other = ledger.positionId(a, qm.id);
      long size =
          Math.addExact(ledger.posSize(q), other == Ledger.NONE ? 0 : ledger.posSize(other));
      total =
          Math.addExact(
              total, qm.config.tiers().maintenanceMargin(Risk.notional(qm, size, qm.mark)));
    }
    return total;
  }

  private void emitTakenOver(
      MarketState m,
      int marginAccount,
      int taker,
      Event.TakeoverLayer layer,
      long signedLots,
      long price,
      long collateral) {
    emit(
        new Event.TakenOver(
            nextSeq,
            now(),
            m.name,
            accountNameOf(marginAccount),
            marginName(marginAccount),
            accountNameOf(taker),
            layer,
            m.config.size(signedLots),
            m.config.price(price),
            m.config.price(m.mark),
            Decimal.money(collateral)));
  }

  /**
   * The liquidity provider of an LP market cannot keep its margin: its position closes at the mark
   * against its traders' opposite positions, the most profitable first (ties by position id), each
   * a counterparty liquidation with a notice. The traders lose their exposure, never money: the
   * close is at the mark.
   */
  private void counterpartyLiquidation(int provider, int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long size = ledger.posSize(p);
    boolean providerLong = size > 0;
    List<long[]> traders = new ArrayList<>();
    for (int q : sorted(m.holders)) {
      int c = ledger.posMarginAccount(q);
      if (c != provider && !isPoolSide(c) && (ledger.posSize(q) > 0) != providerLong) {
        traders.add(new long[] {q, risk.unrealized(q)});
      }
    }
    // Most profitable first; the sort is stable, so ties stay by position id.
    traders.sort((x, y) -> Long.compare(y[1], x[1]));
    long remaining = Math.abs(size);
    for (long[] t : traders) {
      if (remaining == 0) {
        break;
      }
      int q = (int) t[0];
      int trader = ledger.posMarginAccount(q);
      long lots = Math.min(remaining, Math.abs(ledger.posSize(q)));
      long traderLots = providerLong ? lots : -lots;
      executeFill(
          m,
          providerLong ? trader : provider,
          providerLong ? provider : trader,
          lots,
          m.mark,
          providerLong,
          FillKind.COUNTERPARTY,
          false);
      remaining -= lots;
      emitProviderLiquidation(m, provider, trader, traderLots);
    }
  }

  /** What a trader is told when its LP could not keep its margin. */
  private void emitProviderLiquidation(MarketState m, int provider, int trader, long traderLots) {
    Decimal size = m.config.size(traderLots);
    emit(
        new Event.CounterpartyLiquidation(
            nextSeq,
            now(),
            null,
            m.name,
            accountNameOf(trader),
            accountNameOf(provider),
            size,
            m.config.price(m.mark),
            m.config.price(m.mark),
            Decimal.ZERO));
    Candidates.notice(
        context,
        m.id,
        trader,
        Event.NoticeCategory.COUNTERPARTY_LIQUIDATION,
        size,
        m.mark,
        0,
        "Counterparty liquidation: the liquidity provider "
            + accountNameOf(provider)
            + " could not keep its margin, so "
            + m.config.size(Math.abs(traderLots))
            + " of your "
            + m.name
            + " position was closed at the mark "
            + m.config.price(m.mark)
            + ".");
  }

  /**
   * The fewest lots of position {@code p} whose close (through the book within the order's limit,
   * or at the liquidity provider's price, after the fee) brings the margin account back to
   * maintenance margin; 0 if even a full close does not. Found by bisection, the restore condition
   * being monotone in the lots closed.
   */
  private long smallestRestoringClose(int marginAccount, int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long size = Math.abs(ledger.posSize(p));
    boolean selling = ledger.posSize(p) > 0;
    long equity = risk.equity(marginAccount);
    long otherMargin =
        Math.subtractExact(risk.maintenanceMargin(marginAccount), risk.maintenance(p));
    BookView view =
        !isPoolSide(marginAccount) && m.parts.liquidity().isBook()
            ? new BookView(m, selling, marginAccount, orderLimit(m, p))
            : null;
    if (!restores(m, view, size, selling, size, equity, otherMargin)) {
      return 0;
    }
    long lo = 0; // does not restore
    long hi = size; // restores
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (restores(m, view, size, selling, mid, equity, otherMargin)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private boolean restores(
      MarketState m,
      BookView view,
      long size,
      boolean selling,
      long lots,
      long equity,
      long otherMargin) {
    long filled;
    long proceeds;
    if (view == null) {
      long price = providerPrice(m, selling, lots, equity);
      filled = lots;
      proceeds = Risk.value(m, lots, price);
    } else {
      long[] sweep = view.sweep(lots);
      filled = sweep[0];
      proceeds = sweep[1];
    }
    if (filled == 0) {
      return false;
    }
    long atMark = Risk.value(m, filled, m.mark);
    long gain = selling ? proceeds - atMark : atMark - proceeds;
    long after = Math.addExact(equity, gain);
    long fee =
        Fixed.applyRate(
            Math.abs(proceeds), m.config.liquidationPenaltyRate(), RoundingMode.CEILING);
    if (m.parts.liquidity().isBook()) {
      after = Math.subtractExact(after, Math.max(0, Math.min(fee, after)));
    }
    long marginAfter =
        Math.addExact(
            otherMargin,
            m.config.tiers().maintenanceMargin(Risk.notional(m, size - filled, m.mark)));
    return after >= marginAfter;
  }

  /** The price of a close of {@code lots} against the liquidity provider. */
  private static long lpPrice(MarketState m, boolean selling, long lots, long equity) {
    return m.parts.liquidity().closePrice(m.config, m.mark, selling, lots, equity);
  }

  /**
   * The price of a close against the liquidity provider or the pool's other side: the provider's
   * price on an LP market, the mark moved by the penalty on an order-book market (a settlement
   * pool's side there closes against the pool, not the book).
   */
  private static long providerPrice(MarketState m, boolean selling, long lots, long equity) {
    return m.parts.liquidity().isBook()
        ? Liquidity.concede(m.mark, m.config.liquidationPenaltyRate(), selling)
        : lpPrice(m, selling, lots, equity);
  }

  /** The maker of a provider close: the pool's other side, or the market's liquidity provider. */
  int liquidityMaker(MarketState m, int marginAccount) {
    if (ledger.marginRef(marginAccount).kind() == MarginRef.Kind.POOL) {
      return ledger.poolCounterparty(marginAccount);
    }
    return liquidityMarginAccount(m);
  }

  /**
   * Closes {@code lots} of position {@code p} of a liquidated margin account with the liquidity
   * provider (or the pool's other side), at the provider's price: it takes every close, which only
   * ever shrinks its opposite position.
   */
  void closeWithProvider(int marginAccount, int p, long lots, boolean full) {
    MarketState m = ledger.market(ledger.posMarket(p));
    boolean selling = ledger.posSize(p) > 0;
    long bankruptcy = risk.bankruptcyPrice(p);
    long ticks = providerPrice(m, selling, lots, risk.equity(marginAccount));
    int maker = liquidityMaker(m, marginAccount);
    int buyer = selling ? maker : marginAccount;
    int seller = selling ? marginAccount : maker;
    executeFill(m, buyer, seller, lots, ticks, !selling, FillKind.LIQUIDATION, false);
    long fee = chargeLiquidationFee(m, marginAccount, lots, ticks);
    emitLiquidated(m, marginAccount, maker, selling ? -lots : lots, ticks, bankruptcy, fee, full);
    if (isPoolProvider(marginAccount)) {
      emitCounterpartyLiquidation(m, marginAccount, maker, selling ? lots : -lots, ticks);
    }
  }

  /** Charges the liquidation fee of a close, capped at the equity left, to the insurance fund. */
  private long chargeLiquidationFee(MarketState m, int marginAccount, long lots, long ticks) {
    long fee =
        m.parts.liquidity().liquidationFee(m.config, lots, ticks, risk.equity(marginAccount));
    if (fee > 0) {
      ledger.addCash(marginAccount, -fee);
      ledger.addFund(m.fund, fee);
      emitFund(m, FundReason.LIQUIDATION_FEE, fee, marginAccount);
    }
    return fee;
  }

  private void emitLiquidated(
      MarketState m,
      int marginAccount,
      int maker,
      long signedLots,
      long ticks,
      long bankruptcy,
      long fee,
      boolean full) {
    emit(
        new Event.Liquidated(
            nextSeq,
            now(),
            m.name,
            accountNameOf(marginAccount),
            marginName(marginAccount),
            accountNameOf(maker),
            marginName(maker),
            m.config.size(signedLots),
            m.config.price(ticks),
            m.config.price(m.mark),
            m.config.price(bankruptcy),
            Decimal.money(fee),
            m.config.size(sizeOf(marginAccount, m.id)),
            full || ledger.positions(marginAccount).isEmpty()));
  }

  // ================================================================ the order book

  /**
   * The levels of one side of a market's book that an order of one margin account may fill against
   * within its limit, best first (ties by maker, then level), with what each offers now: the view a
   * liquidation order walks, and the partial close's sizing sweeps.
   */
  private final class BookView {
    final MarketState m;
    final boolean selling;
    final Quote[] quotes;
    final int[] level;
    final long[] price;
    final long[] lots;
    final int count;
    final boolean beyondLimit;

    BookView(MarketState m, boolean selling, int taker, long limit) {
      this.m = m;
      this.selling = selling;
      long halfLife = m.config.book().halfLifeMillis();
      List<long[]> rows = new ArrayList<>();
      List<Quote> owners = new ArrayList<>();
      boolean beyond = false;
      for (Quote q : m.quotes) {
        if (q.bid != selling || q.marginAccount == taker || m.mark == 0) {
          continue;
        }
        long consumed = q.consumedAt(now(), halfLife);
        long before = 0;
        for (int k = 0; k < q.offsets.length; k++) {
          long px = Liquidity.levelPrice(m.mark, q.offsets[k], q.bid);
          long offered = Math.max(0, q.notionals[k] - Math.max(0, consumed - before));
          before = Math.addExact(before, q.notionals[k]);
          if (selling ? px < limit : px > limit) {
            beyond = true;
            break;
          }
          long perLot = Risk.value(m, 1, px);
          long n = offered / perLot;
          if (n > 0) {
            rows.add(new long[] {px, owners.size(), k, n, q.marginAccount});
          }
        }
        owners.add(q);
      }
      rows.sort(
          (a, b) -> {
            if (a[0] != b[0]) {
              return selling ? Long.compare(b[0], a[0]) : Long.compare(a[0], b[0]);
            }
            return a[4] != b[4] ? Long.compare(a[4], b[4]) : Long.compare(a[2], b[2]);
          });
      count = rows.size();
      quotes = new Quote[count];
      level = new int[count];
      price = new long[count];
      lots = new long[count];
      for (int i = 0; i < count; i++) {
        long[] r = rows.get(i);
        price[i] = r[0];
        quotes[i] = owners.get((int) r[1]);
        level[i] = (int) r[2];
        lots[i] = r[3];
      }
      beyondLimit = beyond;
    }

    /** What an order of {@code want} lots would fill, makers' margin aside: {lots, value}. */
    long[] sweep(long want) {
      long filled = 0;
      long value = 0;
      for (int i = 0; i < count && filled < want; i++) {
        long n = Math.min(want - filled, lots[i]);
        filled += n;
        value = Math.addExact(value, Risk.value(m, n, price[i]));
      }
      return new long[] {filled, value};
    }
  }

  /**
   * Walks the book for up to {@code lots} of position {@code p}, within {@code limit}: each level
   * fills what it offers and its maker's margin carries, consuming the maker's ladder. A
   * liquidation pays the fee per fill and reports each fill ({@link Event.Liquidated}) and the
   * order ({@link Event.LiquidationOrder}); an offload of the fund or a vault reports its fills
   * only. Returns the lots filled.
   */
  private long walkBook(
      int marginAccount, int p, long lots, long limit, boolean liquidation, boolean full) {
    MarketState m = ledger.market(ledger.posMarket(p));
    boolean selling = ledger.posSize(p) > 0;
    long bankruptcy = liquidation ? risk.bankruptcyPrice(p) : 0;
    BookView view = new BookView(m, selling, marginAccount, limit);
    long remaining = lots;
    int used = 0;
    boolean marginShort = false;
    for (int i = 0; i < view.count && remaining > 0; i++) {
      Quote q = view.quotes[i];
      long ticks = view.price[i];
      long want = Math.min(remaining, view.lots[i]);
      long can = makerCapacity(q.marginAccount, m, selling, want, ticks);
      if (can < want) {
        marginShort = true;
      }
      if (can == 0) {
        continue;
      }
      long consumed = q.consumedAt(now(), m.config.book().halfLifeMillis());
      ledger.consume(q, Math.addExact(consumed, Risk.value(m, can, ticks)), now());
      executeFill(
          m,
          selling ? q.marginAccount : marginAccount,
          selling ? marginAccount : q.marginAccount,
          can,
          ticks,
          !selling,
          liquidation ? FillKind.LIQUIDATION : FillKind.OFFLOAD,
          false);
      remaining -= can;
      used++;
      if (liquidation) {
        long fee = chargeLiquidationFee(m, marginAccount, can, ticks);
        emitLiquidated(
            m,
            marginAccount,
            q.marginAccount,
            selling ? -can : can,
            ticks,
            bankruptcy,
            fee,
            full && remaining == 0);
      }
    }
    if (liquidation) {
      Event.OrderStop stop;
      if (remaining == 0) {
        stop = Event.OrderStop.FILLED;
      } else if (marginShort) {
        stop = Event.OrderStop.MAKER_MARGIN;
      } else if (view.beyondLimit) {
        stop = Event.OrderStop.LIMIT;
      } else {
        stop = Event.OrderStop.DEPTH;
      }
      emit(
          new Event.LiquidationOrder(
              nextSeq,
              now(),
              m.name,
              accountNameOf(marginAccount),
              marginName(marginAccount),
              m.config.size(selling ? -lots : lots),
              m.config.price(limit),
              m.config.price(m.mark),
              m.config.size(lots - remaining),
              m.config.size(remaining),
              used,
              stop));
    }
    return lots - remaining;
  }

  /**
   * The most of {@code want} lots a maker can take at {@code ticks} (buying when {@code buying}): a
   * fill that only reduces its position always; beyond that, only while its equity after stays at
   * or above its initial margin after (it trades with the collateral it has, like any order).
   */
  private long makerCapacity(int maker, MarketState m, boolean buying, long want, long ticks) {
    int own = ledger.positionId(maker, m.id);
    long size = own == Ledger.NONE ? 0 : ledger.posSize(own);
    long reducing = size != 0 && (size > 0) != buying ? Math.min(Math.abs(size), want) : 0;
    if (reducing == want || fits(maker, m, own, size, buying ? want : -want, ticks)) {
      return want;
    }
    long lo = reducing; // fits
    long hi = want; // does not
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (fits(maker, m, own, size, buying ? mid : -mid, ticks)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private boolean fits(int maker, MarketState m, int own, long size, long delta, long ticks) {
    long equityAfter =
        Math.addExact(
            risk.equity(maker),
            Math.subtractExact(Risk.value(m, delta, m.mark), Risk.value(m, delta, ticks)));
    long marginAfter =
        Math.addExact(
            Math.subtractExact(
                risk.initialMargin(maker), own == Ledger.NONE ? 0 : risk.initial(own)),
            m.config.tiers().initialMargin(Risk.notional(m, Math.addExact(size, delta), m.mark)));
    return equityAfter >= 0 && equityAfter >= marginAfter;
  }

  /**
   * After a price or time update: the fund's and the vaults' accounts sell what they took over back
   * to the book, within their offload slippage of the mark, as depth allows; then margin the fund's
   * accounts no longer need returns to the fund.
   */
  private void offloadTakeovers() {
    for (int id = 0; id < ledger.marketCount(); id++) {
      MarketState m = ledger.market(id);
      LiquiditySpec.OrderBook book = m.config.book();
      if (book == null || m.mark == 0 || book.takeover() instanceof TakeoverSpec.None) {
        continue;
      }
      int taker = backstopLiquidator(m);
      int p = ledger.positionId(taker, m.id);
      if (p == Ledger.NONE) {
        continue;
      }
      boolean selling = ledger.posSize(p) > 0;
      long limit = Liquidity.concede(m.mark, book.takeover().offloadSlippageRate(), selling);
      walkBook(taker, p, Math.abs(ledger.posSize(p)), limit, false, false);
    }
    returnFundMargin();
  }

  /** Each fund's takeover account returns what it holds beyond its initial margin to its fund. */
  private void returnFundMargin() {
    for (int id = 0; id < ledger.marketCount(); id++) {
      MarketState m = ledger.market(id);
      LiquiditySpec.OrderBook book = m.config.book();
      if (book == null || !(book.takeover() instanceof TakeoverSpec.Fund)) {
        continue;
      }
      int account = fundMarginAccount(m);
      long spare =
          Math.min(
              ledger.cash(account),
              Math.subtractExact(risk.equity(account), risk.initialMargin(account)));
      if (spare > 0) {
        ledger.addCash(account, -spare);
        ledger.addFund(m.fund, spare);
        emitFund(m, FundReason.TAKEOVER_RETURN, spare, account);
      }
    }
  }

  /** The name of an insurance fund's takeover account. */
  static String fundAccountName(String fund) {
    return "fund:" + fund;
  }

  /** The cross margin account of the fund serving a market, which holds what it took over. */
  int fundMarginAccount(MarketState m) {
    return ledger.crossMarginAccount(ledger.accountId(fundAccountName(ledger.fundName(m.fund))));
  }

  /** The account that takes what a market's book cannot fill, or {@link Ledger#NONE}. */
  int backstopLiquidator(MarketState m) {
    LiquiditySpec.OrderBook book = m.config.book();
    if (book == null) {
      return Ledger.NONE;
    }
    return switch (book.takeover()) {
      case TakeoverSpec.Fund f -> fundMarginAccount(m);
      case TakeoverSpec.Vault v -> ledger.crossMarginAccount(ledger.accountId(v.account()));
      case TakeoverSpec.None n -> Ledger.NONE;
    };
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
      coverShortfall(marginAccount, m, -left);
    }
  }

  /**
   * A margin account's shortfall: the fund pays what it can, the market's backstop covers what it
   * can of the rest, and what is still uncovered is written off as bad debt (the account's cash
   * raised by it, and the total recorded).
   */
  private void coverShortfall(int marginAccount, MarketState m, long shortfall) {
    long cover = Math.min(shortfall, Math.max(0, ledger.fundBalance(m.fund)));
    if (m.config.maxInsurance() > 0) {
      // Drift v2: min(loss, vault - 1, maxInsurance - settledInsurance).
      long vaultLeft = Math.max(0, ledger.fundBalance(m.fund) - 1);
      long capLeft = Math.max(0, m.config.maxInsurance() - m.settledInsurance);
      cover = Math.min(shortfall, Math.min(vaultLeft, capLeft));
    }
    if (cover > 0) {
      ledger.addSettledInsurance(m.id, cover);
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
    ScratchSets.clear(dirty);
  }

  private void refreshAfterRollback() {
    for (int c : sorted(ledger.touched())) {
      if (c < ledger.marginAccountCount()) {
        refreshTriggers(c);
      }
    }
    ScratchSets.clear(ledger.dirty());
  }

  /**
   * Adds the margin accounts that {@code mark} makes liquidatable on one side of a market, in the
   * order of their exact triggers (most endangered first, ties by id). A one-market account's entry
   * is exact until the market's first funding round; an entry of an account holding other markets,
   * or any entry once funding has drifted the keys, is conservative, so such an account is checked
   * exactly and placed by its exact trigger: the order never depends on where the bands lie or how
   * far funding drifted. A one-market account crossed but not liquidatable is keyed again (its key
   * drifted), so it is not crossed again until its trigger is.
   */
  private void crossed(MarketState m, TriggerIndex index, long mark, IntArrayList out) {
    IntArrayList found = new IntArrayList();
    LongArrayList exact = new LongArrayList();
    IntArrayList drifted = new IntArrayList();
    long offset = Risk.reachOffset(m, index.longSide());
    boolean exactKeys = m.fundingDrift == 0;
    index.crossed(
        Risk.saturatingAdd(mark, -offset),
        (c, key) -> {
          boolean conservative = risk.keyedConservatively(c);
          if (exactKeys && !conservative) {
            found.addInt(c);
            exact.addLong(Risk.saturatingAdd(key, offset));
          } else if (risk.belowMaintenance(c)) {
            found.addInt(c);
            exact.addLong(risk.triggerPrice(ledger.positionId(c, m.id)));
          } else if (!conservative) {
            drifted.addInt(c);
          }
          return true;
        });
    for (int i = 0; i < drifted.size(); i++) {
      ledger.markDirty(drifted.getInt(i));
    }
    boolean longs = index.longSide();
    Integer[] order = new Integer[found.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Already in order unless a conservative entry's exact trigger lies behind a later key.
    Arrays.sort(
        order,
        (a, b) -> {
          long ka = exact.getLong(a);
          long kb = exact.getLong(b);
          int ca = found.getInt(a);
          int cb = found.getInt(b);
          return TriggerIndex.before(longs, ka, ca, kb, cb)
              ? -1
              : TriggerIndex.before(longs, kb, cb, ka, ca) ? 1 : 0;
        });
    for (Integer i : order) {
      out.addInt(found.getInt(i));
    }
  }

  private void refreshTriggers(int marginAccount) {
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      int p = ps.getInt(i);
      MarketState m = ledger.market(ledger.posMarket(p));
      long size = ledger.posSize(p);
      TriggerIndex side = size > 0 ? m.longTriggers : m.shortTriggers;
      TriggerIndex other = size > 0 ? m.shortTriggers : m.longTriggers;
      other.remove(marginAccount);
      long trigger = size == 0 ? Long.MIN_VALUE : indexedTrigger(p);
      if (trigger == Long.MIN_VALUE) {
        side.remove(marginAccount);
      } else {
        side.put(marginAccount, Risk.normalizedKey(m, size > 0, trigger));
      }
    }
  }

  // ================================================================ lookups and validation

  private int accountOrCreate(String name) {
    int id = ledger.accountId(name);
    return id == Ledger.NONE ? ledger.createAccount(name) : id;
  }

  int existingAccount(String name) {
    requireName(name, "account");
    int id = ledger.accountId(name);
    if (id == Ledger.NONE) {
      throw new Rejection(RejectionCode.UNKNOWN_ACCOUNT, "unknown account " + name);
    }
    return id;
  }

  MarketState existingMarket(String name) {
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
  int marginAccount(int account, MarginRef ref, boolean create) {
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

  static String requireName(String name, String what) {
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

  static long positive(Decimal value, int decimals, String what, String unit) {
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

  /** The cross margin account of an LP market's liquidity provider; NONE on a book market. */
  int liquidityMarginAccount(MarketState m) {
    if (!(m.config.liquidity() instanceof LiquiditySpec.LpCounterparty lp)) {
      return Ledger.NONE;
    }
    return ledger.crossMarginAccount(ledger.accountId(lp.account()));
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
    if (stream != null) {
      try {
        stream.accept(event);
      } catch (RuntimeException e) {
        throw new SinkFailure(e);
      }
      streamed++;
    } else {
      events.add(event);
    }
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

  /** {@code Long.MAX_VALUE / 10^k} for k = 0 to 8: the largest average that k more decimals fit. */
  private static final long[] ENTRY_LIMIT = new long[9];

  static {
    for (int k = 0; k < ENTRY_LIMIT.length; k++) {
      ENTRY_LIMIT[k] = Long.MAX_VALUE / Fixed.pow10(k);
    }
  }

  /**
   * How many decimals beyond the tick an average of {@code cost / perTick} (both positive) gets: 8,
   * fewer while {@code cost / perTick > Long.MAX_VALUE / 10^extra}.
   */
  static int entryDecimals(long cost, long perTick) {
    int extra = 8;
    while (extra > 0 && atLeast(cost, ENTRY_LIMIT[extra] + 1, perTick)) {
      extra--;
    }
    return extra;
  }

  /**
   * Whether {@code a >= b * c} for non-negative values, {@code b * c} taken exactly: {@code floor(a
   * / c) >= b} by a product, not a division (a product too large for a long exceeds any {@code a}).
   */
  private static boolean atLeast(long a, long b, long c) {
    long hi = Math.multiplyHigh(b, c);
    long lo = b * c;
    return hi == 0 && lo >= 0 && a >= lo;
  }

  /**
   * Average entry price: cost / size, to 8 decimals beyond the tick (fewer when the price is so
   * large that they do not fit a long), rounded down. Never fails: the state view must not.
   */
  static Decimal entryPrice(MarketState m, long lots, long cost) {
    if (lots == 0) {
      return Decimal.ZERO;
    }
    long perTick = Math.multiplyExact(Math.abs(lots), m.config.notionalUnit());
    // Up to 8 decimals beyond the tick, fewer for an average so large that they would not fit.
    long abs = Math.abs(cost);
    int extra = entryDecimals(abs, perTick);
    long scaled = Fixed.mulDiv(abs, Fixed.pow10(extra), perTick, RoundingMode.FLOOR);
    return Decimal.ofUnits(scaled, m.config.priceDecimals() + extra);
  }

  // ================================================================ queries

  /** The whole state, for output and checks. Costs a pass over every account. */
  public EngineState state() {
    return StateView.build(ledger, optionLedger, risk, stateHash());
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
              } else if (m.fundingDrift == 0
                  && Risk.normalizedKey(m, longs, indexedTrigger(p)) != price) {
                problems.add(m.name + ": margin account " + marginAccount + " indexed at " + price);
              }
              return true;
            });
      }
      if (m.mark < m.bandLow || m.mark > m.bandHigh) {
        problems.add(m.name + ": mark " + m.mark + " outside its band");
      }
      long longLots = 0;
      long shortLots = 0;
      long pool = m.fundingPool;
      for (int p : sorted(m.holders)) {
        long size = ledger.posSize(p);
        longLots += Math.max(size, 0);
        shortLots += Math.max(-size, 0);
        pool = Math.addExact(pool, risk.funding(p));
        int c = ledger.posMarginAccount(p);
        long trigger = indexedTrigger(p);
        long exact = risk.triggerPrice(p);
        boolean longs = size > 0;
        TriggerIndex side = longs ? m.longTriggers : m.shortTriggers;
        long stored = side.get(c);
        // What the index answers for this entry: the stored key moved by the offsets now.
        long reach =
            stored == Long.MIN_VALUE
                ? Long.MIN_VALUE
                : Risk.saturatingAdd(stored, Risk.reachOffset(m, longs));
        boolean late =
            exact != Long.MIN_VALUE
                && (reach == Long.MIN_VALUE || (longs ? reach < exact : reach > exact));
        if (late) {
          problems.add(m.name + ": margin account " + c + " keyed after its exact trigger");
        }
        if (m.fundingDrift == 0
            && stored
                != (trigger == Long.MIN_VALUE ? trigger : Risk.normalizedKey(m, longs, trigger))) {
          problems.add(m.name + ": margin account " + c + " should be indexed at " + trigger);
        }
        if (m.fundingDrift != 0 && (stored == Long.MIN_VALUE) != (trigger == Long.MIN_VALUE)) {
          problems.add(
              m.name + ": margin account " + c + " indexed " + stored + ", not " + trigger);
        }
      }
      if (longLots != shortLots || longLots != m.longLots) {
        problems.add(
            m.name
                + ": "
                + longLots
                + " long lots, "
                + shortLots
                + " short, "
                + m.longLots
                + " kept");
      }
      if (pool < 0) {
        problems.add(m.name + ": funding pool worth " + pool);
      }
    }
    return problems;
  }

  /** What the index should hold for a position: exact alone, conservative beside other markets. */
  private long indexedTrigger(int p) {
    return risk.keyedConservatively(ledger.posMarginAccount(p))
        ? risk.conservativeTrigger(p)
        : risk.indexKey(p, risk.triggerPrice(p));
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
    optionLedger.write(w);
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
    Ledger ledger = Ledger.read(r);
    Engine engine = new Engine(ledger, OptionLedger.read(r, ledger), nextSeq);
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
