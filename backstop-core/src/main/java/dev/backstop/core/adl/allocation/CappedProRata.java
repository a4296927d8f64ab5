package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * The exact integer solution of {@code x_i = min(limit_i, tau * weight_i)} with {@code sum x_i =
 * target}: the shape shared by wealth pro rata (weight = limit, no cap binds), contract pro rata
 * and risk-aware capped pro rata (Chitra, arXiv 2512.01112).
 *
 * <p>{@code tau} is found exactly by sorting: candidates in ascending order of {@code limit_i /
 * weight_i} are capped while that ratio is at most {@code remaining target / remaining weight}
 * (products compared in 128 bits). The others get {@code floor(remaining * weight_i / weight)}; the
 * remainder of that rounding, fewer units than candidates, goes one unit each to the largest
 * fractional parts (largest-remainder method), ties by ascending id. No candidate exceeds its
 * limit, and none pays more than its exact share rounded up.
 */
final class CappedProRata {

  private CappedProRata() {}

  /** Fills {@code out}; candidates with a zero limit or weight get nothing. */
  static void solve(CandidateBook book, long[] weights, long[] limits, long target, long[] out) {
    int n = limits.length;
    int active = 0;
    for (int i = 0; i < n; i++) {
      if (limits[i] > 0 && weights[i] > 0) {
        active++;
      }
    }
    int[] members = new int[active];
    long weight = 0;
    for (int i = 0, k = 0; i < n; i++) {
      if (limits[i] > 0 && weights[i] > 0) {
        members[k++] = i;
        weight = Math.addExact(weight, weights[i]);
      }
    }
    int[] byCapRatio =
        Indexes.sort(
            members,
            (a, b) -> {
              int c = Products.compare(limits[a], weights[b], limits[b], weights[a]);
              return c != 0 ? c : Long.compare(book.id(a), book.id(b));
            });
    long remaining = target;
    int first = 0;
    while (first < active) {
      int i = byCapRatio[first];
      if (Products.compare(limits[i], weight, remaining, weights[i]) > 0) {
        break;
      }
      out[i] = limits[i];
      remaining -= limits[i];
      weight -= weights[i];
      first++;
    }
    if (first == active) {
      return;
    }
    long totalWeight = weight;
    int[] uncapped = new int[active - first];
    long[] fraction = new long[n];
    long shared = 0;
    for (int k = first; k < active; k++) {
      int i = byCapRatio[k];
      uncapped[k - first] = i;
      out[i] = Fixed.mulDiv(remaining, weights[i], totalWeight, RoundingMode.FLOOR);
      // The exact remainder is below totalWeight, so the wrapping 64-bit difference is exact.
      fraction[i] = remaining * weights[i] - out[i] * totalWeight;
      shared += out[i];
    }
    long leftover = remaining - shared;
    int[] byFraction =
        Indexes.sort(
            uncapped,
            (a, b) -> {
              int c = Long.compare(fraction[b], fraction[a]);
              return c != 0 ? c : Long.compare(book.id(a), book.id(b));
            });
    for (int k = 0; k < leftover; k++) {
      out[byFraction[k]]++;
    }
  }
}
