package dev.backstop.core.market;

import dev.backstop.core.num.Fixed;
import java.util.Objects;

/**
 * Who takes the other side of a liquidation close, and at what price.
 *
 * <p>Every model's liquidity belongs to margined accounts with finite capital: the makers resting
 * in an order book, or the liquidity provider of an LP venue. None is exempt from margin or
 * liquidation, so every close is a real two-sided fill, open interest stays balanced, value is
 * conserved, and a close that the liquidity cannot take passes to the next layer of the waterfall
 * (MECHANISMS.md, "How a liquidation order meets the market").
 */
public sealed interface LiquiditySpec {

  /** The model's one name in command files and snapshots: {@code book} or {@code lp}. */
  default String wireName() {
    return switch (this) {
      case OrderBook b -> "book";
      case LpCounterparty lp -> "lp";
    };
  }

  /** What a liquidation order may not fill beyond. */
  enum LimitRule {
    /**
     * The bankruptcy price: fills better than it leave a surplus, nothing fills worse (BitMEX-style
     * engines; sat.is: a long with bankruptcy price 99.00 is offered at 99.00 and filled at 99.25).
     */
    BANKRUPTCY,
    /** The mark moved by the book's {@code maxSlippage} against the liquidated side. */
    MARK_SLIPPAGE
  }

  /**
   * A limit order book whose resting liquidity belongs to margined makers. A market starts with one
   * maker's ladder, {@code account}'s (a venue's designated market maker; it trades only with the
   * collateral it has), and any account may rest its own ladder with a {@code quote} command. A
   * ladder is pegged to the mark: level {@code k} (from 0) rests at {@code halfSpread + k * step}
   * from the mark with {@code depth * step / 1%} of notional, so about {@code depth} rests within
   * 1% of the mark on each side. What fills consume replenishes with a half-life of {@code
   * halfLifeMillis} (the book's resilience).
   *
   * <p>A liquidation is an immediate-or-cancel order walking the levels best first, within {@code
   * limit}; a maker fills only what its margin carries. What the book cannot fill goes to {@code
   * takeover}, then to the market's backstop. A liquidation fee of {@code penaltyRate * notional}
   * (capped at the equity left) goes to the insurance fund.
   *
   * @param account the maker resting the initial ladder, or the empty string for none
   * @param halfSpreadRate the first level's distance from the mark, rate scale
   * @param depthAtOnePercent the initial ladder's notional within 1% of mark on each side, money
   * @param stepRate the distance between levels, rate scale, positive
   * @param levels levels per side, 1 to {@link #MAX_LEVELS}
   * @param halfLifeMillis the half-life of consumed depth, milliseconds, positive
   * @param limit the limit of a liquidation order
   * @param maxSlippageRate the slippage of {@link LimitRule#MARK_SLIPPAGE}, rate scale (ignored by
   *     {@link LimitRule#BANKRUPTCY})
   * @param takeover who takes what the book cannot fill
   */
  record OrderBook(
      String account,
      long halfSpreadRate,
      long depthAtOnePercent,
      long stepRate,
      int levels,
      long halfLifeMillis,
      LimitRule limit,
      long maxSlippageRate,
      TakeoverSpec takeover)
      implements LiquiditySpec {

    /** The most levels a ladder may have per side. */
    public static final int MAX_LEVELS = 1_000;

    /** Validates ranges. */
    public OrderBook {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(takeover, "takeover");
      if (halfSpreadRate < 0 || halfSpreadRate >= Fixed.RATE_ONE) {
        throw new IllegalArgumentException("order book half spread must be in [0, 1)");
      }
      if (depthAtOnePercent < 0) {
        throw new IllegalArgumentException("order book depth must be >= 0");
      }
      if (stepRate <= 0 || stepRate >= Fixed.RATE_ONE) {
        throw new IllegalArgumentException("order book step must be in (0, 1)");
      }
      if (levels < 1 || levels > MAX_LEVELS) {
        throw new IllegalArgumentException("order book levels must be 1 to " + MAX_LEVELS);
      }
      if (Math.addExact(halfSpreadRate, Math.multiplyExact(stepRate, levels - 1))
          >= Fixed.RATE_ONE) {
        throw new IllegalArgumentException("the order book's last level must be within 100%");
      }
      if (halfLifeMillis <= 0) {
        throw new IllegalArgumentException("order book half-life must be positive");
      }
      if (maxSlippageRate < 0 || maxSlippageRate >= Fixed.RATE_ONE) {
        throw new IllegalArgumentException("order book max slippage must be in [0, 1)");
      }
      if (limit == LimitRule.MARK_SLIPPAGE && maxSlippageRate == 0) {
        throw new IllegalArgumentException("a mark-slippage limit needs a positive max slippage");
      }
    }

    /**
     * The book the presets start from: {@code account}'s ladder of 50 levels a side, 1 bp from the
     * mark and 0.1% apart, 10M of notional within 1% (1M a level), a half-life of 60 s; the limit
     * at the bankruptcy price; the fund takes over what the book cannot fill, offloading within
     * 0.5%.
     */
    public static OrderBook standard(String account) {
      long rate = Fixed.RATE_ONE;
      return new OrderBook(
          account,
          rate / 10_000,
          10_000_000L * Fixed.pow10(Fixed.MONEY_DECIMALS),
          rate / 1_000,
          50,
          60_000,
          LimitRule.BANKRUPTCY,
          0,
          new TakeoverSpec.Fund(0, rate / 200));
    }

    /** Whether a maker rests the initial ladder. */
    public boolean hasMaker() {
      return !account.isEmpty();
    }

    /** This book with another takeover layer. */
    public OrderBook withTakeover(TakeoverSpec value) {
      return new OrderBook(
          account,
          halfSpreadRate,
          depthAtOnePercent,
          stepRate,
          levels,
          halfLifeMillis,
          limit,
          maxSlippageRate,
          value);
    }

    /** This book with another initial depth. */
    public OrderBook withDepth(long depth) {
      return new OrderBook(
          account,
          halfSpreadRate,
          depth,
          stepRate,
          levels,
          halfLifeMillis,
          limit,
          maxSlippageRate,
          takeover);
    }
  }

  /**
   * A liquidity provider is the counterparty of every close (Variational Omni's OLP, GMX's pool,
   * Tradoor's TLP). The liquidated party is the taker and pays the penalty in the price: it buys to
   * close at {@code mark * (1 + penalty)} and sells at {@code mark * (1 - penalty)}. In a
   * settlement pool the maker is the pool's other party; elsewhere it is {@code account}, which is
   * margined like any account and counterparty-liquidated when it cannot keep its margin.
   *
   * @param account the liquidity provider's account
   * @param poolsOnly whether the provider trades only inside settlement pools (Variational Omni)
   */
  record LpCounterparty(String account, boolean poolsOnly) implements LiquiditySpec {
    /** Validates the account. */
    public LpCounterparty {
      Objects.requireNonNull(account, "account");
      if (account.isBlank()) {
        throw new IllegalArgumentException("the liquidity provider's account must be named");
      }
    }

    /** A provider that also trades outside pools. */
    public LpCounterparty(String account) {
      this(account, false);
    }
  }
}
