package dev.backstop.core.engine;

import dev.backstop.core.market.RiskTier;
import dev.backstop.core.market.RiskTiers;
import dev.backstop.core.num.Fixed;
import dev.backstop.core.option.ScenarioGrid;
import java.math.RoundingMode;
import org.agrona.collections.IntArrayList;

/**
 * Margin arithmetic over the ledger: equity, maintenance and initial margin, and the exact
 * liquidation and bankruptcy prices of a position given the rest of its margin account.
 *
 * <p>A position is (size in lots, cost in money units). Its value at price {@code P} is {@code size
 * * P * unit} (exact), its unrealized PnL {@code value - cost}. A margin account's equity is its
 * cash plus the unrealized PnL of its positions less the funding they owe since it was last settled
 * ({@link #funding}).
 */
final class Risk {

  /** The highest price (ticks) ever searched for a trigger. */
  static final long MAX_TICKS = 1L << 50;

  private final Ledger ledger;
  private final OptionLedger options;
  private final OptionRisk optionRisk;

  Risk(Ledger ledger, OptionLedger options) {
    this.ledger = ledger;
    this.options = options;
    this.optionRisk = new OptionRisk(ledger, options, this);
  }

  /** The value and scenario margin of the options of pool sides. */
  OptionRisk optionRisk() {
    return optionRisk;
  }

  /** Signed value of a size at a price, money units, exact. */
  static long value(MarketState m, long size, long price) {
    return Math.multiplyExact(Math.multiplyExact(size, price), m.config.notionalUnit());
  }

  /** Absolute notional of a size at a price, money units, exact. */
  static long notional(MarketState m, long size, long price) {
    return Math.abs(value(m, size, price));
  }

  /** Unrealized PnL of a position at its market's mark. */
  long unrealized(int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    return Math.subtractExact(value(m, ledger.posSize(p), m.mark), ledger.posCost(p));
  }

  /**
   * The funding position {@code p} owes since it was last settled (negative: is owed), money units:
   * {@code size * (index - index at settlement) / RATE_ONE}, rounded up, so that a payer pays the
   * part unit and a receiver loses it ({@link MarketState#fundingIndex}).
   */
  long funding(int p) {
    return funding(ledger.market(ledger.posMarket(p)), p);
  }

  /** {@link #funding(int)} of a position of market {@code m}. */
  private long funding(MarketState m, int p) {
    long delta = Math.subtractExact(m.fundingIndex, ledger.posFunding(p));
    if (delta == 0) {
      return 0;
    }
    return Fixed.mulDiv(ledger.posSize(p), delta, Fixed.RATE_ONE, RoundingMode.CEILING);
  }

  /** A position's cost with the funding it owes: what its value must cover. */
  private long costWithFunding(MarketState m, int p) {
    return Math.addExact(ledger.posCost(p), funding(m, p));
  }

  /** Unrealized PnL less owed funding: what a position adds to its margin account's equity. */
  private long claim(int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    return Math.subtractExact(value(m, ledger.posSize(p), m.mark), costWithFunding(m, p));
  }

  /** Maintenance margin of a position at its market's mark. */
  long maintenance(int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    return m.config.tiers().maintenanceMargin(notional(m, ledger.posSize(p), m.mark));
  }

  /** Initial margin of a position at its market's mark. */
  long initial(int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    return m.config.tiers().initialMargin(notional(m, ledger.posSize(p), m.mark));
  }

  /** Whether the margin account's equity moves with one mark only: one position, no option. */
  boolean equityFollowsOneMark(int marginAccount) {
    return ledger.positions(marginAccount).size() == 1 && !options.holds(marginAccount);
  }

  /** Cash plus unrealized PnL less owed funding, options' included. */
  long equity(int marginAccount) {
    long e = ledger.cash(marginAccount);
    if (options.holds(marginAccount)) {
      e = Math.addExact(e, optionRisk.unrealized(marginAccount));
    }
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      e = Math.addExact(e, claim(ps.getInt(i)));
    }
    return e;
  }

  /**
   * Sum of the positions' maintenance margins; with options, their scenario margin ({@link
   * OptionRisk}).
   */
  long maintenanceMargin(int marginAccount) {
    if (options.holds(marginAccount)) {
      return optionRisk.margin(marginAccount, ScenarioGrid.MAINTENANCE);
    }
    long mm = 0;
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      mm = Math.addExact(mm, maintenance(ps.getInt(i)));
    }
    return mm;
  }

  /** Sum of the positions' initial margins; with options, their scenario margin. */
  long initialMargin(int marginAccount) {
    if (options.holds(marginAccount)) {
      return optionRisk.margin(marginAccount, ScenarioGrid.INITIAL);
    }
    long im = 0;
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      im = Math.addExact(im, initial(ps.getInt(i)));
    }
    return im;
  }

  /** Whether the margin account holds positions and its equity is below maintenance margin. */
  boolean belowMaintenance(int marginAccount) {
    return (!ledger.positions(marginAccount).isEmpty() || options.holds(marginAccount))
        && equity(marginAccount) < maintenanceMargin(marginAccount);
  }

  /**
   * Cash plus the other positions' PnL, less their maintenance margin if {@code lessMargin}: what
   * stands behind position {@code p} when its own market moves.
   */
  private long rest(int p, boolean lessMargin) {
    int marginAccount = ledger.posMarginAccount(p);
    long r = ledger.cash(marginAccount);
    if (options.holds(marginAccount)) {
      r = Math.addExact(r, optionRisk.unrealized(marginAccount));
    }
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      int q = ps.getInt(i);
      if (q != p) {
        r = Math.addExact(r, claim(q));
        if (lessMargin) {
          r = Math.subtractExact(r, maintenance(q));
        }
      }
    }
    return r;
  }

  private static boolean liquidatableAt(
      MarketState m, long size, long cost, long rest, long price) {
    RiskTiers tiers = m.config.tiers();
    long v = value(m, size, price);
    long surplus =
        Math.subtractExact(
            Math.subtractExact(Math.addExact(rest, v), cost), tiers.maintenanceMargin(Math.abs(v)));
    return surplus < 0;
  }

  /**
   * The liquidation trigger of position {@code p}, other marks fixed: for a long the highest tick
   * at which its margin account is below maintenance margin, for a short the lowest; {@link
   * Long#MIN_VALUE} if there is none in {@code [1, MAX_TICKS]}. Exact: the boundary of the same
   * predicate the engine liquidates with, so index and liquidation never disagree. A margin account
   * holding options has none: its margin moves with every option's price, so the engine checks it
   * at every update of a market it holds instead of indexing it.
   */
  long triggerPrice(int p) {
    if (options.holds(ledger.posMarginAccount(p))) {
      return Long.MIN_VALUE;
    }
    return triggerPrice(p, rest(p, true));
  }

  /**
   * The trigger of position {@code p} in a margin account that holds other markets too, with each
   * other market's mark at the edge of its band ({@link MarketState#bandLow}) that is worse for the
   * position held there (the low edge for a long, the high edge for a short). Equity less
   * maintenance margin rises with a long's price and falls with a short's, so while every other
   * mark stays in its band this trigger is crossed at least as soon as the exact one: a tick of
   * this market that makes the account liquidatable always crosses it, and the engine checks the
   * accounts it crosses exactly. When the edges are beyond arithmetic range the trigger is crossed
   * at every mark.
   */
  long conservativeTrigger(int p) {
    int marginAccount = ledger.posMarginAccount(p);
    if (options.holds(marginAccount)) {
      return Long.MIN_VALUE; // not indexed, as triggerPrice says
    }
    try {
      long r = ledger.cash(marginAccount);
      IntArrayList ps = ledger.positions(marginAccount);
      for (int i = 0; i < ps.size(); i++) {
        int q = ps.getInt(i);
        if (q != p) {
          MarketState mq = ledger.market(ledger.posMarket(q));
          long size = ledger.posSize(q);
          long edge = size > 0 ? mq.bandLow : mq.bandHigh;
          long v = value(mq, size, edge);
          r =
              Math.subtractExact(
                  Math.subtractExact(Math.addExact(r, v), costWithFunding(mq, q)),
                  mq.config.tiers().maintenanceMargin(Math.abs(v)));
        }
      }
      return indexKey(p, triggerPrice(p, r));
    } catch (ArithmeticException e) {
      return ledger.posSize(p) > 0 ? Long.MAX_VALUE : 1;
    }
  }

  /**
   * The trigger of position {@code p} when {@code rest} stands behind it (cash plus the other
   * positions' PnL less their maintenance margin, at whatever marks the caller chose).
   *
   * <p>The predicate is monotone in the price (a long's {@code value - MM(value)} rises with it,
   * maintenance rates being below 1, rounding included), so its boundary is unique. It is found
   * from the closed form of the tier the boundary lies in ({@link #triggerHint}), then confirmed
   * and corrected with the exact predicate by galloping and bisection: two or three evaluations
   * when the hint is right to the tick, never more than about a hundred whatever the hint.
   */
  long triggerPrice(int p, long rest) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long size = ledger.posSize(p);
    long cost = costWithFunding(m, p);
    long maxTicks = maxSearchTicks(m, size);
    long hint = Math.max(1, Math.min(maxTicks, triggerHint(m, size, cost, rest)));
    if (size > 0) {
      // liquidatable on [1, T], not above: T is the highest liquidatable tick.
      long lo;
      long hi;
      if (liquidatableAt(m, size, cost, rest, hint)) {
        lo = hint;
        hi = gallop(m, size, cost, rest, hint, maxTicks, true);
        if (hi > maxTicks) {
          return maxTicks;
        }
      } else {
        hi = hint;
        lo = gallop(m, size, cost, rest, hint, maxTicks, false);
        if (lo < 1) {
          return Long.MIN_VALUE;
        }
      }
      while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (liquidatableAt(m, size, cost, rest, mid)) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
    // liquidatable on [T, maxTicks], not below: T is the lowest liquidatable tick.
    long lo;
    long hi;
    if (liquidatableAt(m, size, cost, rest, hint)) {
      hi = hint;
      lo = gallop(m, size, cost, rest, hint, maxTicks, false);
      if (lo < 1) {
        return 1;
      }
    } else {
      lo = hint;
      hi = gallop(m, size, cost, rest, hint, maxTicks, true);
      if (hi > maxTicks) {
        return Long.MIN_VALUE;
      }
    }
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (liquidatableAt(m, size, cost, rest, mid)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /**
   * From {@code from}, whose predicate value is known, steps 1, 2, 4, ... ticks up ({@code up}) or
   * down to the first tick where the predicate differs; returns it, or {@code maxTicks + 1} / 0
   * when the range ends first.
   */
  private static long gallop(
      MarketState m, long size, long cost, long rest, long from, long maxTicks, boolean up) {
    boolean at = liquidatableAt(m, size, cost, rest, from);
    long step = 1;
    long known = from;
    while (true) {
      long next = up ? known + step : known - step;
      if (up ? next > maxTicks : next < 1) {
        return up ? maxTicks + 1 : 0;
      }
      if (liquidatableAt(m, size, cost, rest, next) != at) {
        return next;
      }
      known = next;
      step = Math.min(step * 2, Long.MAX_VALUE / 4);
    }
  }

  /**
   * Where the trigger lies by the closed form, in {@code double}: only a starting point for the
   * exact search. Within a tier, maintenance margin is {@code n * MMR - deduction} of the notional
   * {@code n}, so a long's boundary {@code rest + n - cost - MM(n) = 0} is {@code n = (cost - rest
   * - deduction) / (1 - MMR)} and a short's {@code n = (rest - cost + deduction) / (1 + MMR)}; the
   * tier taken is the one whose range holds its own solution.
   */
  private static long triggerHint(MarketState m, long size, long cost, long rest) {
    double perTick = (double) Math.abs(size) * m.config.notionalUnit();
    double one = Fixed.RATE_ONE;
    RiskTiers tiers = m.config.tiers();
    double notional = 0;
    for (int t = 0; t < tiers.count(); t++) {
      RiskTier tier = tiers.tier(t);
      double mmr = tier.maintenanceMarginRate() / one;
      double deduction = tier.maintenanceDeduction();
      notional =
          size > 0
              ? ((double) cost - rest - deduction) / (1 - mmr)
              : ((double) rest - cost + deduction) / (1 + mmr);
      boolean below = t + 1 < tiers.count() && notional >= tiers.tier(t + 1).notionalFloor();
      if (!below) {
        break;
      }
    }
    double ticks = notional / perTick;
    if (!(ticks >= 1)) {
      return 1;
    }
    return ticks >= MAX_TICKS ? MAX_TICKS : (long) ticks;
  }

  /**
   * Whether the liquidation index keys this margin account's positions by their conservative
   * trigger ({@link #conservativeTrigger}) rather than the exact one: it holds several markets.
   */
  boolean keyedConservatively(int marginAccount) {
    return ledger.positions(marginAccount).size() > 1;
  }

  /**
   * The key the liquidation index holds for position {@code p}'s trigger: the trigger itself,
   * except where the boundary lies beyond the searched range (a position so large that its value
   * there nears the limit of a {@code long}): a long still liquidatable at the range's end is keyed
   * to be crossed by every mark, a short not yet liquidatable there by every mark beyond it. The
   * engine checks every crossed account exactly, so such a key costs a check, never a miss.
   */
  long indexKey(int p, long trigger) {
    if (options.holds(ledger.posMarginAccount(p))) {
      return Long.MIN_VALUE; // not indexed, as triggerPrice says
    }
    MarketState m = ledger.market(ledger.posMarket(p));
    long size = ledger.posSize(p);
    long maxTicks = maxSearchTicks(m, size);
    if (size > 0) {
      // A long with no trigger is keyed at 0: no mark crosses it until funding drifts it up.
      return trigger == maxTicks ? Long.MAX_VALUE : trigger == Long.MIN_VALUE ? 0 : trigger;
    }
    return trigger == Long.MIN_VALUE ? maxTicks + 1 : trigger;
  }

  /**
   * The funding index in ticks of price per lot, {@code floor(fundingIndex / (RATE_ONE * unit))}:
   * how far funding has moved a position's break-even. A position's value less what it owes moves
   * with {@code mark - fundingTicks} alone, so its trigger less this offset moves with funding only
   * through its maintenance margin ({@link #fundingDrift}).
   */
  static long fundingTicks(MarketState m) {
    return Math.floorDiv(
        m.fundingIndex, Math.multiplyExact(Fixed.RATE_ONE, m.config.notionalUnit()));
  }

  /**
   * The most one funding round of {@code rate} can move a trigger less {@link #fundingTicks}
   * (ticks, rounded up, at least 1): {@code |rate| * mark * r / (1 - r)}, {@code r} the highest
   * maintenance rate of the market's tiers. In the funding-adjusted price {@code P' = P -
   * fundingTicks} a position's value less what it owes does not move with the index; its
   * maintenance margin, a rate of at most {@code r} on the notional at {@code P}, moves by at most
   * {@code r} times the round's payment, and a tick of {@code P'} moves value less margin by at
   * least {@code 1 - r} times a tick's value. At the presets' flat 0.35% to 5% this is 0.35% to 5%
   * of what the round moved the break-even.
   */
  static long fundingDrift(MarketState m, long rate) {
    long room = fundingRoom(m);
    if (room <= 0) {
      return Ledger.MAX_DRIFT;
    }
    try {
      long moved = Fixed.mulDiv(Math.abs(rate), m.mark, Fixed.RATE_ONE, RoundingMode.CEILING);
      long highest = Fixed.RATE_ONE - room;
      return Math.max(1, Fixed.mulDiv(moved, highest, room, RoundingMode.CEILING));
    } catch (ArithmeticException e) {
      return Ledger.MAX_DRIFT;
    }
  }

  /**
   * Ticks a trigger keyed before a funding round may lie beyond its key moved by the offsets, for
   * the roundings: what a position owes rounds to the unit at each settlement (one unit either
   * way), maintenance margin rounds up at each evaluation (a unit at each end), {@link
   * #fundingTicks} rounds down (a tick) and the trigger is a whole tick. With a tick moving value
   * less margin by at least {@code 1 - r} units, four units are at most {@code 4 / (1 - r)} ticks.
   */
  static long driftSlack(MarketState m) {
    long room = fundingRoom(m);
    return room <= 0 ? Ledger.MAX_DRIFT : Math.ceilDiv(4 * Fixed.RATE_ONE, room) + 2;
  }

  /**
   * What the index subtracts from a trigger to store it: {@code fundingTicks + drift} for a long,
   * {@code fundingTicks - drift} for a short, as of its keying.
   */
  static long keyOffset(MarketState m, boolean longSide) {
    long j = fundingTicks(m);
    return longSide ? saturatingAdd(j, m.fundingDrift) : saturatingAdd(j, -m.fundingDrift);
  }

  /**
   * What a query adds to a stored key to reach the furthest the trigger can now be ({@link
   * #keyOffset} now, plus the slack towards endangered once the market has funded since the index
   * was built): a key so moved is crossed no later than the trigger.
   */
  static long reachOffset(MarketState m, boolean longSide) {
    long offset = keyOffset(m, longSide);
    if (m.fundingDrift == 0) {
      return offset;
    }
    long slack = Math.min(Ledger.MAX_DRIFT, driftSlack(m));
    return longSide ? saturatingAdd(offset, slack) : saturatingAdd(offset, -slack);
  }

  /** What the index stores for a trigger key: the key less {@link #keyOffset}. */
  static long normalizedKey(MarketState m, boolean longSide, long key) {
    return saturatingAdd(key, -keyOffset(m, longSide));
  }

  /** {@code a + b}, held at the ends of the range instead of overflowing. */
  static long saturatingAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
    }
    return r;
  }

  /** {@code 1 - r} in rate units, {@code r} the highest maintenance rate of the tiers. */
  private static long fundingRoom(MarketState m) {
    RiskTiers tiers = m.config.tiers();
    long highest = 0;
    for (int t = 0; t < tiers.count(); t++) {
      highest = Math.max(highest, tiers.tier(t).maintenanceMarginRate());
    }
    return Fixed.RATE_ONE - highest;
  }

  private static long maxSearchTicks(MarketState m, long size) {
    // Keep size * price * unit well inside a long so the search itself cannot overflow.
    long perTick = Math.multiplyExact(Math.abs(size), m.config.notionalUnit());
    return Math.max(1, Math.min(MAX_TICKS, (Long.MAX_VALUE / 4) / perTick));
  }

  /**
   * The bankruptcy price of position {@code p}: where its margin account's equity is zero, other
   * marks fixed. Rounded to the tick against the account (up for a long, down for a short) so that
   * a close at this price never leaves a deficit; 0 if a long can never go bankrupt.
   */
  long bankruptcyPrice(int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long size = ledger.posSize(p);
    long cost = costWithFunding(m, p);
    long rest = rest(p, false);
    long perTick = Math.multiplyExact(Math.abs(size), m.config.notionalUnit());
    long numerator = Math.subtractExact(cost, rest);
    if (size > 0) {
      // rest + size*P*u - cost >= 0  <=>  P >= (cost - rest) / (size*u)
      return Math.max(0, Math.ceilDiv(numerator, perTick));
    }
    // rest - |size|*P*u - cost >= 0  <=>  P <= (rest - cost) / (|size|*u)
    return Math.max(0, Math.floorDiv(-numerator, perTick));
  }
}
