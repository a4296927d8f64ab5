package dev.backstop.core.mechanism;

import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Who takes the other side of a liquidation close and at what price: the market's order book
 * (finite levels of margined makers, walked by an immediate-or-cancel order within a limit), or a
 * liquidity provider that is the counterparty of every close. One implementation per model of
 * {@link LiquiditySpec}; the engine walks the book itself (it owns the levels) and asks this for
 * the prices and the fee.
 */
public sealed interface Liquidity {

  /** The mechanism for a specification. */
  static Liquidity of(LiquiditySpec spec) {
    return switch (spec) {
      case LiquiditySpec.OrderBook book -> new OrderBook(book);
      case LiquiditySpec.LpCounterparty lp -> new LpCounterparty(lp);
    };
  }

  /** The liquidation fee of a close, capped at the equity left after it; never negative. */
  long liquidationFee(MarketConfig config, long lots, long fillPrice, long equityAfter);

  /** Whether closes meet an order book (else a liquidity provider takes every close). */
  default boolean isBook() {
    return this instanceof OrderBook;
  }

  /**
   * The limit of a liquidation order on a book ({@link OrderBook#limitPrice}).
   *
   * @throws UnsupportedOperationException for a liquidity provider, which has no book
   */
  default long limitPrice(long mark, long bankruptcy, boolean selling) {
    throw new UnsupportedOperationException("a liquidity provider has no order book");
  }

  /**
   * The price of a close against a liquidity provider ({@link LpCounterparty#closePrice}).
   *
   * @throws UnsupportedOperationException for an order book, whose levels set the prices
   */
  default long closePrice(MarketConfig config, long mark, boolean selling, long lots, long equity) {
    throw new UnsupportedOperationException("an order book's levels set its prices");
  }

  /**
   * The price of a resting level {@code offset} from the mark: a bid rounds down, an ask up, both
   * against the liquidated taker.
   */
  static long levelPrice(long mark, long offset, boolean bid) {
    return concede(mark, offset, bid);
  }

  /** Moves {@code mark} by a rate against a taker that sells (down) or buys (up); at least 1. */
  static long concede(long mark, long rate, boolean selling) {
    if (selling) {
      return Math.max(
          1, Fixed.mulDiv(mark, Fixed.RATE_ONE - rate, Fixed.RATE_ONE, RoundingMode.FLOOR));
    }
    return Fixed.mulDiv(mark, Fixed.RATE_ONE + rate, Fixed.RATE_ONE, RoundingMode.CEILING);
  }

  /**
   * An order book of margined makers: the liquidation order's limit, the price of a level pegged to
   * the mark, and a liquidation fee of {@code penalty * notional} to the insurance fund.
   *
   * @param spec the book's ladder, limit and takeover layer
   */
  record OrderBook(LiquiditySpec.OrderBook spec) implements Liquidity {

    /**
     * The worst price a liquidation order may fill at: the bankruptcy price, or the mark moved by
     * the maximum slippage but never beyond the bankruptcy price (a fill beyond it would leave the
     * account with a deficit that the takeover layer exists to absorb).
     *
     * @param bankruptcy the position's bankruptcy price, ticks (0 if a long can never go bankrupt)
     * @param selling whether the order sells (closes a long)
     */
    @Override
    public long limitPrice(long mark, long bankruptcy, boolean selling) {
      long atBankruptcy = selling ? Math.max(1, bankruptcy) : bankruptcy;
      if (spec.limit() == LiquiditySpec.LimitRule.BANKRUPTCY) {
        return atBankruptcy;
      }
      long slipped = concede(mark, spec.maxSlippageRate(), selling);
      return selling ? Math.max(atBankruptcy, slipped) : Math.min(atBankruptcy, slipped);
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
   * penalty)}, at most what it has left; no separate fee. The provider takes every close: a close
   * only ever shrinks its opposite position.
   *
   * @param spec the provider's account and whether it trades only in settlement pools
   */
  record LpCounterparty(LiquiditySpec.LpCounterparty spec) implements Liquidity {

    /**
     * The price of a close of {@code lots} at {@code mark}: the penalty, capped at what the
     * liquidated party has left (its equity at mark; nothing when it has none), so the penalty
     * itself never turns into bad debt.
     */
    public long closePrice(
        MarketConfig config, long mark, boolean selling, long lots, long equity) {
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
