package dev.backstop.core.adl.allocation;

/**
 * One rule for sharing a deleveraging target among candidates. Implementations are immutable
 * values; {@link Allocator#allocate} calls them and derives amounts, sizes, burdens and metrics.
 *
 * <p>The policy works in the unit of the {@link AllocationMode}: money units for {@code BUDGET}
 * (each candidate's limit is its capacity {@code u_i}), lots for {@code SIZE} (its limit is its
 * position size).
 */
public interface AllocationPolicy {

  /** The policy's name as the CLI spells it ({@code queue}, {@code pro-rata}, ...). */
  String name();

  /**
   * The policy with its parameters in one canonical line that {@link AllocationPolicies#parse}
   * reads back: {@code queue:bitmex}, {@code rap:leverage}, {@code random:1685611640:500}; the name
   * alone for a policy without parameters. Snapshots store policies in this form.
   */
  default String spec() {
    return name();
  }

  /**
   * The policy to use for one draw identified by {@code nonce}: itself, except for policies with a
   * seeded random element, which mix the nonce into their seed.
   */
  default AllocationPolicy forDraw(long nonce) {
    return this;
  }

  /**
   * Whether the policy wants a cross account's equity adjusted for its factor exposure, so that the
   * leverage it reads is factor-adjusted (water-filling: Campbell, Hey, Moallemi, Nutz).
   */
  default boolean factorAdjusted() {
    return false;
  }

  /**
   * Whether a deleveraging by this policy takes every position of a side that one settle pass
   * leaves bankrupt in one round: the research rules that share a round's whole target among the
   * winners (pro rata, risk-aware pro rata, min-max, water-filling), as the papers define them per
   * round (Chitra, arXiv 2512.01112: the deficit {@code D} is the sum over the round's losers;
   * Campbell, Hey, Moallemi, Nutz, arXiv 2603.15963: "size Q to remove from one side"). Closing
   * each bankrupt position on its own would hand each winner one fill per bankruptcy of the tick.
   * False (the default) for a venue's rule, which deleverages each bankrupt position by itself (a
   * queue, dYdX's random start per deleveraging).
   */
  default boolean sharesRound() {
    return false;
  }

  /** Whether the policy is defined for targets of this mode. */
  boolean supports(AllocationMode mode);

  /**
   * Whether the policy may take more than the target: only policies that reproduce a venue that
   * overshoots (closing whole positions) do.
   */
  default boolean mayOvershoot() {
    return false;
  }

  /**
   * The score that ranks candidate {@code i} under this policy (rate scale; higher is taken first),
   * reported with each deleveraging fill; 0 for policies that rank nobody.
   */
  default long score(CandidateBook book, int i) {
    return 0;
  }

  /**
   * Orders two candidates by their scores (negative: {@code a} first): higher score first, ties by
   * ascending id unless the policy's ranking breaks them otherwise.
   */
  default int compare(CandidateBook book, int a, long scoreA, int b, long scoreB) {
    int c = Long.compare(scoreB, scoreA);
    return c != 0 ? c : Long.compare(book.id(a), book.id(b));
  }

  /**
   * Every candidate in the order of this policy's ranking ({@link #compare} on the given scores),
   * as candidate indexes: a merge sort on primitive indexes, stable and without boxing.
   */
  default int[] ranking(CandidateBook book, long[] scores) {
    return Indexes.sorted(book.count(), (a, b) -> compare(book, a, scores[a], b, scores[b]));
  }

  /**
   * The only candidates that a {@code SIZE} allocation of {@code target} lots can touch, when they
   * are a prefix of this policy's ranking: indexes in rank order, the shortest prefix whose sizes
   * reach {@code target} (all candidates when none does). An allocation on the book cut to them
   * ({@link CandidateBook#subset}) is the allocation on the whole book, rank for rank, at the cost
   * of selecting the prefix rather than ranking everyone. Null (the default) when the policy may
   * touch any candidate (pro rata, water-filling, a random start).
   */
  default int[] leaders(CandidateBook book, long target) {
    return null;
  }

  /**
   * The score a queue ranks positions by, when this policy is a queue that deleverages the shortest
   * prefix of that ranking covering its target (in either mode): then the side can be kept in the
   * order of score bounds between commands ({@link QueueScore#bound}). Null (the default) for any
   * other policy.
   */
  default QueueScore rankingScore() {
    return null;
  }

  /**
   * The candidates that give something in an allocation, in the order this policy takes them: the
   * ranks reported with each fill. By default highest score first ({@link #compare}); a policy that
   * visits candidates in another order (dYdX's random start) reports that order.
   */
  default int[] rankOrder(CandidateBook book, Allocation allocation) {
    int n = 0;
    Integer[] hit = new Integer[book.count()];
    long[] scores = new long[book.count()];
    for (int i = 0; i < book.count(); i++) {
      if (allocation.sizeClosed(i) > 0 || allocation.amount(i) > 0) {
        hit[n++] = i;
        scores[i] = score(book, i);
      }
    }
    Integer[] used = java.util.Arrays.copyOf(hit, n);
    java.util.Arrays.sort(used, (x, y) -> compare(book, x, scores[x], y, scores[y]));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = used[i];
    }
    return out;
  }

  /**
   * Shares {@code target} among the candidates.
   *
   * @param book the candidates
   * @param mode the unit of {@code limits}, {@code target} and {@code out}
   * @param limits per candidate, the most it can give ({@code >= 0})
   * @param target what to take, {@code 0 <= target <= sum(limits)}
   * @param out per candidate, what it gives: {@code 0 <= out[i] <= limits[i]}, summing to {@code
   *     target} unless the policy overshoots or documents a shortfall; zero on entry
   */
  void allocate(CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out);
}
