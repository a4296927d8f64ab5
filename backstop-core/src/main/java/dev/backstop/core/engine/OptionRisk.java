package dev.backstop.core.engine;

import dev.backstop.core.num.Fixed;
import dev.backstop.core.option.OptionPricing;
import dev.backstop.core.option.ScenarioGrid;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.collections.IntArrayList;

/**
 * The value and the scenario margin of a margin account's options.
 *
 * <p>A margin account holding options is margined as a portfolio per underlying: its options on a
 * perpetual market and its position in that market (if any) form a group, and the group's margin is
 * its worst loss over a {@link ScenarioGrid} (maintenance: {@link ScenarioGrid#MAINTENANCE},
 * initial: {@link ScenarioGrid#INITIAL}). In each scenario the underlying's mark moves (rounded
 * away from the mark, at least one tick) and the volatility of every option is scaled; the loss is
 * the group's value now less its value in the scenario, options valued by Black-76 rounded against
 * the holder (a long down, a short up), the perpetual at the moved mark. Its other perpetual
 * positions keep their risk tiers' margin. So a short call hedged by a long perpetual needs less
 * margin than either alone.
 */
final class OptionRisk {

  private final Ledger ledger;
  private final OptionLedger options;
  private final Risk risk;

  /** Per option and grid, its latest scenario premiums ({@link #scenarios}). */
  private final HashMap<Long, Scenarios> cache = new HashMap<>();

  OptionRisk(Ledger ledger, OptionLedger options, Risk risk) {
    this.ledger = ledger;
    this.options = options;
    this.risk = risk;
  }

  private long now() {
    return ledger.global(Ledger.G_TIME);
  }

  /** The unrealized PnL of a margin account's options at their mark premiums. */
  long unrealized(int marginAccount) {
    long total = 0;
    for (Map.Entry<Integer, long[]> e : options.positionsOf(marginAccount).entrySet()) {
      total = Math.addExact(total, unrealized(options.option(e.getKey()), e.getValue()));
    }
    return total;
  }

  /** The unrealized PnL of one option position {size, cost} at the option's mark premium. */
  long unrealized(OptionLedger.Option o, long[] position) {
    MarketState u = ledger.market(o.underlying);
    return Math.subtractExact(Risk.value(u, position[0], options.mark(o, now())), position[1]);
  }

  /**
   * The margin of a margin account holding options: per underlying, the worst scenario loss of its
   * options with its perpetual position there; its other perpetuals by their risk tiers.
   */
  long margin(int marginAccount, ScenarioGrid grid) {
    TreeMap<Integer, IntArrayList> groups = new TreeMap<>();
    for (int option : options.positionsOf(marginAccount).keySet()) {
      groups
          .computeIfAbsent(options.option(option).underlying, k -> new IntArrayList())
          .add(option);
    }
    long total = 0;
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      int p = ps.getInt(i);
      if (!groups.containsKey(ledger.posMarket(p))) {
        total =
            Math.addExact(
                total, grid == ScenarioGrid.INITIAL ? risk.initial(p) : risk.maintenance(p));
      }
    }
    for (Map.Entry<Integer, IntArrayList> g : groups.entrySet()) {
      total = Math.addExact(total, worstLoss(marginAccount, g.getKey(), g.getValue(), grid));
    }
    return total;
  }

  /** The worst loss (0 or more) of one underlying's group over the grid. */
  private long worstLoss(int marginAccount, int underlying, IntArrayList group, ScenarioGrid grid) {
    MarketState u = ledger.market(underlying);
    if (u.mark == 0) {
      return 0;
    }
    long perp = 0;
    int p = ledger.positionId(marginAccount, underlying);
    if (p != Ledger.NONE) {
      perp = ledger.posSize(p);
    }
    long now = now();
    int n = group.size();
    OptionLedger.Option[] held = new OptionLedger.Option[n];
    Scenarios[] premiums = new Scenarios[n];
    long[] marks = new long[n];
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      OptionLedger.Option o = options.option(group.getInt(i));
      held[i] = o;
      premiums[i] = scenarios(o, u, grid, now);
      marks[i] = options.mark(o, now);
      sizes[i] = options.size(marginAccount, o.id);
    }
    long[] moved = premiums[0].moved;
    int factors = grid.volFactors().length;
    long worst = 0;
    for (int m = 0; m < moved.length; m++) {
      long perpChange = Risk.value(u, perp, Math.subtractExact(moved[m], u.mark));
      for (int f = 0; f < factors; f++) {
        long change = perpChange;
        for (int i = 0; i < n; i++) {
          long premium =
              OptionPricing.ticks(
                  held[i].kind,
                  premiums[i].raw[m * factors + f],
                  moved[m],
                  held[i].strike,
                  sizes[i] > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING);
          change =
              Math.addExact(change, Risk.value(u, sizes[i], Math.subtractExact(premium, marks[i])));
        }
        worst = Math.min(worst, change);
      }
    }
    return -worst;
  }

  /**
   * One option's unrounded premiums over a grid at the underlying's mark, the option's volatility
   * and the engine's time: the scenario marks (rounded away from the mark, at least one tick) and,
   * per mark, a premium per volatility factor. Every holder of the option shares them within a
   * state, so they are kept per option and grid and recomputed only when one of the three inputs
   * has changed: derived values, never part of the state (a stale entry is only unused).
   */
  private Scenarios scenarios(OptionLedger.Option o, MarketState u, ScenarioGrid grid, long now) {
    long key = 2L * o.id + (grid == ScenarioGrid.INITIAL ? 1 : 0);
    Scenarios cached = cache.get(key);
    if (cached != null
        && cached.mark == u.mark
        && cached.volatility == o.volatility
        && cached.now == now) {
      return cached;
    }
    long[] moves = grid.moves();
    long[] factors = grid.volFactors();
    long[] moved = new long[moves.length];
    double[] raw = new double[moves.length * factors.length];
    for (int m = 0; m < moves.length; m++) {
      long move = moves[m];
      moved[m] =
          Math.max(
              1,
              Fixed.mulDiv(
                  u.mark,
                  Fixed.RATE_ONE + move,
                  Fixed.RATE_ONE,
                  move < 0 ? RoundingMode.FLOOR : RoundingMode.CEILING));
      for (int f = 0; f < factors.length; f++) {
        long vol =
            Math.max(1, Fixed.mulDiv(o.volatility, factors[f], Fixed.RATE_ONE, RoundingMode.FLOOR));
        raw[m * factors.length + f] =
            OptionPricing.price(o.kind, moved[m], o.strike, o.expiry - now, vol);
      }
    }
    Scenarios s = new Scenarios(u.mark, o.volatility, now, moved, raw);
    cache.put(key, s);
    return s;
  }

  /** An option's scenario premiums at one (mark, volatility, time). */
  private record Scenarios(long mark, long volatility, long now, long[] moved, double[] raw) {}
}
