package dev.backstop.sim.paper;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Table 2 of Chitra, Thogiti, Trujillo Ramirez and Xu, "Autodeleveraging as Online Learning" (arXiv
 * 2602.15182), recomputed from a per-wave file by {@link OnlineLearningMetrics}, with the path
 * length of section 5.3 recomputed from the same file.
 *
 * @param waves the number of waves (rounds) {@code T}
 * @param lambda the weight of the fairness cost in the total loss
 * @param burden what the largest burdens are normalised by
 * @param eachLoserOnce whether the deficits {@code D_t} count each loser once ({@link LoserWaves})
 *     rather than in every wave it is short in, as the file does
 * @param totalDeficit {@code sum_t D_t} of the deficits used
 * @param pathLength {@code P} as given (the paper's estimate, 7.06, by default)
 * @param rows one row per policy, in the order of the file's columns
 * @param productionOvershoot {@code O = sum_t (H_prod,t - B_t)}, signed
 * @param regretBound the dynamic-regret bound {@code sqrt((1 + 2P) * sum_t D_t^2)} with the given
 *     {@code P}
 * @param pathLengthFromFile {@code P = sum_{t>=2} |theta_t - theta_{t-1}|}, {@code theta_t = min(1,
 *     B_t / D_t)}, computed from the file (section 3.8, Proposition 1)
 * @param regretBoundFromFile the bound with {@code pathLengthFromFile}
 */
public record PaperTable(
    int waves,
    double lambda,
    BurdenNormalisation burden,
    boolean eachLoserOnce,
    double totalDeficit,
    double pathLength,
    List<PolicyLoss> rows,
    double productionOvershoot,
    double regretBound,
    double pathLengthFromFile,
    double regretBoundFromFile) {

  /** The lambdas of the paper's Table 3 sweep, "lambda in [0.5, 2]". */
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
   * empty when the bound is zero (no deficit in any wave) or the total is not known.
   */
  public OptionalDouble shareOfBound(PolicyLoss row) {
    return regretBound > 0 && row.hasFairness()
        ? OptionalDouble.of(row.total() / regretBound)
        : OptionalDouble.empty();
  }

  /**
   * How many times the production queue's total loss is {@code row}'s at {@code lambda} (the
   * paper's Table 3 reads "production remains about 40-46x worse than replay-oracle per-round
   * references"); empty when either total is unknown or {@code row}'s is zero.
   */
  public OptionalDouble productionRatio(PolicyLoss row, double lambda) {
    double production = row(WaveFile.PRODUCTION).totalLoss(lambda);
    double other = row.totalLoss(lambda);
    return Double.isNaN(production) || Double.isNaN(other) || other == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(production / other);
  }
}
