package dev.backstop.core.engine;

import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;

/**
 * Margin accounts holding one side of a market, ordered by the mark price at which they become
 * liquidatable, so that a price tick visits only the margin accounts it crosses.
 *
 * <p>For longs the key is the highest tick at which the margin account is below maintenance margin
 * (crossed when {@code mark <= key}); for shorts, the lowest ({@code mark >= key}). Keys are exact:
 * they are found with the same predicate the engine uses to liquidate. Ties are ordered by margin
 * account id, so iteration is deterministic.
 */
final class TriggerIndex {

  private record Entry(long price, int marginAccount) {}

  /** Shorts: lowest trigger first. Longs: highest first. Ties by ascending margin account id. */
  private static final Comparator<Entry> SHORTS =
      Comparator.comparingLong(Entry::price).thenComparingInt(Entry::marginAccount);

  private static final Comparator<Entry> LONGS =
      Comparator.comparingLong(Entry::price).reversed().thenComparingInt(Entry::marginAccount);

  private final TreeSet<Entry> entries;
  private final Int2ObjectHashMap<Entry> byMarginAccount = new Int2ObjectHashMap<>();

  TriggerIndex(boolean longSide) {
    this.entries = new TreeSet<>(longSide ? LONGS : SHORTS);
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

  /** The most endangered margin account, or {@link Ledger#NONE} when the index is empty. */
  int first() {
    return entries.isEmpty() ? Ledger.NONE : entries.first().marginAccount;
  }

  /** Visits every entry in order. */
  void forEach(EntryVisitor visitor) {
    for (Entry e : entries) {
      visitor.visit(e.marginAccount, e.price);
    }
  }

  /** A visitor of (margin account, trigger) pairs. */
  interface EntryVisitor {
    void visit(int marginAccount, long price);
  }

  /**
   * Adds the margin accounts crossed by a mark, most endangered first: longs from the highest
   * trigger down, shorts from the lowest up, ties by ascending margin account id.
   */
  void crossed(long mark, IntArrayList out) {
    // In either order the crossed entries are a prefix: up to (mark, last id).
    Iterator<Entry> it = entries.headSet(new Entry(mark, Integer.MAX_VALUE), true).iterator();
    while (it.hasNext()) {
      out.addInt(it.next().marginAccount);
    }
  }
}
