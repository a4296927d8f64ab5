package dev.backstop.core.adl.allocation;

import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Risk-aware capped pro rata, RAP (Chitra, "Autodeleveraging: Impossibilities and Optimization",
 * arXiv 2512.01112): {@code x_i = min(w_i, tau * lambda_i * g(lambda_i))} with leverage {@code
 * lambda_i} and a monotone {@code g}, {@code tau} set exactly so the budget is met. Capped pro rata
 * is the rule the paper shows to be Sybil-resistant, monotone and scale-invariant. By budget only;
 * every candidate with capacity needs a leverage. Integer rounding as in wealth pro rata: shares
 * rounded down, the remainder by largest fractional part, ties by ascending id.
 *
 * @param riskWeight the function {@code g}
 */
public record RiskAwareProRataPolicy(RiskWeight riskWeight) implements AllocationPolicy {

  /** The function {@code g}: the weight of a candidate is {@code lambda * g(lambda)}. */
  public enum RiskWeight {
    /** {@code g(l) = 1}: weight = leverage (the default). */
    LEVERAGE,
    /** {@code g(l) = l}: weight = leverage squared, rounded up at rate scale. */
    LEVERAGE_SQUARED
  }

  /** RAP with the default {@code g(l) = 1}. */
  public RiskAwareProRataPolicy() {
    this(RiskWeight.LEVERAGE);
  }

  /** RAP with the given {@code g}. */
  public RiskAwareProRataPolicy {
    java.util.Objects.requireNonNull(riskWeight, "riskWeight");
  }

  @Override
  public String name() {
    return "rap";
  }

  @Override
  public String spec() {
    return name() + ":" + WireName.of(riskWeight);
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return mode == AllocationMode.BUDGET;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a candidate with capacity has no leverage
   * @throws ArithmeticException if the weights do not fit in a {@code long} (a total leverage
   *     beyond about 9 * 10^10, or with {@code g(l) = l} single leverages beyond about 300,000)
   */
  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    long[] weights = new long[limits.length];
    for (int i = 0; i < limits.length; i++) {
      if (limits[i] == 0) {
        continue;
      }
      long lambda = book.leverage(i);
      if (lambda <= 0) {
        throw new IllegalArgumentException("rap needs the leverage of candidate " + book.id(i));
      }
      weights[i] =
          switch (riskWeight) {
            case LEVERAGE -> lambda;
            case LEVERAGE_SQUARED ->
                Fixed.mulDiv(lambda, lambda, Fixed.RATE_ONE, RoundingMode.CEILING);
          };
    }
    CappedProRata.solve(book, weights, limits, target, out);
  }
}
