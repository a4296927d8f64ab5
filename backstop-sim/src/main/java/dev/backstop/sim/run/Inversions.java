package dev.backstop.sim.run;

import java.util.Arrays;

/**
 * Ranking inversions in the sense of Campbell, Hey, Moallemi and Nutz (arXiv 2603.15963): the
 * risk-based rule cuts the most leveraged first, so a pair of winners where the more leveraged one
 * bore the smaller burden is an inversion. Counted in {@code O(n log n)} with a Fenwick tree over
 * burden ranks.
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

  /**
   * Counts over accounts {@code i} with leverage {@code leverage[i]} and burden {@code burden[i]}.
   */
  static Inversions count(double[] leverage, double[] burden) {
    int n = leverage.length;
    if (n < 2) {
      return new Inversions(0, 0);
    }
    double[] distinct = burden.clone();
    Arrays.sort(distinct);
    int ranks = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || Double.compare(distinct[i], distinct[ranks - 1]) != 0) {
        distinct[ranks++] = distinct[i];
      }
    }
    double[] levels = Arrays.copyOf(distinct, ranks);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Most leveraged first; equal leverage forms a group that is compared only with earlier ones.
    Arrays.sort(order, (a, b) -> Double.compare(leverage[b], leverage[a]));
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
        int r = Arrays.binarySearch(levels, burden[order[k]]) + 1;
        long below = prefix(tree, r - 1);
        long atOrBelow = prefix(tree, r);
        inversions += below;
        concordant += seen - atOrBelow;
      }
      for (int k = g; k < end; k++) {
        int r = Arrays.binarySearch(levels, burden[order[k]]) + 1;
        for (int x = r; x <= ranks; x += x & -x) {
          tree[x]++;
        }
        seen++;
      }
      g = end;
    }
    return new Inversions(inversions, concordant);
  }

  private static long prefix(long[] tree, int r) {
    long sum = 0;
    for (int x = r; x > 0; x -= x & -x) {
      sum += tree[x];
    }
    return sum;
  }
}
