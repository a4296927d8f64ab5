package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The exact integer solution of capped pro rata in the form of Chitra, "Autodeleveraging:
 * Impossibilities and Optimization" (arXiv 2512.01112, corrected text, section "Risk-aware Policies
 * (RAP)"): each candidate loses a haircut <em>fraction</em> {@code h_i = min(1, tau * r_i)} of its
 * limit, {@code x_i = h_i * limit_i}, with {@code tau} set so that {@code sum x_i = target}. With
 * every risk weight {@code r_i} equal this is wealth pro rata ({@code x_i = target * limit_i / sum
 * limit}, no cap binds); with {@code r_i = lambda_i g(lambda_i)} it is risk-aware pro rata.
 *
 * <p>Because the fraction, not the amount, is what the weight scales, splitting a candidate into
 * two with the same risk weight leaves {@code tau} and every other candidate's haircut unchanged,
 * and the two parts lose together what the whole lost (up to one unit of rounding each): the rule
 * is Sybil-resistant. Capping an amount instead ({@code x_i = min(limit_i, tau * r_i)}) is not.
 *
 * <p>{@code tau} is found exactly: candidates in descending order of {@code r_i} are capped ({@code
 * h_i = 1}) while {@code remaining target * r_i >= remaining weight}, the remaining weight being
 * {@code sum r_j * limit_j} over the candidates not capped yet (products in exact integers). The
 * others get {@code floor(remaining * r_i * limit_i / weight)}; the remainder of that rounding,
 * fewer units than candidates, goes one unit each to the largest fractional parts
 * (largest-remainder method), ties by ascending id. No candidate exceeds its limit, none pays more
 * than its exact share rounded up, and the shares sum to the target exactly.
 */
final class CappedProRata {

  private CappedProRata() {}

  /**
   * Wealth pro rata: {@code x_i = target * limit_i / sum limit}, every candidate losing the same
   * fraction of its limit.
   */
  static void solve(CandidateBook book, long[] limits, long target, long[] out) {
    solve(book, null, limits, target, out);
  }

  /**
   * Fills {@code out} with {@code x_i = min(1, tau * riskWeights[i]) * limits[i]}; candidates with
   * a zero limit or risk weight get nothing.
   *
   * @param riskWeights per candidate {@code r_i >= 0}, any scale (only ratios matter); null for
   *     equal weights (wealth pro rata)
   */
  static void solve(
      CandidateBook book, long[] riskWeights, long[] limits, long target, long[] out) {
    int n = limits.length;
    int active = 0;
    for (int i = 0; i < n; i++) {
      if (limits[i] > 0 && risk(riskWeights, i) > 0) {
        active++;
      }
    }
    int[] members = new int[active];
    for (int i = 0, k = 0; i < n; i++) {
      if (limits[i] > 0 && risk(riskWeights, i) > 0) {
        members[k++] = i;
      }
    }
    Weights weights =
        riskWeights == null
            ? new EqualWeights(limits, members)
            : new RiskWeights(riskWeights, limits, members);
    int[] byRisk =
        Indexes.sort(
            members,
            (a, b) -> {
              int c = Long.compare(risk(riskWeights, b), risk(riskWeights, a));
              return c != 0 ? c : Long.compare(book.id(a), book.id(b));
            });
    long remaining = target;
    int first = 0;
    while (first < active && weights.capped(byRisk[first], remaining)) {
      int i = byRisk[first];
      out[i] = limits[i];
      remaining -= limits[i];
      weights.remove(i);
      first++;
    }
    if (first == active) {
      return;
    }
    int[] uncapped = new int[active - first];
    long shared = 0;
    for (int k = first; k < active; k++) {
      int i = byRisk[k];
      uncapped[k - first] = i;
      out[i] = weights.share(i, remaining);
      shared += out[i];
    }
    long leftover = remaining - shared;
    int[] byFraction =
        Indexes.sort(
            uncapped,
            (a, b) -> {
              int c = weights.compareFractions(b, a);
              return c != 0 ? c : Long.compare(book.id(a), book.id(b));
            });
    for (int k = 0; k < leftover; k++) {
      out[byFraction[k]]++;
    }
  }

  private static long risk(long[] riskWeights, int i) {
    return riskWeights == null ? 1 : riskWeights[i];
  }

  /**
   * The weights {@code r_i * limit_i} of the candidates not capped yet, and the fractional parts of
   * their shares.
   */
  private interface Weights {

    /** Whether candidate {@code i} is capped: {@code remaining * r_i >= remaining weight}. */
    boolean capped(int i, long remaining);

    /** Takes candidate {@code i}'s weight out of the remaining weight. */
    void remove(int i);

    /** {@code floor(remaining * r_i * limit_i / weight)}, keeping the remainder for ordering. */
    long share(int i, long remaining);

    /** Compares the remainders left by {@link #share} of two candidates. */
    int compareFractions(int a, int b);
  }

  /**
   * Equal risk weights: the weight is the limit, and the total is at most the sum of the limits,
   * which fits in a {@code long}; products in 128 bits.
   */
  private static final class EqualWeights implements Weights {
    private final long[] limits;
    private final long[] fraction;
    private long weight;

    EqualWeights(long[] limits, int[] members) {
      this.limits = limits;
      this.fraction = new long[limits.length];
      for (int i : members) {
        weight = Math.addExact(weight, limits[i]);
      }
    }

    @Override
    public boolean capped(int i, long remaining) {
      return remaining >= weight;
    }

    @Override
    public void remove(int i) {
      weight -= limits[i];
    }

    @Override
    public long share(int i, long remaining) {
      long share = Fixed.mulDiv(remaining, limits[i], weight, RoundingMode.FLOOR);
      // The exact remainder is below the weight, so the wrapping 64-bit difference is exact.
      fraction[i] = remaining * limits[i] - share * weight;
      return share;
    }

    @Override
    public int compareFractions(int a, int b) {
      return Long.compare(fraction[a], fraction[b]);
    }
  }

  /**
   * Risk weights: {@code r_i * limit_i} and its sum can exceed a {@code long} (a leverage of 10^3
   * at rate scale times a capacity of 10^8 dollars in micro-units is 10^25), so they are exact big
   * integers.
   */
  private static final class RiskWeights implements Weights {
    private final long[] risk;
    private final BigInteger[] product;
    private final BigInteger[] fraction;
    private BigInteger weight = BigInteger.ZERO;

    RiskWeights(long[] risk, long[] limits, int[] members) {
      this.risk = risk;
      this.product = new BigInteger[limits.length];
      this.fraction = new BigInteger[limits.length];
      for (int i : members) {
        product[i] = BigInteger.valueOf(risk[i]).multiply(BigInteger.valueOf(limits[i]));
        weight = weight.add(product[i]);
      }
    }

    @Override
    public boolean capped(int i, long remaining) {
      return BigInteger.valueOf(remaining).multiply(BigInteger.valueOf(risk[i])).compareTo(weight)
          >= 0;
    }

    @Override
    public void remove(int i) {
      weight = weight.subtract(product[i]);
    }

    @Override
    public long share(int i, long remaining) {
      BigInteger[] qr =
          BigInteger.valueOf(remaining).multiply(product[i]).divideAndRemainder(weight);
      fraction[i] = qr[1];
      return qr[0].longValueExact();
    }

    @Override
    public int compareFractions(int a, int b) {
      return fraction[a].compareTo(fraction[b]);
    }
  }
}
