package dev.backstop.core.adl.allocation;

/** Sorting and a priority queue over candidate indexes, on plain {@code int} arrays (no boxing). */
final class Indexes {

  /** A total order on candidate indexes; every order used here ends with the candidate id. */
  @FunctionalInterface
  interface Order {
    int compare(int a, int b);
  }

  private Indexes() {}

  /** The indexes {@code 0..n-1} sorted by {@code order} (bottom-up merge sort, O(n log n)). */
  static int[] sorted(int n, Order order) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return sort(a, order);
  }

  /**
   * The indexes {@code 0..n-1} by {@code scores} descending, ties by ascending {@code ids}: the
   * default order of a policy's ranking ({@link AllocationPolicy#compare}) without a call per
   * comparison. A bottom-up merge sort (runs of {@link #RUN} sorted by insertion first) that
   * carries each entry's score and id beside its index, so that a merge reads its inputs in order
   * instead of looking each compared index up. Stable, as {@link #sort} is: entries equal in score
   * and id keep their order.
   */
  static int[] byScoreThenId(long[] scores, long[] ids, int n) {
    int[] idx = new int[n];
    long[] sc = new long[n];
    long[] id = new long[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      sc[i] = scores[i];
      id[i] = ids[i];
    }
    for (int lo = 0; lo < n; lo += RUN) {
      int hi = Math.min(n, lo + RUN);
      for (int i = lo + 1; i < hi; i++) {
        int x = idx[i];
        long s = sc[i];
        long d = id[i];
        int j = i;
        while (j > lo && before(s, d, sc[j - 1], id[j - 1])) {
          idx[j] = idx[j - 1];
          sc[j] = sc[j - 1];
          id[j] = id[j - 1];
          j--;
        }
        idx[j] = x;
        sc[j] = s;
        id[j] = d;
      }
    }
    int[] idx2 = new int[n];
    long[] sc2 = new long[n];
    long[] id2 = new long[n];
    for (long width = RUN; width < n; width *= 2) {
      for (long start = 0; start < n; start += 2 * width) {
        int lo = (int) start;
        int mid = (int) Math.min(start + width, n);
        int hi = (int) Math.min(start + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          if (before(sc[j], id[j], sc[i], id[i])) {
            idx2[k] = idx[j];
            sc2[k] = sc[j];
            id2[k++] = id[j++];
          } else {
            idx2[k] = idx[i];
            sc2[k] = sc[i];
            id2[k++] = id[i++];
          }
        }
        int rest = mid - i;
        System.arraycopy(idx, i, idx2, k, rest);
        System.arraycopy(sc, i, sc2, k, rest);
        System.arraycopy(id, i, id2, k, rest);
        k += rest;
        rest = hi - j;
        System.arraycopy(idx, j, idx2, k, rest);
        System.arraycopy(sc, j, sc2, k, rest);
        System.arraycopy(id, j, id2, k, rest);
      }
      int[] si = idx;
      idx = idx2;
      idx2 = si;
      long[] ss = sc;
      sc = sc2;
      sc2 = ss;
      long[] sd = id;
      id = id2;
      id2 = sd;
    }
    return idx;
  }

  /** The length of the runs {@link #byScoreThenId} sorts by insertion before merging. */
  private static final int RUN = 32;

  /** Whether (score {@code s}, id {@code d}) comes before (score {@code t}, id {@code e}). */
  private static boolean before(long s, long d, long t, long e) {
    return s > t || (s == t && d < e);
  }

  /**
   * Sorts {@code indexes} by {@code order} and returns the sorted array, which may be a new one:
   * {@code indexes} itself is used as scratch space and must not be read afterwards.
   */
  static int[] sort(int[] indexes, Order order) {
    int n = indexes.length;
    int[] a = indexes;
    int[] b = new int[n];
    for (long width = 1; width < n; width *= 2) {
      for (long start = 0; start < n; start += 2 * width) {
        int lo = (int) start;
        int mid = (int) Math.min(start + width, n);
        int hi = (int) Math.min(start + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          b[k++] = order.compare(a[j], a[i]) < 0 ? a[j++] : a[i++];
        }
        while (i < mid) {
          b[k++] = a[i++];
        }
        while (j < hi) {
          b[k++] = a[j++];
        }
      }
      int[] swap = a;
      a = b;
      b = swap;
    }
    return a;
  }

  /** A binary min-heap of candidate indexes under an order that may read mutable state. */
  static final class Heap {
    private final int[] heap;
    private final Order order;
    private int size;

    Heap(int capacity, Order order) {
      this.heap = new int[capacity];
      this.order = order;
    }

    /** A heap of the indexes {@code 0..n-1}, built bottom-up in linear time. */
    static Heap of(int n, Order order) {
      Heap h = new Heap(n, order);
      for (int i = 0; i < n; i++) {
        h.heap[i] = i;
      }
      h.size = n;
      for (int k = n / 2 - 1; k >= 0; k--) {
        h.siftDown(k);
      }
      return h;
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(int index) {
      int k = size++;
      heap[k] = index;
      while (k > 0) {
        int parent = (k - 1) / 2;
        if (order.compare(heap[k], heap[parent]) >= 0) {
          break;
        }
        swap(k, parent);
        k = parent;
      }
    }

    int pop() {
      int top = heap[0];
      heap[0] = heap[--size];
      siftDown(0);
      return top;
    }

    private void siftDown(int from) {
      int k = from;
      while (true) {
        int left = 2 * k + 1;
        if (left >= size) {
          break;
        }
        int child =
            left + 1 < size && order.compare(heap[left + 1], heap[left]) < 0 ? left + 1 : left;
        if (order.compare(heap[child], heap[k]) >= 0) {
          break;
        }
        swap(k, child);
        k = child;
      }
    }

    private void swap(int i, int j) {
      int t = heap[i];
      heap[i] = heap[j];
      heap[j] = t;
    }
  }
}
