package dev.backstop.sim.replay;

import dev.backstop.core.num.Decimal;
import java.util.List;

/**
 * The real-population replay: the same total clawback shared over the same real winners by each
 * policy, compared on concentration.
 *
 * @param source the file read
 * @param winners accounts with positive capacity
 * @param capacity total capacity (sum of positive PnL), dollars
 * @param budget the total clawback every policy had to take, dollars
 * @param rows one row per policy, in the order asked for
 */
public record ReplayResult(
    String source, int winners, Decimal capacity, Decimal budget, List<ReplayRow> rows) {

  /** Copies the list. */
  public ReplayResult {
    rows = List.copyOf(rows);
  }

  /**
   * One policy's allocation of the budget.
   *
   * @param policy the allocation policy's name
   * @param taken what it took (equal to the budget unless capacity ran out)
   * @param accountsHit accounts with a positive amount taken
   * @param largestBurden the largest {@code x_i / u_i}
   * @param top10Share share of the total taken from the ten accounts it took most from
   * @param gini Gini coefficient of the amounts taken over every winner
   * @param lorenz the Lorenz curve of the amounts taken: cumulative share of the total at each 1%
   *     of winners, from 0 to 1 (101 points)
   */
  public record ReplayRow(
      String policy,
      Decimal taken,
      int accountsHit,
      double largestBurden,
      double top10Share,
      double gini,
      double[] lorenz) {}
}
