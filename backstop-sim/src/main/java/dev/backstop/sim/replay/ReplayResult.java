package dev.backstop.sim.replay;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.paper.WaveCounterfactual;
import java.util.List;

/**
 * The real-population replay: the same clawback shared over the same real winners by each policy,
 * compared on concentration, with two budgets: production's total in one round ({@link #rows}), and
 * the papers' needed budget wave by wave ({@link #perWave}).
 *
 * @param source the file read
 * @param winners accounts with positive capacity
 * @param capacity total capacity (sum of positive PnL), dollars
 * @param budget the one-round budget of {@link #rows}: production's total by default, dollars
 * @param rows one row per policy, in the order asked for: {@code budget} in one round
 * @param neededBudget the sum of the per-wave needed budgets of {@link #perWave}, dollars; null
 *     without them
 * @param perWave one row per policy: each wave's needed budget, one round per wave, the capacities
 *     left by the earlier waves; empty without per-wave budgets
 * @param counterfactual the per-wave counterfactual ({@code paper-table --per-wave}): each wave's
 *     needed budget shared over that wave's capacity on its own, beside the per-wave file's own
 *     columns; null without the per-wave file or its capacities
 */
public record ReplayResult(
    String source,
    int winners,
    Decimal capacity,
    Decimal budget,
    List<ReplayRow> rows,
    Decimal neededBudget,
    List<ReplayRow> perWave,
    WaveCounterfactual counterfactual) {

  /** Copies the lists. */
  public ReplayResult {
    rows = List.copyOf(rows);
    perWave = List.copyOf(perWave);
  }

  /** A replay without the per-wave counterfactual. */
  public ReplayResult(
      String source,
      int winners,
      Decimal capacity,
      Decimal budget,
      List<ReplayRow> rows,
      Decimal neededBudget,
      List<ReplayRow> perWave) {
    this(source, winners, capacity, budget, rows, neededBudget, perWave, null);
  }

  /** This replay with the per-wave counterfactual of its waves. */
  public ReplayResult withCounterfactual(WaveCounterfactual value) {
    return new ReplayResult(source, winners, capacity, budget, rows, neededBudget, perWave, value);
  }

  /**
   * One policy's allocation of a budget.
   *
   * @param policy the allocation policy's name
   * @param basis which budget, in words: {@code "production's total, 1 round"} or {@code "needed
   *     per wave, 16 rounds"}
   * @param rounds the rounds the budget was shared in
   * @param budget what the policy was asked to take in all, dollars
   * @param taken what it took (equal to the budget unless capacity ran out, or above it for a
   *     policy closing whole capacities)
   * @param accountsHit accounts with a positive amount taken
   * @param largestBurden the largest {@code x_{i,t} / u_{i,t}} of any account in any round, {@code
   *     u_{i,t}} the capacity it had left in that round
   * @param top10Share share of the total taken from the ten accounts it took most from
   * @param gini Gini coefficient of the amounts taken over every winner
   * @param lorenz the Lorenz curve of the amounts taken: cumulative share of the total at each 1%
   *     of winners, from 0 to 1 (101 points)
   */
  public record ReplayRow(
      String policy,
      String basis,
      int rounds,
      Decimal budget,
      Decimal taken,
      int accountsHit,
      double largestBurden,
      double top10Share,
      double gini,
      double[] lorenz) {}
}
