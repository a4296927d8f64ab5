package dev.backstop.core.adl.allocation;

/**
 * dYdX v4 deleveraging ({@code MECHANISMS.md}, {@code x/clob/keeper/deleveraging.go}): no ranking.
 * Candidates are visited in ascending id order, cyclically, from a pseudo-random start drawn from
 * an explicit seed; each gives {@code min(remaining, limit)}; at most {@code maxIterations}
 * candidates are visited (500 by default, as dYdX), so with more candidates than that the target
 * may be left partly unallocated ({@link Allocation#residual()}). Exact in integers.
 */
public record RandomPolicy(long seed, int maxIterations) implements AllocationPolicy {

  /** dYdX's limit on the subaccounts visited per deleveraging. */
  public static final int DEFAULT_MAX_ITERATIONS = 500;

  /** Seeded, with the default iteration limit. */
  public RandomPolicy(long seed) {
    this(seed, DEFAULT_MAX_ITERATIONS);
  }

  /** Seeded, visiting at most {@code maxIterations} (positive) candidates. */
  public RandomPolicy {
    if (maxIterations <= 0) {
      throw new IllegalArgumentException("maxIterations must be positive: " + maxIterations);
    }
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public String spec() {
    return name() + ":" + seed + ":" + maxIterations;
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return true;
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    int n = limits.length;
    int[] byId = Indexes.sorted(n, (a, b) -> Long.compare(book.id(a), book.id(b)));
    int start = (int) Long.remainderUnsigned(splitMix64(seed), n);
    long remaining = target;
    for (int k = 0; k < Math.min(n, maxIterations) && remaining > 0; k++) {
      int i = byId[(start + k) % n];
      out[i] = Math.min(remaining, limits[i]);
      remaining -= out[i];
    }
  }

  /**
   * One output of SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators",
   * OOPSLA 2014) for the given state: add the golden-ratio increment, then two xor-shift-multiply
   * rounds and a final xor-shift. Small, fast and well mixed; the modulo bias of the start over
   * fewer than 2^31 candidates is negligible.
   */
  private static long splitMix64(long state) {
    long z = state + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
