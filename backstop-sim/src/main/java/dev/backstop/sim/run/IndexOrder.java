package dev.backstop.sim.run;

/**
 * The order of entries by a {@code double} key, as primitive indices: a stable bottom-up merge
 * sort, so that equal keys keep their index order, as {@code Arrays.sort} of boxed indices with a
 * comparator does, without boxing a million indices per round.
 */
final class IndexOrder {

  private IndexOrder() {}

  /** Indices {@code 0 .. n - 1}, smallest key first; ties in index order. */
  static int[] ascending(double[] key, int n) {
    return sort(key, n, false);
  }

  /** Indices {@code 0 .. n - 1}, largest key first; ties in index order. */
  static int[] descending(double[] key, int n) {
    return sort(key, n, true);
  }

  private static int[] sort(double[] key, int n, boolean descending) {
    // The keys travel with their indices, so the merges read both arrays in order instead of
    // looking each key up through its index (a cache miss per comparison on a large round).
    int[] from = new int[n];
    double[] fromKey = new double[n];
    for (int i = 0; i < n; i++) {
      from[i] = i;
      fromKey[i] = key[i];
    }
    int[] to = new int[n];
    double[] toKey = new double[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int left = lo;
        int right = mid;
        int k = lo;
        while (left < mid && right < hi) {
          // the right run's entry goes first only when strictly before the left's: stable
          int c =
              descending
                  ? Double.compare(fromKey[left], fromKey[right])
                  : Double.compare(fromKey[right], fromKey[left]);
          if (c < 0) {
            toKey[k] = fromKey[right];
            to[k++] = from[right++];
          } else {
            toKey[k] = fromKey[left];
            to[k++] = from[left++];
          }
        }
        while (left < mid) {
          toKey[k] = fromKey[left];
          to[k++] = from[left++];
        }
        while (right < hi) {
          toKey[k] = fromKey[right];
          to[k++] = from[right++];
        }
      }
      int[] swap = from;
      from = to;
      to = swap;
      double[] swapKey = fromKey;
      fromKey = toKey;
      toKey = swapKey;
    }
    return from;
  }
}
