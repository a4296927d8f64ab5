package dev.backstop.core.mechanism;

import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What the backstop mechanisms share: choosing candidate positions, describing them to an
 * allocation policy, ranking the ones it took, and announcing what each gave.
 */
public final class Candidates {

  /** The sizes of a money resolution: none. */
  static final long[] NO_SIZES = new long[3];

  private Candidates() {}

  /**
   * The backstop positions of a market ({@link MarketContext#backstopPositions}) other than {@code
   * except}'s that pass {@code filter}, by position id.
   */
  public static int[] positions(MarketContext ctx, int market, int except, IntPredicate filter) {
    int[] all = ctx.backstopPositions(market);
    int n = 0;
    for (int q : all) {
      if (ctx.marginAccountOf(q) != except && filter.test(q)) {
        all[n++] = q;
      }
    }
    return Arrays.copyOf(all, n);
  }

  /** The positions of one side ({@code longs}) other than {@code except}'s. */
  public static int[] side(MarketContext ctx, int market, int except, boolean longs) {
    return positions(ctx, market, except, q -> (ctx.size(q) > 0) == longs);
  }

  /** The margin accounts holding the positions. */
  static int[] marginAccountsOf(MarketContext ctx, int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = ctx.marginAccountOf(positions[i]);
    }
    return out;
  }

  /**
   * Candidates as positions: id = margin account, PnL, equity, size, prices per lot. With {@code
   * factorAdjusted} the equity is the factor-adjusted one ({@link #factorEquity}).
   */
  public static CandidateBook book(
      MarketContext ctx, int market, int[] positions, boolean factorAdjusted) {
    CandidateBook.Builder b = CandidateBook.builder(positions.length);
    long unit = ctx.config(market).notionalUnit();
    long markPerLot = Math.multiplyExact(ctx.mark(market), unit);
    for (int q : positions) {
      long size = Math.abs(ctx.size(q));
      long entryPerLot = Fixed.divide(Math.abs(ctx.cost(q)), size, RoundingMode.FLOOR);
      int c = ctx.marginAccountOf(q);
      long equity = factorAdjusted ? factorEquity(ctx, q) : ctx.equity(c);
      b.addPosition(c, ctx.unrealizedPnl(q), equity, size, markPerLot, entryPerLot);
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
  static long factorEquity(MarketContext ctx, int q) {
    int c = ctx.marginAccountOf(q);
    long equity = ctx.equity(c);
    if (equity <= 0) {
      return equity;
    }
    long exposure = 0;
    for (int k : ctx.positionsOf(c)) {
      int km = ctx.marketOf(k);
      MarketConfig config = ctx.config(km);
      exposure =
          Math.addExact(
              exposure,
              Fixed.mulDiv(
                  config.value(ctx.size(k), ctx.mark(km)),
                  config.factorLoading(),
                  Fixed.RATE_ONE,
                  RoundingMode.FLOOR));
    }
    if (exposure == 0) {
      return Long.MAX_VALUE / 4;
    }
    int m = ctx.marketOf(q);
    long notional = ctx.config(m).notional(ctx.size(q), ctx.mark(m));
    return Math.min(
        Long.MAX_VALUE / 4, Fixed.mulDiv(equity, notional, Math.abs(exposure), RoundingMode.FLOOR));
  }

  /**
   * A deleveraging fill of {@code lots} at {@code price}: the counterparty buys from {@code other}
   * when {@code counterpartyBuys}, else sells to it; the counterparty is the maker.
   */
  static void fill(
      MarketContext ctx,
      int market,
      int counterparty,
      int other,
      boolean counterpartyBuys,
      long lots,
      long price) {
    int buyer = counterpartyBuys ? counterparty : other;
    int seller = counterpartyBuys ? other : counterparty;
    ctx.fill(market, buyer, seller, lots, price, !counterpartyBuys, Event.FillKind.DELEVERAGE);
  }

  /**
   * Announces a counterparty's offsetting fill ({@code offsetting} and a trader notice) and returns
   * what it gave up against a close at mark.
   */
  static long offsetting(
      MarketContext ctx,
      int market,
      int counterparty,
      int offset,
      boolean counterpartyBought,
      long lots,
      long price,
      long rank,
      long score,
      String rule,
      String why) {
    MarketConfig config = ctx.config(market);
    long mark = ctx.mark(market);
    String name = ctx.marketName(market);
    long clawed = config.value(lots, counterpartyBought ? price - mark : mark - price);
    Decimal signedSize = config.size(counterpartyBought ? lots : -lots);
    ctx.emit(
        new Event.Offsetting(
            ctx.nextSeq(),
            ctx.now(),
            name,
            ctx.accountName(counterparty),
            ctx.marginName(counterparty),
            ctx.accountName(offset),
            signedSize,
            config.price(price),
            config.price(mark),
            rank,
            Decimal.rate(score),
            Decimal.money(clawed),
            rule));
    notice(
        ctx,
        market,
        counterparty,
        Event.NoticeCategory.AUTO_DELEVERAGING,
        signedSize,
        price,
        clawed,
        "Your "
            + name
            + " position was auto-deleveraged: "
            + config.size(lots)
            + " closed at "
            + config.price(price)
            + " (mark "
            + config.price(mark)
            + ") "
            + why
            + ".");
    return clawed;
  }

  /** A banner for the trader behind a margin account: what happened, at what size and price. */
  public static void notice(
      MarketContext ctx,
      int market,
      int marginAccount,
      Event.NoticeCategory category,
      Decimal size,
      long price,
      long amount,
      String message) {
    ctx.emit(
        new Event.TraderNotice(
            ctx.nextSeq(),
            ctx.now(),
            ctx.accountName(marginAccount),
            ctx.marginName(marginAccount),
            ctx.marketName(market),
            category,
            size,
            ctx.config(market).price(price),
            Decimal.money(amount),
            message));
  }

  /**
   * A deleveraging fill away from mark can cost a counterparty more than its equity; one left with
   * no position and negative collateral goes through the same waterfall as a liquidation. Positions
   * still open are left to the engine's settle loop, which liquidates them.
   */
  static void settleEmptied(MarketContext ctx, int market, int[] accounts) {
    for (int c : accounts) {
      if (ctx.positionsOf(c).length == 0 && ctx.cash(c) < 0) {
        ctx.settleClosedAccount(c, market);
      }
    }
  }

  /**
   * What fired a backstop action, with the value it measured and the level it was measured against
   * ({@link Event.BackstopApplied}'s {@code trigger}, {@code triggerValue}, {@code triggerLevel}).
   */
  record Fired(String trigger, Decimal value, Decimal level) {

    /** The fund could not cover {@code deficit}: its balance against the deficit, in money. */
    static Fired fund(MarketContext ctx, int market, long deficit) {
      return new Fired("fund", Decimal.money(ctx.fundBalance(market)), Decimal.money(deficit));
    }
  }

  /** Ends every backstop action: budget and size needed and taken, overshoot, residual. */
  static void applied(
      MarketContext ctx,
      int marginAccount,
      int market,
      Event.BackstopAction resolution,
      Fired fired,
      String rule,
      long needed,
      long taken,
      long[] sizes,
      long residual) {
    MarketConfig config = ctx.config(market);
    ctx.emit(
        new Event.BackstopApplied(
            ctx.nextSeq(),
            ctx.now(),
            ctx.marketName(market),
            ctx.accountName(marginAccount),
            resolution,
            fired.trigger(),
            fired.value(),
            fired.level(),
            rule,
            Decimal.money(ctx.fundBalance(market)),
            Decimal.money(needed),
            Decimal.money(taken),
            config.size(sizes[0]),
            config.size(sizes[1]),
            config.size(sizes[2]),
            Decimal.money(residual)));
  }
}
