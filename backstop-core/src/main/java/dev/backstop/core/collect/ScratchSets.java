package dev.backstop.core.collect;

import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntHashSet;

/**
 * Clears the primitive sets and maps that hold one command's working state. Agrona's {@code
 * clear()} fills the whole backing array, and the array never shrinks: after a crash's cascade has
 * put a million accounts in one, every later command would pay for a million slots (measured: 0.4
 * ms an add and clear once a set has held a million entries, against 20 ns for a small one). These
 * clear and then give the memory back once it is far larger than the command used, so a command
 * costs what it used: the one large clear is paid for by the cascade that grew it.
 */
public final class ScratchSets {

  /** The capacity up to which a cleared set keeps its array. */
  static final int KEEP = 1 << 12;

  /**
   * Whether a set of {@code capacity} slots that held {@code used} entries is compacted when
   * cleared: above {@link #KEEP}, and eight times what this command used, so that commands of a
   * steady large size (a crash's ticks, each crossing thousands of accounts) keep their array and
   * the first small command after a large one gives it back.
   */
  static boolean oversized(int capacity, int used) {
    return capacity > KEEP && capacity > 8L * used;
  }

  private ScratchSets() {}

  /** Empties {@code set}, compacting it when it is {@link #oversized}. */
  public static void clear(IntHashSet set) {
    int used = set.size();
    if (used == 0) {
      return;
    }
    set.clear();
    if (oversized(set.capacity(), used)) {
      set.compact();
    }
  }

  /** Empties {@code map}, compacting it when it is {@link #oversized}. */
  public static void clear(Int2IntHashMap map) {
    int used = map.size();
    if (used == 0) {
      return;
    }
    map.clear();
    if (oversized(map.capacity(), used)) {
      map.compact();
    }
  }
}
