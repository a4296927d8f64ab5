package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Exact min-max burden, the benchmark of Chitra et al., "Autodeleveraging as Online Learning"
 * (arXiv 2602.15182): minimise the largest burden {@code max_i x_i / u_i} (by size: {@code max_i
 * s_i / q_i}). Unconstrained, the water level on burden is the common {@code h = target / sum},
 * i.e. continuous pro rata.
 *
 * <p>In integers the exact greedy is: start from {@code floor(h * limit_i)} (every unit there has
 * burden at most {@code h}, below the optimum), then give the remaining units, fewer than
 * candidates, one at a time to the candidate whose burden after one more unit, {@code (x_i + 1) /
 * limit_i}, is smallest, ties by ascending id (a heap, compared exactly in 128 bits). Adding units
 * in increasing order of their burden is optimal for this bottleneck problem, so the largest burden
 * is the least possible.
 */
public record MinMaxBurdenPolicy() implements AllocationPolicy {

  @Override
  public String name() {
    return "min-max";
  }

  /** One round for every position of a side a settle pass bankrupts: the papers' round. */
  @Override
  public boolean sharesRound() {
    return true;
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return true;
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    int n = limits.length;
    long total = 0;
    for (long limit : limits) {
      total += limit;
    }
    long leftover = target;
    for (int i = 0; i < n; i++) {
      out[i] = Fixed.mulDiv(target, limits[i], total, RoundingMode.FLOOR);
      leftover -= out[i];
    }
    Indexes.Heap next =
        new Indexes.Heap(
            n,
            (a, b) -> {
              int c = Products.compare(out[a] + 1, limits[b], out[b] + 1, limits[a]);
              return c != 0 ? c : Long.compare(book.id(a), book.id(b));
            });
    for (int i = 0; i < n; i++) {
      if (out[i] < limits[i]) {
        next.push(i);
      }
    }
    for (; leftover > 0; leftover--) {
      int i = next.pop();
      out[i]++;
      if (out[i] < limits[i]) {
        next.push(i);
      }
    }
  }
}
