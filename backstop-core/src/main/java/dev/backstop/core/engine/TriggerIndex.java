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
 * cost about 64 bytes and two object headers per entry, and a comparator chain per comparison).
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
      delete(old, marginAccount);
    }
    insert(price, marginAccount);
    keyOf.put(marginAccount, price);
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
      if (before(longSide, key, id, keys[mid][0], ids[mid][0])) {
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
      if (!before(longSide, key, id, keys[b + 1][0], ids[b + 1][0])) {
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
    }
  }

  /** Inserts an empty block at index {@code b}. */
  private void addBlock(int b) {
    if (blocks == keys.length) {
      int grown = Math.multiplyExact(blocks, 2);
      keys = Arrays.copyOf(keys, grown);
      ids = Arrays.copyOf(ids, grown);
      sizes = Arrays.copyOf(sizes, grown);
    }
    System.arraycopy(keys, b, keys, b + 1, blocks - b);
    System.arraycopy(ids, b, ids, b + 1, blocks - b);
    System.arraycopy(sizes, b, sizes, b + 1, blocks - b);
    keys[b] = new long[BLOCK];
    ids[b] = new int[BLOCK];
    sizes[b] = 0;
    blocks++;
  }

  private void removeBlock(int b) {
    System.arraycopy(keys, b + 1, keys, b, blocks - b - 1);
    System.arraycopy(ids, b + 1, ids, b, blocks - b - 1);
    System.arraycopy(sizes, b + 1, sizes, b, blocks - b - 1);
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
  }
}
