package dev.backstop.core.engine;

import dev.backstop.core.command.MarginRef;
import dev.backstop.core.option.OptionKind;
import dev.backstop.core.option.OptionPricing;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.collections.Object2IntHashMap;

/**
 * The option markets and the option positions of settlement-pool sides, with their own undo log,
 * run in step with the {@link Ledger}'s: {@link #begin()} with every command, {@link #rollback()}
 * with a rejected one. Positions are kept by margin account, then option id, so every walk over
 * them is canonical. Every position change marks its margin account dirty in the ledger, so the
 * engine checks its margin.
 *
 * <p>A position is (size in the underlying's lots, cost in money), valued at the option's mark
 * premium like a perpetual at its mark: a fill moves value between its two sides only.
 */
final class OptionLedger {

  /** One listed option: a European call or put on a perpetual market, cash-settled at expiry. */
  static final class Option {
    final int id;
    final String name;
    final int underlying;
    final OptionKind kind;
    final long strike;
    final long expiry;
    long volatility;
    boolean settled;
    long settlementPrice;

    /** The mark premium last computed and what it was computed at: derived, not state. */
    private long markTicks = -1;

    private long markAt;
    private long volAt;
    private long timeAt;

    Option(int id, String name, int underlying, OptionKind kind, long strike, long expiry) {
      this.id = id;
      this.name = name;
      this.underlying = underlying;
      this.kind = kind;
      this.strike = strike;
      this.expiry = expiry;
    }
  }

  /**
   * The fewest bytes of an option section: the option count, one option (a name and a kind of at
   * least one byte, each with its length; underlying, strike, expiry, volatility, settled,
   * settlement) and the holder count.
   */
  private static final int SMALLEST_SECTION = 4 + (5 + 4 + 5 + 8 + 8 + 8 + 1 + 8) + 4;

  private final Ledger ledger;
  private final List<Option> options = new ArrayList<>();
  private final Object2IntHashMap<String> ids = new Object2IntHashMap<>(Ledger.NONE);

  /** Margin account -> option id -> {size, cost}. */
  private final TreeMap<Integer, TreeMap<Integer, long[]>> positions = new TreeMap<>();

  private final Deque<Runnable> undo = new ArrayDeque<>();

  OptionLedger(Ledger ledger) {
    this.ledger = ledger;
  }

  void begin() {
    undo.clear();
  }

  void rollback() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }

  boolean isEmpty() {
    return options.isEmpty();
  }

  // ---------------------------------------------------------------- options

  int id(String name) {
    return ids.getValue(name);
  }

  Option option(int id) {
    return options.get(id);
  }

  int count() {
    return options.size();
  }

  Option create(String name, int underlying, OptionKind kind, long strike, long expiry, long vol) {
    Option o = new Option(options.size(), name, underlying, kind, strike, expiry);
    o.volatility = vol;
    options.add(o);
    ids.put(name, o.id);
    undo.push(
        () -> {
          options.remove(options.size() - 1);
          ids.removeKey(name);
        });
    return o;
  }

  void setVolatility(Option o, long volatility) {
    long before = o.volatility;
    o.volatility = volatility;
    undo.push(() -> o.volatility = before);
    holders(o.id).forEach(ledger::markDirty);
  }

  void settle(Option o, long price) {
    o.settled = true;
    o.settlementPrice = price;
    undo.push(
        () -> {
          o.settled = false;
          o.settlementPrice = 0;
        });
  }

  /**
   * The option's mark premium per unit, ticks: Black-76 at its volatility on the underlying's mark,
   * rounded up (a short's liability is never understated); 0 before the underlying has a mark.
   */
  long mark(Option o, long now) {
    MarketState u = ledger.market(o.underlying);
    if (u.mark == 0) {
      return 0;
    }
    if (o.markTicks < 0 || o.markAt != u.mark || o.volAt != o.volatility || o.timeAt != now) {
      o.markTicks =
          OptionPricing.premium(
              o.kind,
              u.mark,
              o.strike,
              o.expiry - now,
              o.volatility,
              java.math.RoundingMode.CEILING);
      o.markAt = u.mark;
      o.volAt = o.volatility;
      o.timeAt = now;
    }
    return o.markTicks;
  }

  // ---------------------------------------------------------------- positions

  /** Whether the margin account holds any option position. */
  boolean holds(int marginAccount) {
    // Asked of every account on every margin check: without options, no boxed lookup
    return !positions.isEmpty() && positions.containsKey(marginAccount);
  }

  /** The margin account's option positions, option id -> {size, cost}; empty if none. */
  Map<Integer, long[]> positionsOf(int marginAccount) {
    TreeMap<Integer, long[]> own = positions.get(marginAccount);
    return own == null ? Map.of() : own;
  }

  /** Visits every margin account holding options, ascending, with its positions. */
  void forEachHolder(java.util.function.BiConsumer<Integer, Map<Integer, long[]>> visit) {
    positions.forEach(visit);
  }

  /** Every margin account holding options, ascending. */
  List<Integer> holders() {
    return List.copyOf(positions.keySet());
  }

  /** The margin accounts holding an option, ascending. */
  List<Integer> holders(int option) {
    List<Integer> out = new ArrayList<>();
    for (Map.Entry<Integer, TreeMap<Integer, long[]>> e : positions.entrySet()) {
      if (e.getValue().containsKey(option)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  long size(int marginAccount, int option) {
    long[] p = positionsOf(marginAccount).get(option);
    return p == null ? 0 : p[0];
  }

  long cost(int marginAccount, int option) {
    long[] p = positionsOf(marginAccount).get(option);
    return p == null ? 0 : p[1];
  }

  /** Sets a position (size 0 and cost 0 closes it), logging the old one. */
  void setPosition(int marginAccount, int option, long size, long cost) {
    long[] before = positionsOf(marginAccount).get(option);
    long[] old = before == null ? null : before.clone();
    write(marginAccount, option, size, cost);
    undo.push(
        () -> {
          if (old == null) {
            write(marginAccount, option, 0, 0);
          } else {
            write(marginAccount, option, old[0], old[1]);
          }
        });
    ledger.markDirty(marginAccount);
  }

  private void write(int marginAccount, int option, long size, long cost) {
    if (size == 0 && cost == 0) {
      TreeMap<Integer, long[]> own = positions.get(marginAccount);
      if (own != null) {
        own.remove(option);
        if (own.isEmpty()) {
          positions.remove(marginAccount);
        }
      }
      return;
    }
    positions
        .computeIfAbsent(marginAccount, k -> new TreeMap<>())
        .put(option, new long[] {size, cost});
  }

  // ---------------------------------------------------------------- snapshot

  /**
   * The option section of a snapshot, after the ledger's; written only when an option is listed, so
   * the snapshot of an engine without options is what it was before options existed.
   */
  void write(SnapshotWriter w) {
    if (options.isEmpty()) {
      return;
    }
    w.putInt(options.size());
    for (Option o : options) {
      w.putString(o.name).putInt(o.underlying).putEnum(o.kind).putLong(o.strike);
      w.putLong(o.expiry).putLong(o.volatility).putBoolean(o.settled).putLong(o.settlementPrice);
    }
    w.putInt(positions.size());
    for (Map.Entry<Integer, TreeMap<Integer, long[]>> e : positions.entrySet()) {
      w.putInt(e.getKey()).putInt(e.getValue().size());
      for (Map.Entry<Integer, long[]> p : e.getValue().entrySet()) {
        w.putInt(p.getKey()).putLong(p.getValue()[0]).putLong(p.getValue()[1]);
      }
    }
  }

  /**
   * Reads the option section, if the snapshot has one, checking it: names unique and no market's,
   * underlyings and holders in range, holders settlement-pool sides, no position in a settled
   * option, the two sides of each pool mirroring each other per option, values in range.
   */
  static OptionLedger read(SnapshotReader r, Ledger ledger) {
    OptionLedger l = new OptionLedger(ledger);
    if (r.remaining() < SMALLEST_SECTION) {
      return l; // no section: whatever is left is trailing bytes, which the engine refuses
    }
    int n = r.getCount("options", 46);
    if (n == 0) {
      throw new SnapshotException("an option section without options");
    }
    for (int i = 0; i < n; i++) {
      String name = r.getString("option name");
      int underlying = r.getIndex("option underlying", ledger.marketCount(), false);
      OptionKind kind = r.getEnum(OptionKind.class, "option kind");
      long strike = r.getLong("option strike");
      long expiry = r.getLong("option expiry");
      long vol = r.getLong("option volatility");
      boolean settled = r.getBoolean("option settled");
      long settlement = r.getLong("option settlement price");
      if (l.ids.containsKey(name) || ledger.marketId(name) != Ledger.NONE) {
        throw new SnapshotException("option " + name + " appears twice or is a market's name");
      }
      if (strike <= 0 || vol <= 0 || vol > OptionPricing.MAX_VOLATILITY || expiry < 0) {
        throw new SnapshotException("option " + name + ": a value out of range");
      }
      if (settled ? settlement <= 0 : settlement != 0) {
        throw new SnapshotException("option " + name + ": settlement price out of range");
      }
      Option o = new Option(i, name, underlying, kind, strike, expiry);
      o.volatility = vol;
      o.settled = settled;
      o.settlementPrice = settlement;
      l.options.add(o);
      l.ids.put(name, i);
    }
    long[] open = new long[n];
    java.util.HashMap<String, Long> perPool = new java.util.HashMap<>();
    int holders = r.getCount("option holders", 8);
    int previous = -1;
    for (int i = 0; i < holders; i++) {
      int c = r.getIndex("option holder", ledger.marginAccountCount(), false);
      if (c <= previous || ledger.marginRef(c).kind() != MarginRef.Kind.POOL) {
        throw new SnapshotException("option holder " + c + " out of order or not a pool side");
      }
      previous = c;
      int count = r.getCount("option positions", 20);
      if (count == 0) {
        throw new SnapshotException("option holder " + c + " without positions");
      }
      int previousOption = -1;
      for (int k = 0; k < count; k++) {
        int option = r.getIndex("option position", n, false);
        long size = r.getLong("option position size");
        long cost = r.getLong("option position cost");
        if (option <= previousOption || l.options.get(option).settled || size == 0) {
          throw new SnapshotException("option position of " + c + " out of order or empty");
        }
        previousOption = option;
        open[option] = Math.addExact(open[option], size);
        perPool.merge(ledger.marginRef(c).name() + " " + option, size, Math::addExact);
        l.write(c, option, size, cost);
      }
    }
    for (int i = 0; i < n; i++) {
      if (open[i] != 0) {
        throw new SnapshotException("option " + l.options.get(i).name + ": sizes do not add up");
      }
    }
    perPool.forEach(
        (where, sum) -> {
          if (sum != 0) {
            throw new SnapshotException("option positions of pool " + where + " do not mirror");
          }
        });
    return l;
  }
}
