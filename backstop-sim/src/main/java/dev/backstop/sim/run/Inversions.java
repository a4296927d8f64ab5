package dev.backstop.sim.run;

/**
 * Ranking inversions in the sense of Campbell, Hey, Moallemi and Nutz (arXiv 2603.15963): the
 * risk-based rule cuts the most leveraged first, so a pair of winners where the more leveraged one
 * bore the smaller burden is an inversion. Counted in {@code O(n log n)} with a Fenwick tree over
 * burden ranks.
 *
 * <p>Burdens are compared with a tie tolerance: each account's burden is known only to the rounding
 * of one unit (a micro-dollar over its capacity, or a lot over its position), so two burdens whose
 * difference is within the sum of their tolerances are a tie, and burdens are grouped into ranks by
 * chaining such ties in sorted order. Without it, wealth pro rata, which gives every winner the
 * same burden up to a micro-unit, showed an inversion rate of 0.50 (half the pairs inverted by the
 * rounding alone).
 *
 * @param inversions pairs with higher leverage and lower burden
 * @param concordant pairs with higher leverage and higher burden
 */
record Inversions(long inversions, long concordant) {

  /** Inversions over comparable pairs (different leverage and different burden); 0 if none. */
  double rate() {
    long comparable = inversions + concordant;
    return comparable == 0 ? 0 : (double) inversions / comparable;
  }

  /** Counts with exact burdens (no tolerance). */
  static Inversions count(double[] leverage, double[] burden) {
    return count(leverage, burden, new double[burden.length], burden.length);
  }

  /**
   * Counts over accounts {@code i < n} with leverage {@code leverage[i]} and burden {@code
   * burden[i]}, known to within {@code tolerance[i] >= 0}; entries from {@code n} on are ignored.
   */
  static Inversions count(double[] leverage, double[] burden, double[] tolerance, int n) {
    if (n < 2) {
      return new Inversions(0, 0);
    }
    return byRank(
        leverage,
        tieRanks(IndexOrder.ascending(burden, n), burden, tolerance, n),
        IndexOrder.descending(leverage, n),
        n);
  }

  /**
   * The same count, given what a round of many winners and few hits already knows: {@code order},
   * the candidates by leverage descending (ties by index, as {@link IndexOrder#descending}); only
   * the burdens that are not 0 are sorted ({@link #zerosFirst}, the same order).
   */
  static Inversions count(
      double[] leverage, double[] burden, double[] tolerance, int n, int[] order) {
    if (n < 2) {
      return new Inversions(0, 0);
    }
    int[] byBurden = zerosFirst(burden, n);
    return byRank(leverage, tieRanks(byBurden, burden, tolerance, n), order, n);
  }

  /**
   * The count over candidates whose burden ranks (from 1) are given, {@code order} by leverage
   * descending (ties by index): pairs of unequal leverage whose ranks are the other way round
   * (inversions) or the same way (concordant); equal ranks are neither.
   */
  static Inversions byRank(double[] leverage, int[] rank, int[] order, int n) {
    int ranks = 0;
    for (int i = 0; i < n; i++) {
      ranks = Math.max(ranks, rank[i]);
    }
    // Most leveraged first; equal leverage forms a group that is compared only with earlier ones.
    long[] tree = new long[ranks + 1];
    long seen = 0;
    long inversions = 0;
    long concordant = 0;
    int g = 0;
    while (g < n) {
      int end = g;
      while (end < n && Double.compare(leverage[order[end]], leverage[order[g]]) == 0) {
        end++;
      }
      for (int k = g; k < end; k++) {
        int r = rank[order[k]];
        long below = prefix(tree, r - 1);
        long atOrBelow = prefix(tree, r);
        inversions += below;
        concordant += seen - atOrBelow;
      }
      for (int k = g; k < end; k++) {
        for (int x = rank[order[k]]; x <= ranks; x += x & -x) {
          tree[x]++;
        }
        seen++;
      }
      g = end;
    }
    return new Inversions(inversions, concordant);
  }

  /**
   * The indexes by burden ascending, ties by index, exactly as {@link IndexOrder#ascending}: the
   * burdens that are not 0 sorted among themselves, then placed around the zeros (in index order).
   */
  static int[] zerosFirst(double[] burden, int n) {
    int others = 0;
    for (int i = 0; i < n; i++) {
      if (Double.compare(burden[i], 0.0) != 0) {
        others++;
      }
    }
    int[] index = new int[others];
    double[] key = new double[others];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (Double.compare(burden[i], 0.0) != 0) {
        index[k] = i;
        key[k++] = burden[i];
      }
    }
    int[] sorted = IndexOrder.ascending(key, others);
    int[] out = new int[n];
    int o = 0;
    int next = 0;
    while (next < others && Double.compare(key[sorted[next]], 0.0) < 0) {
      out[o++] = index[sorted[next++]];
    }
    for (int i = 0; i < n; i++) {
      if (Double.compare(burden[i], 0.0) == 0) {
        out[o++] = i;
      }
    }
    while (next < others) {
      out[o++] = index[sorted[next++]];
    }
    return out;
  }

  /**
   * Ranks from 1: burdens sorted ascending, a new rank wherever the gap to the previous burden
   * exceeds the sum of the two tolerances.
   */
  private static int[] tieRanks(int[] byBurden, double[] burden, double[] tolerance, int n) {
    int[] rank = new int[n];
    int current = 0;
    for (int k = 0; k < n; k++) {
      int i = byBurden[k];
      if (k == 0) {
        current = 1;
      } else {
        int prev = byBurden[k - 1];
        if (burden[i] - burden[prev] > tolerance[i] + tolerance[prev]) {
          current++;
        }
      }
      rank[i] = current;
    }
    return rank;
  }

  private static long prefix(long[] tree, int r) {
    long sum = 0;
    for (int x = r; x > 0; x -= x & -x) {
      sum += tree[x];
    }
    return sum;
  }
}
