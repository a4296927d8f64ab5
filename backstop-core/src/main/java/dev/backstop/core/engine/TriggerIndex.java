package dev.backstop.core.engine;

import java.util.Arrays;
import org.agrona.collections.Long2LongHashMap;

/**
 * Margin accounts holding one side of a market, ordered by the mark price at which they become
 * liquidatable, so that a price tick visits only the margin accounts it crosses.
 *
 * <p>For longs the key is the highest tick at which the margin account is below maintenance margin
 * (crossed when {@code mark <= key}); for shorts, the lowest ({@code mark >= key}). Keys are exact:
 * they are found with the same predicate the engine uses to liquidate. A margin account holding
 * other markets too is keyed by its conservative trigger ({@link Risk#conservativeTrigger}),
 * crossed no later than the exact one; the engine checks such entries exactly when they are
 * crossed. Ties are ordered by margin account id, so iteration is deterministic.
 *
 * <p>Laid out as primitive arrays: the entries, most endangered first, in blocks of at most {@value
 * #BLOCK} (a key and an id each, 12 bytes), found by a binary search over the blocks' first keys,
 * and a primitive map from margin account to key. An insertion or removal moves at most a block's
 * entries and the block list's heads; no object is made per entry (a {@code TreeSet} of records
 * cost about 64 bytes and two object headers per entry, and a comparator chain per comparison). A
 * key that moves within its block (a deposit's or a small trade's re-key, the entry not its block's
 * first) shifts only the entries between its two places.
 */
final class TriggerIndex {

  /** Entries per block at most; a full block splits in two. */
  static final int BLOCK = 128;

  private static final long NONE = Long.MIN_VALUE;

  private final boolean longSide;
  private final Long2LongHashMap keyOf = new Long2LongHashMap(NONE);

  private long[][] keys = new long[4][];
  private int[][] ids = new int[4][];
  private int[] sizes = new int[4];
  private int blocks;

  /**
   * Each block's first entry, side by side, so that finding a block reads one array (a binary
   * search over {@code keys[b][0]} read one block array a step, each a cache miss).
   */
  private long[] headKey = new long[4];

  private int[] headId = new int[4];

  TriggerIndex(boolean longSide) {
    this.longSide = longSide;
  }

  /** Whether this is the long side's index (highest trigger first). */
  boolean longSide() {
    return longSide;
  }

  /** Number of margin accounts indexed. */
  int size() {
    return keyOf.size();
  }

  /** Sets a margin account's trigger price (ticks). */
  void put(int marginAccount, long price) {
    if (price == NONE) {
      throw new IllegalArgumentException("no trigger is Long.MIN_VALUE (it means: not indexed)");
    }
    long old = keyOf.get(marginAccount);
    if (old != NONE) {
      if (old == price) {
        return;
      }
      if (!moveInBlock(old, price, marginAccount)) {
        delete(old, marginAccount);
        insert(price, marginAccount);
      }
    } else {
      insert(price, marginAccount);
    }
    keyOf.put(marginAccount, price);
  }

  /**
   * Moves an entry to its new key within its block when it stays in that block and is not the
   * block's first (a deposit or a small trade moves a trigger a little): the entries between its
   * old and new places shift by one, and no block is searched twice. False, changing nothing, when
   * it does not apply.
   */
  private boolean moveInBlock(long old, long price, int id) {
    int b = blockOf(old, id);
    int at = positionIn(b, old, id);
    long[] k = keys[b];
    int[] c = ids[b];
    int n = sizes[b];
    if (at >= n || k[at] != old || c[at] != id) {
      throw new IllegalStateException("trigger index lost margin account " + id);
    }
    if (at == 0
        || before(longSide, price, id, headKey[b], headId[b])
        || (b + 1 < blocks && !before(longSide, price, id, headKey[b + 1], headId[b + 1]))) {
      return false;
    }
    int to = positionIn(b, price, id);
    if (to > at) {
      // after removing the entry, its place is to - 1
      to--;
      System.arraycopy(k, at + 1, k, at, to - at);
      System.arraycopy(c, at + 1, c, at, to - at);
    } else if (to < at) {
      System.arraycopy(k, to, k, to + 1, at - to);
      System.arraycopy(c, to, c, to + 1, at - to);
    }
    k[to] = price;
    c[to] = id;
    return true;
  }

  /** Removes a margin account (no position on this side, or never liquidatable). */
  void remove(int marginAccount) {
    long old = keyOf.remove(marginAccount);
    if (old != NONE) {
      delete(old, marginAccount);
    }
  }

  /** The trigger price of a margin account, or {@code Long.MIN_VALUE} when not indexed. */
  long get(int marginAccount) {
    return keyOf.get(marginAccount);
  }

  /** Visits entries in order, most endangered first, while the visitor returns true. */
  void forEach(EntryVisitor visitor) {
    for (int b = 0; b < blocks; b++) {
      long[] k = keys[b];
      int[] id = ids[b];
      for (int i = 0, n = sizes[b]; i < n; i++) {
        if (!visitor.visit(id[i], k[i])) {
          return;
        }
      }
    }
  }

  /** A visitor of (margin account, trigger) pairs; returns whether to go on. */
  interface EntryVisitor {
    boolean visit(int marginAccount, long price);
  }

  /**
   * Visits the entries crossed by a mark, most endangered first: longs from the highest trigger
   * down, shorts from the lowest up, ties by ascending margin account id. The visitor must not
   * change the index.
   */
  void crossed(long mark, EntryVisitor visitor) {
    for (int b = 0; b < blocks; b++) {
      long[] k = keys[b];
      int[] id = ids[b];
      for (int i = 0, n = sizes[b]; i < n; i++) {
        if ((longSide ? k[i] < mark : k[i] > mark) || !visitor.visit(id[i], k[i])) {
          return;
        }
      }
    }
  }

  /**
   * The entry with the most endangered exact trigger (ties by id), or {@link Ledger#NONE}. {@code
   * exact} gives an entry's exact trigger from its key ({@code Long.MIN_VALUE} for none): the key
   * itself for an exact entry, never more endangered than a conservative key, each key moved by
   * {@code offset} (what funding moved the keys since they were stored, {@link Risk#reachOffset}),
   * so the walk stops at the first moved key behind the best exact trigger found.
   */
  int mostEndangered(long offset, ExactTrigger exact) {
    int best = Ledger.NONE;
    long bestTrigger = 0;
    for (int b = 0; b < blocks; b++) {
      long[] k = keys[b];
      int[] id = ids[b];
      for (int i = 0, n = sizes[b]; i < n; i++) {
        long key = Risk.saturatingAdd(k[i], offset);
        int c = id[i];
        if (best != Ledger.NONE
            && key != bestTrigger
            && !before(longSide, key, c, bestTrigger, best)) {
          return best;
        }
        long trigger = exact.of(c, key);
        if (trigger != Long.MIN_VALUE
            && (best == Ledger.NONE || before(longSide, trigger, c, bestTrigger, best))) {
          best = c;
          bestTrigger = trigger;
        }
      }
    }
    return best;
  }

  /** An entry's exact trigger from its key. */
  interface ExactTrigger {
    long of(int marginAccount, long key);
  }

  /** Whether a long's (or a short's) trigger {@code a} is more endangered than {@code b}. */
  static boolean before(boolean longSide, long a, int idA, long b, int idB) {
    if (a != b) {
      return longSide ? a > b : a < b;
    }
    return idA < idB;
  }

  // ---------------------------------------------------------------- blocks

  /** The block an entry belongs in: the last whose first entry is not after it (0 if none). */
  private int blockOf(long key, int id) {
    int lo = 0;
    int hi = blocks - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (before(longSide, key, id, headKey[mid], headId[mid])) {
        hi = mid - 1;
      } else {
        lo = mid;
      }
    }
    return lo;
  }

  /** The first position in block {@code b} not before the entry. */
  private int positionIn(int b, long key, int id) {
    long[] k = keys[b];
    int[] c = ids[b];
    int lo = 0;
    int hi = sizes[b];
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (before(longSide, k[mid], c[mid], key, id)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void insert(long key, int id) {
    if (blocks == 0) {
      addBlock(0);
    }
    int b = blockOf(key, id);
    if (sizes[b] == BLOCK) {
      split(b);
      if (!before(longSide, key, id, headKey[b + 1], headId[b + 1])) {
        b++;
      }
    }
    int at = positionIn(b, key, id);
    int n = sizes[b];
    System.arraycopy(keys[b], at, keys[b], at + 1, n - at);
    System.arraycopy(ids[b], at, ids[b], at + 1, n - at);
    keys[b][at] = key;
    ids[b][at] = id;
    sizes[b] = n + 1;
    if (at == 0) {
      setHead(b);
    }
  }

  private void setHead(int b) {
    headKey[b] = keys[b][0];
    headId[b] = ids[b][0];
  }

  private void delete(long key, int id) {
    int b = blockOf(key, id);
    int at = positionIn(b, key, id);
    if (at >= sizes[b] || keys[b][at] != key || ids[b][at] != id) {
      throw new IllegalStateException("trigger index lost margin account " + id);
    }
    int n = sizes[b] - 1;
    System.arraycopy(keys[b], at + 1, keys[b], at, n - at);
    System.arraycopy(ids[b], at + 1, ids[b], at, n - at);
    sizes[b] = n;
    if (n == 0) {
      removeBlock(b);
    } else if (at == 0) {
      setHead(b);
    }
  }

  /** Inserts an empty block at index {@code b}. */
  private void addBlock(int b) {
    if (blocks == keys.length) {
      int grown = Math.multiplyExact(blocks, 2);
      keys = Arrays.copyOf(keys, grown);
      ids = Arrays.copyOf(ids, grown);
      sizes = Arrays.copyOf(sizes, grown);
      headKey = Arrays.copyOf(headKey, grown);
      headId = Arrays.copyOf(headId, grown);
    }
    System.arraycopy(keys, b, keys, b + 1, blocks - b);
    System.arraycopy(ids, b, ids, b + 1, blocks - b);
    System.arraycopy(sizes, b, sizes, b + 1, blocks - b);
    System.arraycopy(headKey, b, headKey, b + 1, blocks - b);
    System.arraycopy(headId, b, headId, b + 1, blocks - b);
    keys[b] = new long[BLOCK];
    ids[b] = new int[BLOCK];
    sizes[b] = 0;
    blocks++;
  }

  private void removeBlock(int b) {
    System.arraycopy(keys, b + 1, keys, b, blocks - b - 1);
    System.arraycopy(ids, b + 1, ids, b, blocks - b - 1);
    System.arraycopy(sizes, b + 1, sizes, b, blocks - b - 1);
    System.arraycopy(headKey, b + 1, headKey, b, blocks - b - 1);
    System.arraycopy(headId, b + 1, headId, b, blocks - b - 1);
    blocks--;
    keys[blocks] = null;
    ids[blocks] = null;
  }

  /** Splits full block {@code b} into two halves, the second at {@code b + 1}. */
  private void split(int b) {
    addBlock(b + 1);
    int half = BLOCK / 2;
    System.arraycopy(keys[b], half, keys[b + 1], 0, BLOCK - half);
    System.arraycopy(ids[b], half, ids[b + 1], 0, BLOCK - half);
    sizes[b + 1] = BLOCK - half;
    sizes[b] = half;
    setHead(b + 1);
  }
}
