package dev.backstop.sim.run;

/**
 * Monotonicity violations of one ADL round, the queue-instability diagnostic of Chitra, Thogiti,
 * Trujillo Ramirez and Xu, "Autodeleveraging as Online Learning" (arXiv 2602.15182, section 5.2,
 * "adjacent inversions after ADL"; Appendix C, Proposition 9 part 3): a rule is monotone when
 * {@code u_i >= u_j} implies {@code r_i >= r_j}, with {@code u_i} a winner's capacity before the
 * round and {@code r_i = u_i - x_i} its endowment left after it. Pro rata leaves {@code r_i = (1 -
 * B/U) u_i} and never violates it; a queue that empties a large winner and leaves a smaller one
 * untouched does.
 *
 * <p>The winners are sorted by capacity, largest first (ties in input order), and each adjacent
 * pair is checked: the pair violates when the first keeps less than the second, or, with equal
 * capacities, when they keep different amounts. Amounts within the sum of the two accounts'
 * tolerances (the rounding of one money unit or one lot) are equal.
 *
 * @param violations adjacent pairs that violate monotonicity
 * @param pairs adjacent pairs checked: winners minus one (0 with fewer than two)
 */
record Monotonicity(long violations, long pairs) {

  /** Violations over adjacent pairs; 0 without pairs. */
  double rate() {
    return pairs == 0 ? 0 : (double) violations / pairs;
  }

  /**
   * Checks winners {@code i < n} with capacity {@code capacity[i]}, endowment left {@code
   * remaining[i]}, both known to within {@code tolerance[i] >= 0}; entries from {@code n} on are
   * ignored.
   */
  static Monotonicity count(double[] capacity, double[] remaining, double[] tolerance, int n) {
    if (n < 2) {
      return new Monotonicity(0, 0);
    }
    int[] order = IndexOrder.descending(capacity, n);
    long violations = 0;
    for (int k = 0; k + 1 < n; k++) {
      int first = order[k];
      int second = order[k + 1];
      double slack = tolerance[first] + tolerance[second];
      boolean equal = capacity[first] - capacity[second] <= slack;
      double kept = remaining[first] - remaining[second];
      if (kept < -slack || (equal && kept > slack)) {
        violations++;
      }
    }
    return new Monotonicity(violations, n - 1);
  }

  /**
   * The same count when only the candidates at {@code hits} (the first {@code hitCount}, distinct)
   * may have lost anything ({@code remaining == capacity} and a tolerance at least 0 for every
   * other): two neighbours that both kept everything never violate (the first has at least the
   * second's capacity, and keeps exactly that much more), so only the pairs next to a hit are
   * checked. The neighbours are found without sorting the others: each falls into a gap between two
   * hits of the descending order, and only the first and last of each gap can be a hit's neighbour.
   * The order is {@link IndexOrder#descending}'s, ties by index.
   */
  static Monotonicity countAround(
      double[] capacity, double[] remaining, double[] tolerance, int n, int[] hits, int hitCount) {
    if (n < 2) {
      return new Monotonicity(0, 0);
    }
    double[] hitKey = new double[hitCount];
    // hits sorted by capacity descending, ties by index (the hits are sorted by index first)
    int[] byIndex = java.util.Arrays.copyOf(hits, hitCount);
    java.util.Arrays.sort(byIndex);
    for (int k = 0; k < hitCount; k++) {
      hitKey[k] = capacity[byIndex[k]];
    }
    int[] sortedHits = new int[hitCount];
    int[] order = IndexOrder.descending(hitKey, hitCount);
    boolean[] isHit = new boolean[n];
    for (int k = 0; k < hitCount; k++) {
      sortedHits[k] = byIndex[order[k]];
      isHit[sortedHits[k]] = true;
    }
    // gap g holds the others between sortedHits[g - 1] and sortedHits[g]
    int[] first = new int[hitCount + 1];
    int[] last = new int[hitCount + 1];
    java.util.Arrays.fill(first, -1);
    java.util.Arrays.fill(last, -1);
    for (int i = 0; i < n; i++) {
      if (isHit[i]) {
        continue;
      }
      int g = gap(capacity, sortedHits, hitCount, i);
      if (first[g] == -1) {
        first[g] = i; // the others come in index order: the first one met sorts first on a tie
      } else if (before(capacity, i, first[g])) {
        first[g] = i;
      }
      if (last[g] == -1 || !before(capacity, i, last[g])) {
        last[g] = i;
      }
    }
    long violations = 0;
    for (int k = 0; k < hitCount; k++) {
      int h = sortedHits[k];
      int previous = last[k] != -1 ? last[k] : k > 0 ? sortedHits[k - 1] : -1;
      if (previous != -1 && (last[k] != -1 || k > 0)) {
        if (violates(capacity, remaining, tolerance, previous, h)) {
          violations++;
        }
      }
      // the pair with the next hit is counted from that hit, when no other sits between them
      if (first[k + 1] != -1 && violates(capacity, remaining, tolerance, h, first[k + 1])) {
        violations++;
      }
    }
    return new Monotonicity(violations, n - 1);
  }

  /** Whether candidate {@code a} comes before {@code b} in the descending order, ties by index. */
  private static boolean before(double[] capacity, int a, int b) {
    int c = Double.compare(capacity[b], capacity[a]);
    return c < 0 || (c == 0 && a < b);
  }

  /** The gap of other candidate {@code i}: the number of hits that come before it. */
  private static int gap(double[] capacity, int[] sortedHits, int hitCount, int i) {
    int lo = 0;
    int hi = hitCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (before(capacity, sortedHits[mid], i)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static boolean violates(
      double[] capacity, double[] remaining, double[] tolerance, int first, int second) {
    double slack = tolerance[first] + tolerance[second];
    boolean equal = capacity[first] - capacity[second] <= slack;
    double kept = remaining[first] - remaining[second];
    return kept < -slack || (equal && kept > slack);
  }
}
