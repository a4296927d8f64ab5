package dev.backstop.core.engine;

import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;
import org.agrona.collections.Int2ObjectHashMap;

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
 */
final class TriggerIndex {

  private record Entry(long price, int marginAccount) {}

  /** Shorts: lowest trigger first. Longs: highest first. Ties by ascending margin account id. */
  private static final Comparator<Entry> SHORTS =
      Comparator.comparingLong(Entry::price).thenComparingInt(Entry::marginAccount);

  private static final Comparator<Entry> LONGS =
      Comparator.comparingLong(Entry::price).reversed().thenComparingInt(Entry::marginAccount);

  private final boolean longSide;
  private final TreeSet<Entry> entries;
  private final Int2ObjectHashMap<Entry> byMarginAccount = new Int2ObjectHashMap<>();

  TriggerIndex(boolean longSide) {
    this.longSide = longSide;
    this.entries = new TreeSet<>(longSide ? LONGS : SHORTS);
  }

  /** Whether this is the long side's index (highest trigger first). */
  boolean longSide() {
    return longSide;
  }

  /** Sets a margin account's trigger price (ticks). */
  void put(int marginAccount, long price) {
    Entry old = byMarginAccount.get(marginAccount);
    if (old != null) {
      if (old.price == price) {
        return;
      }
      entries.remove(old);
    }
    Entry e = new Entry(price, marginAccount);
    entries.add(e);
    byMarginAccount.put(marginAccount, e);
  }

  /** Removes a margin account (no position on this side, or never liquidatable). */
  void remove(int marginAccount) {
    Entry old = byMarginAccount.remove(marginAccount);
    if (old != null) {
      entries.remove(old);
    }
  }

  /** The trigger price of a margin account, or {@code Long.MIN_VALUE} when not indexed. */
  long get(int marginAccount) {
    Entry e = byMarginAccount.get(marginAccount);
    return e == null ? Long.MIN_VALUE : e.price;
  }

  /** Visits entries in order, most endangered first, while the visitor returns true. */
  void forEach(EntryVisitor visitor) {
    for (Entry e : entries) {
      if (!visitor.visit(e.marginAccount, e.price)) {
        return;
      }
    }
  }

  /** A visitor of (margin account, trigger) pairs; returns whether to go on. */
  interface EntryVisitor {
    boolean visit(int marginAccount, long price);
  }

  /**
   * Visits the entries crossed by a mark, most endangered first: longs from the highest trigger
   * down, shorts from the lowest up, ties by ascending margin account id.
   */
  void crossed(long mark, EntryVisitor visitor) {
    // In either order the crossed entries are a prefix: up to (mark, last id).
    Iterator<Entry> it = entries.headSet(new Entry(mark, Integer.MAX_VALUE), true).iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (!visitor.visit(e.marginAccount, e.price)) {
        return;
      }
    }
  }

  /**
   * The entry with the most endangered exact trigger (ties by id), or {@link Ledger#NONE}. {@code
   * exact} gives an entry's exact trigger from its key ({@code Long.MIN_VALUE} for none): the key
   * itself for an exact entry, never more endangered than a conservative key, so the walk stops at
   * the first key behind the best exact trigger found.
   */
  int mostEndangered(ExactTrigger exact) {
    int best = Ledger.NONE;
    long bestTrigger = 0;
    for (Entry e : entries) {
      if (best != Ledger.NONE
          && e.price != bestTrigger
          && !before(longSide, e.price, e.marginAccount, bestTrigger, best)) {
        break;
      }
      long trigger = exact.of(e.marginAccount, e.price);
      if (trigger != Long.MIN_VALUE
          && (best == Ledger.NONE
              || before(longSide, trigger, e.marginAccount, bestTrigger, best))) {
        best = e.marginAccount;
        bestTrigger = trigger;
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
}
