package dev.backstop.core.engine;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.Event.FillKind;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.core.option.OptionPricing;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.collections.IntArrayList;

/**
 * Options in settlement pools, as Variational Omni trades them: bilateral, priced by a request for
 * quote between a pool's two sides, margined with the pool's perpetuals ({@link OptionRisk}) and
 * liquidated by the same waterfall. The engine hands it the option commands and the liquidation of
 * a pool side holding options; it reaches the state through the {@link OptionLedger} and the {@link
 * Ledger}, each logged for undo.
 *
 * <p>Liquidation (Omni: "for options the penalty will apply to the implied volatility. So options
 * would be bought at an implied volatility 1% higher"): the liquidated side buys back its shorts at
 * the premium of the option's volatility plus the penalty, read in vol points (the pool's
 * liquidation penalty, its market's rate: 0.5% is half a vol point, 1% one), and sells its longs at
 * the volatility minus it; the premium rounds against it and concedes at most what it has left, as
 * a perpetual's penalty does. When the liquidated side is the provider's, the user receives the
 * penalty: a counterparty liquidation.
 */
final class Options {

  private final Engine engine;
  private final Ledger ledger;
  private final OptionLedger book;
  private final Risk risk;

  Options(Engine engine, Ledger ledger, OptionLedger book, Risk risk) {
    this.engine = engine;
    this.ledger = ledger;
    this.book = book;
    this.risk = risk;
  }

  private long now() {
    return ledger.global(Ledger.G_TIME);
  }

  // ================================================================ commands

  void create(Command.CreateOption c) {
    String name = Engine.requireName(c.option(), "option");
    if (book.id(name) != Ledger.NONE || ledger.marketId(name) != Ledger.NONE) {
      throw new Rejection(RejectionCode.ALREADY_EXISTS, "market " + name + " already exists");
    }
    MarketState u = engine.existingMarket(c.underlying());
    if (c.kind() == null) {
      throw new Rejection(RejectionCode.INVALID_ARGUMENT, "missing kind (call or put)");
    }
    long strike = Engine.positive(c.strike(), u.config.priceDecimals(), "strike", "tick");
    if (c.expiry() <= now()) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT,
          "expiry " + c.expiry() + " must be after the engine's time " + now());
    }
    long vol = volatility(c.volatility());
    OptionLedger.Option o = book.create(name, u.id, c.kind(), strike, c.expiry(), vol);
    engine.emit(
        new Event.OptionListed(
            engine.nextSequence(),
            now(),
            name,
            u.name,
            o.kind,
            u.config.price(strike),
            o.expiry,
            Decimal.rate(vol)));
  }

  private static long volatility(Decimal value) {
    long vol = Engine.positive(value, Fixed.RATE_DECIMALS, "volatility", "rate unit");
    if (vol > OptionPricing.MAX_VOLATILITY) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, "volatility " + value + " is above 10 (1000%)");
    }
    return vol;
  }

  void trade(Command.OptionTrade c) {
    OptionLedger.Option o = tradable(c.option());
    MarketState u = ledger.market(o.underlying);
    int buyer = engine.existingAccount(c.buyer());
    int seller = engine.existingAccount(c.seller());
    if (buyer == seller) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, "buyer and seller are the same account " + c.buyer());
    }
    engine.requireUser(buyer, "trade");
    engine.requireUser(seller, "trade");
    if (c.pool() == null || c.pool().isBlank()) {
      throw new Rejection(
          RejectionCode.INVALID_ARGUMENT, "an option trades only inside a settlement pool");
    }
    long lots = Engine.positive(c.size(), u.config.sizeDecimals(), "size", "lot");
    long premium = Engine.positive(c.premium(), u.config.priceDecimals(), "premium", "tick");
    if (u.mark == 0) {
      throw new Rejection(RejectionCode.NO_PRICE, "market " + u.name + " has no mark price yet");
    }
    checkBand(o, u, premium);
    MarginRef pool = MarginRef.pool(c.pool());
    int buyerC = engine.marginAccount(buyer, pool, true);
    int sellerC = engine.marginAccount(seller, pool, true);
    long buyerBefore = book.size(buyerC, o.id);
    long sellerBefore = book.size(sellerC, o.id);
    fill(o, buyerC, sellerC, lots, premium, c.takerIsBuyer(), FillKind.TRADE);
    checkMargin(buyerC, buyerBefore, book.size(buyerC, o.id), "buyer");
    checkMargin(sellerC, sellerBefore, book.size(sellerC, o.id), "seller");
    engine.settle(new IntArrayList());
  }

  /** An option that still trades: listed, not settled, not expired. */
  private OptionLedger.Option tradable(String name) {
    OptionLedger.Option o = existing(name);
    if (o.settled || now() >= o.expiry) {
      throw new Rejection(
          RejectionCode.EXPIRED,
          "option " + o.name + " expired at " + o.expiry + (o.settled ? " and is settled" : ""));
    }
    return o;
  }

  private OptionLedger.Option existing(String name) {
    Engine.requireName(name, "option");
    int id = book.id(name);
    if (id == Ledger.NONE) {
      throw new Rejection(RejectionCode.UNKNOWN_MARKET, "unknown option " + name);
    }
    return book.option(id);
  }

  /**
   * A premium must lie between the option's prices at its volatility moved down and up by the
   * underlying's price band (a rate of the volatility), rounded outward: a trade far from the model
   * would move value between the pool's sides.
   */
  private void checkBand(OptionLedger.Option o, MarketState u, long premium) {
    long band = u.config.priceBandRate();
    long low =
        price(
            o,
            u,
            Fixed.mulDiv(o.volatility, Fixed.RATE_ONE - band, Fixed.RATE_ONE, RoundingMode.FLOOR),
            RoundingMode.FLOOR);
    long high =
        price(
            o,
            u,
            Fixed.mulDiv(o.volatility, Fixed.RATE_ONE + band, Fixed.RATE_ONE, RoundingMode.CEILING),
            RoundingMode.CEILING);
    if (premium < low || premium > high) {
      throw new Rejection(
          RejectionCode.PRICE_BAND,
          "premium "
              + u.config.price(premium)
              + " is outside the band "
              + u.config.price(low)
              + " to "
              + u.config.price(high)
              + " of "
              + o.name
              + " (its volatility "
              + Decimal.rate(o.volatility)
              + " moved by "
              + Decimal.rate(band)
              + " of itself)");
    }
  }

  private long price(OptionLedger.Option o, MarketState u, long vol, RoundingMode rounding) {
    return OptionPricing.premium(
        o.kind, u.mark, o.strike, o.expiry - now(), Math.max(1, vol), rounding);
  }

  /**
   * A side after an option trade must not have negative equity, and one whose option position grew
   * (or flipped) must keep its initial margin: the scenario margin of its pool side.
   */
  private void checkMargin(int marginAccount, long before, long after, String role) {
    long equity = risk.equity(marginAccount);
    boolean increases =
        Math.abs(after) > Math.abs(before) || Long.signum(after) * Long.signum(before) < 0;
    long initial = increases ? risk.initialMargin(marginAccount) : 0;
    if (equity < 0 || equity < initial) {
      throw new Rejection(
          RejectionCode.INSUFFICIENT_MARGIN,
          "insufficient margin: "
              + role
              + " "
              + engine.accountNameOf(marginAccount)
              + " ("
              + engine.marginName(marginAccount)
              + ") would have equity "
              + Decimal.money(equity)
              + (equity < 0 ? "" : " below initial margin " + Decimal.money(initial)));
    }
  }

  void setVolatility(Command.SetVolatility c) {
    OptionLedger.Option o = existing(c.option());
    if (o.settled) {
      throw new Rejection(RejectionCode.EXPIRED, "option " + o.name + " is settled");
    }
    long vol = volatility(c.volatility());
    book.setVolatility(o, vol);
    MarketState u = ledger.market(o.underlying);
    long t = o.expiry - now();
    engine.emit(
        new Event.VolatilityUpdated(
            engine.nextSequence(),
            now(),
            o.name,
            Decimal.rate(vol),
            u.config.price(book.mark(o, now())),
            u.mark == 0
                ? Decimal.ZERO
                : eight(OptionPricing.delta(o.kind, u.mark, o.strike, t, vol)),
            u.mark == 0
                ? Decimal.ZERO
                : priceUnits(u, OptionPricing.vegaPerPoint(u.mark, o.strike, t, vol))));
    engine.settle(list(book.holders(o.id)));
  }

  void expire(Command.ExpireOption c) {
    OptionLedger.Option o = existing(c.option());
    if (o.settled) {
      throw new Rejection(RejectionCode.EXPIRED, "option " + o.name + " is settled already");
    }
    if (now() < o.expiry) {
      throw new Rejection(
          RejectionCode.NOT_EXPIRED,
          "option " + o.name + " expires at " + o.expiry + ", after the engine's time " + now());
    }
    MarketState u = ledger.market(o.underlying);
    if (u.index == 0) {
      throw new Rejection(RejectionCode.NO_PRICE, "market " + u.name + " has no index price yet");
    }
    long payoff = OptionPricing.payoff(o.kind, u.index, o.strike);
    List<Integer> holders = book.holders(o.id);
    long open = 0;
    long paid = 0;
    for (int h : holders) {
      long size = book.size(h, o.id);
      long value = Risk.value(u, size, payoff);
      long realized = Math.subtractExact(value, book.cost(h, o.id));
      book.setPosition(h, o.id, 0, 0);
      if (realized != 0) {
        ledger.addCash(h, realized);
      }
      if (size > 0) {
        open = Math.addExact(open, size);
        paid = Math.addExact(paid, value);
      }
      emitPosition(h, o, u, size, 0, 0, realized);
    }
    book.settle(o, u.index);
    engine.emit(
        new Event.OptionExpired(
            engine.nextSequence(),
            now(),
            o.name,
            u.name,
            u.config.price(u.index),
            u.config.price(payoff),
            u.config.size(open),
            Decimal.money(paid)));
    for (int h : holders) {
      if (!book.holds(h) && ledger.positions(h).isEmpty() && ledger.cash(h) < 0) {
        engine.settleClosedAccount(h, u);
      }
    }
    engine.settle(list(holders));
  }

  // ================================================================ liquidation

  /**
   * Closes every option position of a liquidated pool side against the pool's other side, by option
   * id. Returns the underlying market of the first, which serves the side's shortfall when nothing
   * else is left.
   */
  int liquidate(int marginAccount) {
    int maker = ledger.poolCounterparty(marginAccount);
    int first = Ledger.NONE;
    for (Map.Entry<Integer, long[]> e :
        new ArrayList<>(book.positionsOf(marginAccount).entrySet())) {
      OptionLedger.Option o = book.option(e.getKey());
      if (first == Ledger.NONE) {
        first = o.underlying;
      }
      close(marginAccount, maker, o, e.getValue()[0]);
    }
    return first;
  }

  private void close(int marginAccount, int maker, OptionLedger.Option o, long size) {
    MarketState u = ledger.market(o.underlying);
    boolean selling = size > 0;
    long lots = Math.abs(size);
    long mark = book.mark(o, now());
    long penalty = u.config.liquidationPenaltyRate();
    long vol = selling ? Math.max(1, o.volatility - penalty) : o.volatility + penalty;
    long premium = price(o, u, vol, selling ? RoundingMode.FLOOR : RoundingMode.CEILING);
    // At most what the liquidated side has left, so the penalty itself never becomes bad debt.
    long mostTicks =
        Math.max(0, risk.equity(marginAccount)) / Math.multiplyExact(lots, u.config.notionalUnit());
    premium = selling ? Math.max(premium, mark - mostTicks) : Math.min(premium, mark + mostTicks);
    int buyer = selling ? maker : marginAccount;
    int seller = selling ? marginAccount : maker;
    fill(o, buyer, seller, lots, premium, !selling, FillKind.LIQUIDATION);
    long reward = Risk.notional(u, lots, Math.abs(premium - mark));
    long closed = selling ? -lots : lots;
    engine.emit(
        new Event.OptionLiquidated(
            engine.nextSequence(),
            now(),
            o.name,
            engine.accountNameOf(marginAccount),
            engine.marginName(marginAccount),
            engine.accountNameOf(maker),
            engine.marginName(maker),
            u.config.size(closed),
            u.config.price(premium),
            u.config.price(mark),
            Decimal.rate(o.volatility),
            Decimal.rate(vol),
            Decimal.money(reward)));
    if (engine.isPoolProvider(marginAccount)) {
      counterpartyLiquidation(o, u, marginAccount, maker, -closed, premium, mark, reward);
    }
  }

  /** The provider's side was liquidated: the user's option closed beyond the mark in its favour. */
  private void counterpartyLiquidation(
      OptionLedger.Option o,
      MarketState u,
      int provider,
      int user,
      long userLots,
      long premium,
      long mark,
      long reward) {
    String pool = ledger.marginRef(provider).name();
    Decimal size = u.config.size(userLots);
    engine.emit(
        new Event.CounterpartyLiquidation(
            engine.nextSequence(),
            now(),
            pool,
            o.name,
            engine.accountNameOf(user),
            engine.accountNameOf(provider),
            size,
            u.config.price(premium),
            u.config.price(mark),
            Decimal.money(reward)));
    engine.emit(
        new Event.TraderNotice(
            engine.nextSequence(),
            now(),
            engine.accountNameOf(user),
            engine.marginName(user),
            o.name,
            Event.NoticeCategory.COUNTERPARTY_LIQUIDATION,
            size,
            u.config.price(premium),
            Decimal.money(reward),
            "Counterparty liquidation in pool "
                + pool
                + ": the liquidity provider could not keep its margin, so your "
                + o.name
                + " position of "
                + u.config.size(Math.abs(userLots))
                + " was closed at a premium of "
                + u.config.price(premium)
                + " (mark "
                + u.config.price(mark)
                + ", volatility "
                + Decimal.rate(o.volatility)
                + " with the penalty in your favour); you received the liquidation reward of "
                + Decimal.money(reward)
                + "."));
  }

  // ================================================================ fills

  /** An option fill between two pool sides: the fill and both position changes; no fee. */
  private void fill(
      OptionLedger.Option o,
      int buyerC,
      int sellerC,
      long lots,
      long premium,
      boolean takerIsBuyer,
      FillKind kind) {
    MarketState u = ledger.market(o.underlying);
    engine.emit(
        new Event.Fill(
            engine.nextSequence(),
            now(),
            kind,
            o.name,
            engine.accountNameOf(buyerC),
            engine.marginName(buyerC),
            engine.accountNameOf(sellerC),
            engine.marginName(sellerC),
            takerIsBuyer ? Event.Taker.BUYER : Event.Taker.SELLER,
            u.config.size(lots),
            u.config.price(premium),
            Decimal.money(Risk.value(u, lots, premium)),
            Decimal.ZERO,
            Decimal.ZERO));
    apply(o, u, buyerC, lots, premium);
    apply(o, u, sellerC, -lots, premium);
  }

  /**
   * Moves one side's option position by {@code delta} lots at {@code premium}, as a perpetual's:
   * the cost of a reduced position leaves in proportion, rounded up, so realized PnL rounds down.
   */
  private void apply(
      OptionLedger.Option o, MarketState u, int marginAccount, long delta, long premium) {
    long size = book.size(marginAccount, o.id);
    long cost = book.cost(marginAccount, o.id);
    long realized = 0;
    long newSize;
    long newCost;
    if (size == 0 || Long.signum(size) == Long.signum(delta)) {
      newSize = Math.addExact(size, delta);
      newCost = Math.addExact(cost, Risk.value(u, delta, premium));
    } else {
      long closing = Math.min(Math.abs(delta), Math.abs(size));
      long costRemoved = Fixed.mulDiv(cost, closing, Math.abs(size), RoundingMode.CEILING);
      realized =
          Math.subtractExact(Risk.value(u, Long.signum(size) * closing, premium), costRemoved);
      newSize = Math.addExact(size, Long.signum(delta) * closing);
      newCost = Math.subtractExact(cost, costRemoved);
      long opening = Math.abs(delta) - closing;
      if (opening > 0) {
        newSize = Long.signum(delta) * opening;
        newCost = Risk.value(u, newSize, premium);
      }
    }
    if (realized != 0) {
      ledger.addCash(marginAccount, realized);
    }
    book.setPosition(marginAccount, o.id, newSize, newCost);
    emitPosition(marginAccount, o, u, size, newSize, newCost, realized);
  }

  private void emitPosition(
      int marginAccount,
      OptionLedger.Option o,
      MarketState u,
      long before,
      long after,
      long cost,
      long realized) {
    engine.emit(
        new Event.PositionChanged(
            engine.nextSequence(),
            now(),
            engine.accountNameOf(marginAccount),
            engine.marginName(marginAccount),
            o.name,
            u.config.size(before),
            u.config.size(after),
            Engine.entryPrice(u, after, cost),
            Decimal.money(realized),
            Decimal.ZERO));
  }

  // ================================================================ the engine's checks

  /**
   * The pool sides to check after a price update of {@code market}: those holding options on it,
   * and those holding options and a position in it (neither is in the liquidation index).
   */
  void affectedBy(int market, IntArrayList out) {
    book.forEachHolder(
        (c, held) -> {
          boolean affected = ledger.positionId(c, market) != Ledger.NONE;
          for (int option : held.keySet()) {
            affected |= book.option(option).underlying == market;
          }
          if (affected) {
            out.addInt(c);
          }
        });
  }

  /** Every pool side holding options: time moves their value. */
  IntArrayList holders() {
    return list(book.holders());
  }

  private static IntArrayList list(List<Integer> ids) {
    IntArrayList out = new IntArrayList();
    for (int id : ids) {
      out.addInt(id);
    }
    return out;
  }

  /** A double to 8 decimals, rounded half up: Greeks for the state and events, never for money. */
  static Decimal eight(double value) {
    return Decimal.ofUnits(Math.round(value * 1e8), 8);
  }

  /** A price-unit double (ticks) as a decimal of the underlying's price unit, to 8 more places. */
  static Decimal priceUnits(MarketState u, double ticks) {
    return Decimal.ofUnits(Math.round(ticks * 1e8), u.config.priceDecimals() + 8);
  }
}
