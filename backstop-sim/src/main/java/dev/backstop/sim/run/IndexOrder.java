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
    int[] from = new int[n];
    for (int i = 0; i < n; i++) {
      from[i] = i;
    }
    int[] to = new int[n];
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
                  ? Double.compare(key[from[left]], key[from[right]])
                  : Double.compare(key[from[right]], key[from[left]]);
          to[k++] = c < 0 ? from[right++] : from[left++];
        }
        while (left < mid) {
          to[k++] = from[left++];
        }
        while (right < hi) {
          to[k++] = from[right++];
        }
      }
      int[] swap = from;
      from = to;
      to = swap;
    }
    return from;
  }
}
