package dev.backstop.core.engine;

import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;

/**
 * Containers holding one side of a market, ordered by the mark price at which they become
 * liquidatable, so that a price tick visits only the containers it crosses.
 *
 * <p>For longs the key is the highest tick at which the container is below maintenance margin
 * (crossed when {@code mark <= key}); for shorts, the lowest ({@code mark >= key}). Keys are exact:
 * they are found with the same predicate the engine uses to liquidate. Ties are ordered by
 * container id, so iteration is deterministic.
 */
final class TriggerIndex {

  private record Entry(long price, int container) {}

  /** Shorts: lowest trigger first. Longs: highest first. Ties by ascending container id. */
  private static final Comparator<Entry> SHORTS =
      Comparator.comparingLong(Entry::price).thenComparingInt(Entry::container);

  private static final Comparator<Entry> LONGS =
      Comparator.comparingLong(Entry::price).reversed().thenComparingInt(Entry::container);

  private final TreeSet<Entry> entries;
  private final Int2ObjectHashMap<Entry> byContainer = new Int2ObjectHashMap<>();

  TriggerIndex(boolean longSide) {
    this.entries = new TreeSet<>(longSide ? LONGS : SHORTS);
  }

  /** Sets a container's trigger price (ticks). */
  void put(int container, long price) {
    Entry old = byContainer.get(container);
    if (old != null) {
      if (old.price == price) {
        return;
      }
      entries.remove(old);
    }
    Entry e = new Entry(price, container);
    entries.add(e);
    byContainer.put(container, e);
  }

  /** Removes a container (no position on this side, or never liquidatable). */
  void remove(int container) {
    Entry old = byContainer.remove(container);
    if (old != null) {
      entries.remove(old);
    }
  }

  /** The trigger price of a container, or {@code Long.MIN_VALUE} when not indexed. */
  long get(int container) {
    Entry e = byContainer.get(container);
    return e == null ? Long.MIN_VALUE : e.price;
  }

  /** The most endangered container, or {@link Ledger#NONE} when the index is empty. */
  int first() {
    return entries.isEmpty() ? Ledger.NONE : entries.first().container;
  }

  /** Visits every entry in order. */
  void forEach(EntryVisitor visitor) {
    for (Entry e : entries) {
      visitor.visit(e.container, e.price);
    }
  }

  /** A visitor of (container, trigger) pairs. */
  interface EntryVisitor {
    void visit(int container, long price);
  }

  /**
   * Adds the containers crossed by a mark, most endangered first: longs from the highest trigger
   * down, shorts from the lowest up, ties by ascending container id.
   */
  void crossed(long mark, IntArrayList out) {
    // In either order the crossed entries are a prefix: up to (mark, last id).
    Iterator<Entry> it = entries.headSet(new Entry(mark, Integer.MAX_VALUE), true).iterator();
    while (it.hasNext()) {
      out.addInt(it.next().container);
    }
  }
}
