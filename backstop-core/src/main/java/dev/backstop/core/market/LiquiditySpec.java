package dev.backstop.core.market;

/**
 * Who takes the other side of a liquidation close, and at what price.
 *
 * <p>Both models name an engine account as the maker, so every close is a real two-sided fill: open
 * interest stays balanced and value is conserved.
 */
public sealed interface LiquiditySpec {

  /** The account that is the maker of liquidation closes (and never liquidated itself). */
  String account();

  /** The model's one name in command files and snapshots: {@code book} or {@code lp}. */
  default String wireName() {
    return switch (this) {
      case OrderBook b -> "book";
      case LpCounterparty lp -> "lp";
    };
  }

  /**
   * An order book of a given depth. The resting orders are represented by a liquidity account (the
   * makers outside the engine). Selling to close fills at {@code mark * (1 - impact)}, buying at
   * {@code mark * (1 + impact)}, with the average impact of walking a linear book: {@code impact =
   * halfSpread + 0.5% * notional / depthAtOnePercent}, capped at {@code maxImpact}. A liquidation
   * fee of {@code penaltyRate * notional} (capped at the equity left) goes to the insurance fund.
   *
   * @param account the liquidity account (the book's makers)
   * @param halfSpreadRate half the bid-ask spread, rate scale
   * @param depthAtOnePercent notional resting within 1% of mark on each side, money units
   * @param maxImpactRate the largest average impact, rate scale, below 1
   */
  record OrderBook(String account, long halfSpreadRate, long depthAtOnePercent, long maxImpactRate)
      implements LiquiditySpec {
    /** Validates ranges. */
    public OrderBook {
      if (halfSpreadRate < 0 || depthAtOnePercent <= 0) {
        throw new IllegalArgumentException("order book needs spread >= 0 and depth > 0");
      }
      if (maxImpactRate <= 0 || maxImpactRate >= dev.backstop.core.num.Fixed.RATE_ONE) {
        throw new IllegalArgumentException("max impact must be in (0, 1)");
      }
    }
  }

  /**
   * A liquidity provider is the counterparty of every close (Variational Omni's OLP, an LP pool).
   * The liquidated party is the taker and pays the penalty in the price: it buys to close at {@code
   * mark * (1 + penalty)} and sells at {@code mark * (1 - penalty)}. In a settlement pool the maker
   * is the pool's other party; elsewhere it is {@code account}.
   *
   * @param account the liquidity provider's account
   */
  record LpCounterparty(String account) implements LiquiditySpec {}
}
