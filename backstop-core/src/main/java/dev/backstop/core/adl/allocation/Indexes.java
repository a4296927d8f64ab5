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
