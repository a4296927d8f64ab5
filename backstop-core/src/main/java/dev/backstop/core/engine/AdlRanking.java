package dev.backstop.core.engine;

import dev.backstop.core.num.Decimal;
import java.util.List;

/**
 * Where every open position of a market stands in its backstop, as a venue shows it to traders
 * (Binance's and BitMEX's five lights, {@code GET /fapi/v1/adlQuantile}; Bybit's {@code
 * adlRankIndicator}).
 *
 * @param market the market
 * @param rule the market's allocation policy, or {@code none}
 * @param entries every non-liquidity position, longs then shorts, by rank
 */
public record AdlRanking(String market, String rule, List<Entry> entries) {

  /**
   * One position.
   *
   * @param side {@code long} or {@code short}
   * @param rank 1 for the first position of its side the rule would take
   * @param score the rule's ranking score (queue rules); where the rule ranks nobody (pro rata,
   *     random, water-filling), the position's leverage, the risk those rules weigh
   * @param quantile 0 to 4: the 20% band of its rank within its side, 4 for the top 20% (the five
   *     lights)
   * @param sizeIfNow lots it would close if the most endangered position of the other side (the
   *     first in the liquidation index) were deleveraged now under the market's rule (0 where the
   *     rule claws back money instead)
   * @param haircutIfNow what it would give up in that case: for deleveraging rules {@code sizeIfNow
   *     * |mark - bankruptcy price|}; for money rules its share of that position's loss at its
   *     bankruptcy price, or of its maintenance margin while it is still solvent
   * @param account the account's name
   * @param margin its margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param size the signed position size
   * @param unrealizedPnl its unrealized PnL at mark
   */
  public record Entry(
      String account,
      String margin,
      String side,
      Decimal size,
      Decimal unrealizedPnl,
      long rank,
      Decimal score,
      int quantile,
      Decimal sizeIfNow,
      Decimal haircutIfNow) {}
}
