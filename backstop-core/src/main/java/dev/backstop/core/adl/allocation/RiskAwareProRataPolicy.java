package dev.backstop.core.adl.allocation;

import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Risk-aware pro rata, RAP (Chitra, "Autodeleveraging: Impossibilities and Optimization", arXiv
 * 2512.01112, corrected text {@code main_corrected.tex}, section "Risk-aware Policies (RAP)", eq.
 * {@code glpr}): each winner loses the haircut <em>fraction</em> {@code h_i = min(1, tau * lambda_i
 * * g(lambda_i))} of its capacity, {@code x_i = h_i * w_i}, with leverage {@code lambda_i}, a
 * monotone {@code g} and {@code tau} set exactly so that {@code sum_i h_i w_i} is the budget (the
 * per-account cap {@code beta_i} of the paper is 1: the capacity is already what can be seized).
 *
 * <p>Splitting a winner into two accounts of the same leverage leaves {@code tau} and the haircut
 * fraction unchanged, so the two lose together what the one lost: the rule is Sybil-resistant
 * (property-tested; up to one money unit of rounding per account). An earlier version capped an
 * amount, {@code x_i = min(w_i, tau * lambda_i g(lambda_i))}; that rule is neither the paper's nor
 * Sybil-resistant (two winners of equal leverage with PnL 100 and 10 and a budget of 11 gave 5.5
 * each, and the first split in two gave 7.33).
 *
 * <p>By budget only; every candidate with capacity needs a leverage. Exact in integers ({@link
 * CappedProRata}): shares rounded down, the remainder by largest fractional part, ties by ascending
 * id, so the budget is met exactly.
 *
 * @param riskWeight the function {@code g}
 */
public record RiskAwareProRataPolicy(RiskWeight riskWeight) implements AllocationPolicy {

  /** The function {@code g}: the weight of a candidate is {@code lambda * g(lambda)}. */
  public enum RiskWeight {
    /** {@code g(l) = 1}: the haircut fraction grows with the leverage (the default). */
    LEVERAGE,
    /**
     * {@code g(l) = l}: the fraction grows with the leverage squared (rounded up at rate scale);
     * the paper's linear risk model, levered pro rata.
     */
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

  /** One round for every position of a side a settle pass bankrupts: the papers' round. */
  @Override
  public boolean sharesRound() {
    return true;
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return mode == AllocationMode.BUDGET;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a candidate with capacity has no leverage
   * @throws ArithmeticException with {@code g(l) = l}, if a leverage squared does not fit in a
   *     {@code long} at rate scale (a leverage beyond about 300,000)
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
