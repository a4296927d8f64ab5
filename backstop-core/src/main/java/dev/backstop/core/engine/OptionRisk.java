package dev.backstop.core.engine;

import dev.backstop.core.num.Fixed;
import dev.backstop.core.option.OptionPricing;
import dev.backstop.core.option.ScenarioGrid;
import java.math.RoundingMode;
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
    long[] marks = new long[group.size()];
    for (int i = 0; i < group.size(); i++) {
      marks[i] = options.mark(options.option(group.getInt(i)), now);
    }
    long worst = 0;
    for (long move : grid.moves()) {
      long moved =
          Math.max(
              1,
              Fixed.mulDiv(
                  u.mark,
                  Fixed.RATE_ONE + move,
                  Fixed.RATE_ONE,
                  move < 0 ? RoundingMode.FLOOR : RoundingMode.CEILING));
      long perpChange = Risk.value(u, perp, Math.subtractExact(moved, u.mark));
      for (long factor : grid.volFactors()) {
        long change = perpChange;
        for (int i = 0; i < group.size(); i++) {
          OptionLedger.Option o = options.option(group.getInt(i));
          long size = options.size(marginAccount, o.id);
          long vol =
              Math.max(1, Fixed.mulDiv(o.volatility, factor, Fixed.RATE_ONE, RoundingMode.FLOOR));
          long premium =
              OptionPricing.premium(
                  o.kind,
                  moved,
                  o.strike,
                  o.expiry - now,
                  vol,
                  size > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING);
          change =
              Math.addExact(change, Risk.value(u, size, Math.subtractExact(premium, marks[i])));
        }
        worst = Math.min(worst, change);
      }
    }
    return -worst;
  }
}
