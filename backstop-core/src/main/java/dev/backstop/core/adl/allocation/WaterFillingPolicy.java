package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Risk-based water-filling (Campbell, Hey, Moallemi, Nutz, "Risk-Based Auto-Deleveraging", arXiv
 * 2603.15963): to remove size {@code Q} from one side, account {@code i} with size {@code q_i},
 * equity {@code E_i} and price {@code p} keeps leverage {@code l_i = p (q_i - x_i) / E_i}; choose a
 * level {@code eta} with {@code x_i = clamp(q_i - eta E_i / p, 0, q_i)} and {@code sum x_i = Q}.
 * The most levered accounts are cut first, down to a common leverage; this minimises the maximum
 * leverage left. By size only.
 *
 * <p>Exact in integer lots: an account with non-positive equity is unboundedly levered and is cut
 * first (ascending id). For the others the kept size at level {@code eta} (rate scale) is {@code
 * min(q_i, floor(eta E_i / p_i))}, computed exactly; {@code eta} is the least level on the rate
 * grid (10^-8) whose kept total covers {@code sum q - Q}, found by bisection. The few lots kept at
 * that level but not at the one just below (their leverage lies in the last grid step) are cut as
 * needed by ascending id, so {@code sum x_i = Q} exactly and no account keeps a leverage above
 * {@code eta}.
 */
public record WaterFillingPolicy() implements AllocationPolicy {

  @Override
  public String name() {
    return "water-filling";
  }

  /** Cross accounts are weighed by factor-adjusted leverage. */
  @Override
  public boolean factorAdjusted() {
    return true;
  }

  /** One round for every position of a side a settle pass bankrupts: the papers' round. */
  @Override
  public boolean sharesRound() {
    return true;
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return mode == AllocationMode.SIZE;
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    int n = limits.length;
    int[] byId = Indexes.sorted(n, (a, b) -> Long.compare(book.id(a), book.id(b)));
    long remaining = target;
    long sized = 0;
    long highest = 0;
    for (int i : byId) {
      if (book.equity(i) <= 0) {
        out[i] = Math.min(remaining, limits[i]);
        remaining -= out[i];
      } else {
        sized += limits[i];
        highest = Math.max(highest, fullLeverage(book, i));
      }
    }
    if (remaining == 0) {
      return;
    }
    long keep = sized - remaining;
    long lo = 0;
    long hi = highest;
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (kept(book, limits, mid) >= keep) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long level = lo;
    long excess = kept(book, limits, level) - keep;
    for (int i : byId) {
      if (book.equity(i) <= 0) {
        continue;
      }
      long k = kept(book, limits, i, level);
      if (excess > 0 && level > 0) {
        long cut = Math.min(excess, k - kept(book, limits, i, level - 1));
        k -= cut;
        excess -= cut;
      }
      out[i] = limits[i] - k;
    }
  }

  /**
   * {@code ceil(notional * RATE_ONE / equity)}, the leverage at which nothing is cut; {@code
   * Long.MAX_VALUE} when it is beyond the range.
   */
  private static long fullLeverage(CandidateBook book, int i) {
    try {
      return Fixed.mulDiv(book.notional(i), Fixed.RATE_ONE, book.equity(i), RoundingMode.CEILING);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long kept(CandidateBook book, long[] limits, long level) {
    long total = 0;
    for (int i = 0; i < limits.length; i++) {
      if (book.equity(i) > 0) {
        total += kept(book, limits, i, level);
      }
    }
    return total;
  }

  /**
   * Lots account {@code i} keeps at leverage {@code level}: {@code min(q, floor(level E / p))}. The
   * largest level, {@code Long.MAX_VALUE}, stands for every leverage beyond the rate scale's range
   * and keeps everything.
   */
  private static long kept(CandidateBook book, long[] limits, int i, long level) {
    long equity = book.equity(i);
    if (level == Long.MAX_VALUE
        || Products.compare(level, equity, book.notional(i), Fixed.RATE_ONE) >= 0) {
      return limits[i];
    }
    // floor(floor(a / b) / c) == floor(a / (b c)) for positive b and c.
    return Fixed.mulDiv(level, equity, Fixed.RATE_ONE, RoundingMode.FLOOR) / book.markPrice(i);
  }
}
