package dev.backstop.core.mechanism;

import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Who takes the other side of a liquidation close and at what price: the market's order book, or a
 * liquidity provider that is the counterparty of every close. One implementation per model of
 * {@link LiquiditySpec}; the engine asks it for the close price and the liquidation fee of every
 * close, and for the book's depth when one is set.
 */
public sealed interface Liquidity {

  /** The mechanism for a specification. */
  static Liquidity of(LiquiditySpec spec) {
    return switch (spec) {
      case LiquiditySpec.OrderBook book -> new OrderBook(book);
      case LiquiditySpec.LpCounterparty lp -> new LpCounterparty();
    };
  }

  /** Whether the market has an order book whose depth a command may change. */
  boolean hasDepth();

  /** The depth within 1% of mark the market starts with (money units); 0 without a book. */
  long initialDepth();

  /**
   * The price of a liquidation close of {@code lots} at {@code mark}, against the liquidated taker
   * (a sale rounds down, a purchase up; never below one tick).
   *
   * @param depth the book's current depth within 1% of mark (money units)
   * @param equity the liquidated margin account's equity at mark before the close
   */
  long closePrice(
      MarketConfig config, long mark, long depth, boolean selling, long lots, long equity);

  /** The liquidation fee of a close, capped at the equity left after it; never negative. */
  long liquidationFee(MarketConfig config, long lots, long fillPrice, long equityAfter);

  /** Moves {@code mark} by a concession rate against the taker. */
  private static long concede(long mark, long concession, boolean selling) {
    if (selling) {
      return Math.max(
          1, Fixed.mulDiv(mark, Fixed.RATE_ONE - concession, Fixed.RATE_ONE, RoundingMode.FLOOR));
    }
    return Fixed.mulDiv(mark, Fixed.RATE_ONE + concession, Fixed.RATE_ONE, RoundingMode.CEILING);
  }

  /**
   * An order book: closes fill at the average impact of walking a linear book, {@code halfSpread +
   * 0.5% * notional / depthAtOnePercent}, capped; a liquidation fee of {@code penalty * notional}
   * goes to the insurance fund.
   *
   * @param spec the book's spread, depth and impact cap
   */
  record OrderBook(LiquiditySpec.OrderBook spec) implements Liquidity {
    @Override
    public boolean hasDepth() {
      return true;
    }

    @Override
    public long initialDepth() {
      return spec.depthAtOnePercent();
    }

    @Override
    public long closePrice(
        MarketConfig config, long mark, long depth, boolean selling, long lots, long equity) {
      long impact =
          Math.addExact(
              spec.halfSpreadRate(),
              Fixed.mulDiv(
                  config.notional(lots, mark), Fixed.RATE_ONE / 200, depth, RoundingMode.CEILING));
      return concede(mark, Math.min(impact, spec.maxImpactRate()), selling);
    }

    @Override
    public long liquidationFee(MarketConfig config, long lots, long fillPrice, long equityAfter) {
      long fee =
          Fixed.applyRate(
              config.notional(lots, fillPrice),
              config.liquidationPenaltyRate(),
              RoundingMode.CEILING);
      return Math.max(0, Math.min(fee, equityAfter));
    }
  }

  /**
   * A liquidity provider (Variational Omni's OLP, an LP pool): the liquidated taker pays the
   * penalty in the price, buying at {@code mark * (1 + penalty)} and selling at {@code mark * (1 -
   * penalty)}, at most what it has left; no separate fee.
   */
  record LpCounterparty() implements Liquidity {
    @Override
    public boolean hasDepth() {
      return false;
    }

    @Override
    public long initialDepth() {
      return 0;
    }

    /**
     * The penalty, capped at what the liquidated party has left: it pays at most its equity at mark
     * (nothing when it has none), so the penalty itself never turns into bad debt.
     */
    @Override
    public long closePrice(
        MarketConfig config, long mark, long depth, boolean selling, long lots, long equity) {
      long price = concede(mark, config.liquidationPenaltyRate(), selling);
      long perTick = Math.multiplyExact(lots, config.notionalUnit());
      long mostTicks = Math.max(0, equity) / perTick;
      return selling ? Math.max(price, mark - mostTicks) : Math.min(price, mark + mostTicks);
    }

    @Override
    public long liquidationFee(MarketConfig config, long lots, long fillPrice, long equityAfter) {
      return 0;
    }
  }
}
