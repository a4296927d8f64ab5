package dev.backstop.core.adl.allocation;

import java.util.Arrays;

/**
 * The candidates of one side of a market kept in a queue policy's rank order while a run of
 * deleveraging rounds changes them: an indexed binary heap over rows that are written in place, so
 * that a round reads the leaders it needs ({@link #leaders}) at a logarithmic cost each, and a
 * candidate that a round filled moves to its new place ({@link #update}, {@link #remove}) at a
 * logarithmic cost, instead of the whole side being selected again for every round.
 *
 * <p>What {@link #leaders} returns is exactly what {@link AllocationPolicy#leaders} returns on the
 * book of the live rows: the same shortest prefix of the same total order (the policy's {@link
 * AllocationPolicy#compare}, ids unique), null on the same condition (no row, or a target of a
 * quarter or more of the side's whole size). Rows are the caller's slots: a removed slot is never
 * reused.
 */
public final class RankedSide {

  private final QueueRanked policy;
  private final CandidateBook rows;
  private long[] scores;
  private boolean[] live;

  /** Heap of slots; {@code at[slot]} is its place in the heap, -1 when not in it. */
  private int[] heap;

  private int[] at;
  private int heapSize;
  private long totalSize;

  private RankedSide(QueueRanked policy, int capacity) {
    this.policy = policy;
    this.rows = new CandidateBook(capacity);
    int n = Math.max(capacity, 4);
    scores = new long[n];
    live = new boolean[n];
    heap = new int[n];
    at = new int[n];
  }

  /**
   * The side ranked by {@code policy}, its rows the candidates of {@code book} in order (slot
   * {@code i} is candidate {@code i}); null if the policy is not a queue that ranks by position
   * (then every round reads the whole side anyway) or the book has no positions.
   */
  public static RankedSide of(AllocationPolicy policy, CandidateBook book) {
    if (!book.hasPositions()) {
      return null;
    }
    int n = book.count();
    long[] ids = new long[n];
    long[] pnl = new long[n];
    long[] equity = new long[n];
    long[] size = new long[n];
    long[] entry = new long[n];
    long[] mark = new long[n];
    for (int i = 0; i < n; i++) {
      mark[i] = book.markPrice(i);
      ids[i] = book.id(i);
      pnl[i] = book.pnl(i);
      equity[i] = book.equity(i);
      size[i] = book.size(i);
      entry[i] = book.entryPrice(i);
    }
    return of(policy, n, ids, pnl, equity, size, mark, entry);
  }

  /**
   * The side ranked by {@code policy}, its rows the {@code n} candidates given as arrays (slot
   * {@code i} is entry {@code i}; ids distinct, the positions as {@link
   * CandidateBook.Builder#addPosition} takes them); null if the policy is not a queue that ranks by
   * position or there is no candidate. The same side as {@link #of(AllocationPolicy,
   * CandidateBook)} on their book, without building the book.
   */
  public static RankedSide of(
      AllocationPolicy policy,
      int n,
      long[] ids,
      long[] pnl,
      long[] equity,
      long[] size,
      long[] markPerLot,
      long[] entry) {
    if (!(policy instanceof QueueRanked queue) || n == 0) {
      return null;
    }
    RankedSide side = new RankedSide(queue, n);
    for (int i = 0; i < n; i++) {
      int slot = side.rows.appendRow();
      side.rows.setRow(slot, ids[i], pnl[i], equity[i], size[i], markPerLot[i], entry[i]);
      side.live[slot] = true;
      side.scores[slot] = queue.score(side.rows, slot);
      side.heap[slot] = slot;
      side.at[slot] = slot;
      side.totalSize = Math.addExact(side.totalSize, size[i]);
    }
    side.heapSize = n;
    for (int k = n / 2 - 1; k >= 0; k--) {
      side.siftDown(k);
    }
    return side;
  }

  /** Adds a candidate at a new slot, returned (the slots of the book go first, in order). */
  public int add(long id, long pnl, long equity, long sizeLots, long mark, long entry) {
    int slot = rows.appendRow();
    if (slot == live.length) {
      int n = Math.multiplyExact(live.length, 2);
      scores = Arrays.copyOf(scores, n);
      live = Arrays.copyOf(live, n);
      heap = Arrays.copyOf(heap, n);
      at = Arrays.copyOf(at, n);
    }
    rows.setRow(slot, id, pnl, equity, sizeLots, mark, entry);
    live[slot] = true;
    scores[slot] = policy.score(rows, slot);
    totalSize = Math.addExact(totalSize, sizeLots);
    heap[heapSize] = slot;
    at[slot] = heapSize;
    siftUp(heapSize++);
    return slot;
  }

  /** Rewrites a live slot's candidate (same id) and moves it to its new rank. */
  public void update(int slot, long pnl, long equity, long sizeLots, long mark, long entry) {
    requireLive(slot);
    long before = rows.size(slot);
    rows.setRow(slot, rows.id(slot), pnl, equity, sizeLots, mark, entry);
    totalSize = Math.addExact(totalSize - before, sizeLots);
    scores[slot] = policy.score(rows, slot);
    int k = at[slot];
    siftUp(k);
    siftDown(at[slot]);
  }

  /** Takes a live slot out of the side. */
  public void remove(int slot) {
    requireLive(slot);
    live[slot] = false;
    totalSize -= rows.size(slot);
    int k = at[slot];
    int last = heap[--heapSize];
    at[slot] = -1;
    if (k < heapSize) {
      heap[k] = last;
      at[last] = k;
      siftUp(k);
      siftDown(at[last]);
    }
  }

  /** Number of live candidates. */
  public int count() {
    return heapSize;
  }

  /**
   * The slots a {@code SIZE} allocation of {@code target} lots touches, in rank order: the shortest
   * prefix of the ranking whose sizes reach the target (all when none does); null when there is no
   * candidate or the target is a quarter or more of the side's whole size (as {@link
   * AllocationPolicy#leaders} on the live rows).
   */
  public int[] leaders(long target) {
    if (heapSize == 0 || target >= totalSize / 4) {
      return null;
    }
    int n = heapSize;
    int[] out = new int[Math.min(n, 16)];
    int k = 0;
    long covered = 0;
    while (heapSize > 0 && covered < target) {
      int slot = heap[0];
      removeTop();
      if (k == out.length) {
        out = Arrays.copyOf(out, Math.min(n, 2 * k));
      }
      out[k++] = slot;
      covered = Math.addExact(covered, rows.size(slot));
    }
    // A read: the prefix goes back in.
    for (int i = 0; i < k; i++) {
      heap[heapSize] = out[i];
      at[out[i]] = heapSize;
      siftUp(heapSize++);
    }
    return Arrays.copyOf(out, k);
  }

  /** The book of the live candidates at {@code slots}, in that order. */
  public CandidateBook book(int[] slots) {
    for (int slot : slots) {
      requireLive(slot);
    }
    return rows.subset(slots);
  }

  /** Id of a slot's candidate. */
  public long id(int slot) {
    return rows.id(slot);
  }

  private void requireLive(int slot) {
    if (slot < 0 || slot >= rows.count() || !live[slot]) {
      throw new IllegalArgumentException("slot " + slot + " is not a live candidate");
    }
  }

  private void removeTop() {
    int top = heap[0];
    at[top] = -1;
    int last = heap[--heapSize];
    if (heapSize > 0) {
      heap[0] = last;
      at[last] = 0;
      siftDown(0);
    }
  }

  private boolean before(int a, int b) {
    return policy.compare(rows, a, scores[a], b, scores[b]) < 0;
  }

  private void siftUp(int from) {
    int k = from;
    int slot = heap[k];
    while (k > 0) {
      int parent = (k - 1) >>> 1;
      if (!before(slot, heap[parent])) {
        break;
      }
      heap[k] = heap[parent];
      at[heap[k]] = k;
      k = parent;
    }
    heap[k] = slot;
    at[slot] = k;
  }

  private void siftDown(int from) {
    int k = from;
    int slot = heap[k];
    while (true) {
      int child = 2 * k + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
        child++;
      }
      if (!before(heap[child], slot)) {
        break;
      }
      heap[k] = heap[child];
      at[heap[k]] = k;
      k = child;
    }
    heap[k] = slot;
    at[slot] = k;
  }
}
