package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.SplitMix64;

/**
 * dYdX v4 deleveraging ({@code MECHANISMS.md}, {@code x/clob/keeper/deleveraging.go}): no ranking.
 * Candidates are visited in ascending id order, cyclically, from a pseudo-random start drawn from
 * an explicit seed; each gives {@code min(remaining, limit)}; at most {@code maxIterations}
 * candidates are visited (500 by default, as dYdX), so with more candidates than that the target
 * may be left partly unallocated ({@link Allocation#residual()}). Exact in integers.
 *
 * @param seed the seed of the start
 * @param maxIterations the most candidates visited
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

  /**
   * dYdX's start changes with every deleveraging: the same policy with its seed mixed with {@code
   * nonce} (the engine passes the event sequence number).
   */
  @Override
  public AllocationPolicy forDraw(long nonce) {
    return new RandomPolicy(SplitMix64.mix(seed ^ nonce), maxIterations);
  }

  @Override
  public String spec() {
    return name() + ":" + seed + ":" + maxIterations;
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return true;
  }

  /**
   * Where the visit of {@code n} (positive) candidates starts: a place in their ascending id order.
   */
  public int start(int n) {
    return (int) Long.remainderUnsigned(SplitMix64.mix(seed), n);
  }

  /** The candidates in the order of the visit: from the random start, cyclically by id. */
  private int[] visitOrder(CandidateBook book) {
    int n = book.count();
    int[] byId = Indexes.sorted(n, (a, b) -> Long.compare(book.id(a), book.id(b)));
    int begin = n == 0 ? 0 : start(n);
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = byId[(begin + k) % n];
    }
    return order;
  }

  /**
   * dYdX's ranks are the places in the visit from the random start (there is no score), not the
   * candidates' ids.
   */
  @Override
  public int[] rankOrder(CandidateBook book, Allocation allocation) {
    return given(visitOrder(book), allocation);
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    visit(visitOrder(book), maxIterations, limits, target, out);
  }

  /**
   * This policy's draw on a book that holds exactly the candidates its visit reaches, in the order
   * of the visit (what a caller that keeps the side in id order selects without sorting it): the
   * same allocation, the same ranks, read in book order. It is only valid on such a book.
   */
  public AllocationPolicy visited() {
    return new Visited(maxIterations);
  }

  /** Candidates visited in the order given, each giving what is left up to its limit. */
  private static void visit(
      int[] order, int maxIterations, long[] limits, long target, long[] out) {
    long remaining = target;
    for (int k = 0; k < Math.min(order.length, maxIterations) && remaining > 0; k++) {
      int i = order[k];
      out[i] = Math.min(remaining, limits[i]);
      remaining -= out[i];
    }
  }

  /** The candidates in {@code order} that gave something. */
  private static int[] given(int[] order, Allocation allocation) {
    return java.util.Arrays.stream(order)
        .filter(i -> allocation.sizeClosed(i) > 0 || allocation.amount(i) > 0)
        .toArray();
  }

  /** A {@link RandomPolicy}'s draw on the book of the candidates it visits, in visit order. */
  private record Visited(int maxIterations) implements AllocationPolicy {

    @Override
    public String name() {
      return "random";
    }

    @Override
    public boolean supports(AllocationMode mode) {
      return true;
    }

    @Override
    public int[] rankOrder(CandidateBook book, Allocation allocation) {
      return given(identity(book.count()), allocation);
    }

    @Override
    public void allocate(
        CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
      visit(identity(book.count()), maxIterations, limits, target, out);
    }

    private static int[] identity(int n) {
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      return order;
    }
  }
}
