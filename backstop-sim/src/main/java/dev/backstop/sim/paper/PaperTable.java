package dev.backstop.sim.paper;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Table 2 of Chitra, Thogiti, Trujillo Ramirez and Xu, "Autodeleveraging as Online Learning" (arXiv
 * 2602.15182), recomputed from a per-wave file by {@link OnlineLearningMetrics}.
 *
 * @param waves the number of waves (rounds) {@code T}
 * @param lambda the weight of the fairness cost in the total loss
 * @param pathLength {@code P}, the path length of the target severity
 * @param rows one row per policy, in the order of the file's columns
 * @param productionOvershoot {@code O = sum_t (H_prod,t - B_t)}
 * @param regretBound the dynamic-regret bound {@code sqrt((1 + 2P) * sum_t D_t^2)}, {@code D_t} the
 *     wave's deficit
 */
public record PaperTable(
    int waves,
    double lambda,
    double pathLength,
    List<PolicyLoss> rows,
    double productionOvershoot,
    double regretBound) {

  /** The lambdas of the paper's Table 3 sweep. */
  public static final List<Double> SWEEP_LAMBDAS = List.of(0.5, 1.0, 1.5, 2.0);

  /** Defensive copy of the rows. */
  public PaperTable {
    rows = List.copyOf(rows);
  }

  /** The row of {@code policy}. */
  public PolicyLoss row(String policy) {
    return rows.stream()
        .filter(row -> row.policy().equals(policy))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no policy '" + policy + "'"));
  }

  /**
   * A policy's total loss as a share of the regret bound (the paper's "about 50%" for production);
   * empty when the bound is zero (no deficit in any wave).
   */
  public OptionalDouble shareOfBound(PolicyLoss row) {
    return regretBound > 0 ? OptionalDouble.of(row.total() / regretBound) : OptionalDouble.empty();
  }
}
