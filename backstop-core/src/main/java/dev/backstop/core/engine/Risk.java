package dev.backstop.core.engine;

import dev.backstop.core.market.RiskTiers;
import org.agrona.collections.IntArrayList;

/**
 * Margin arithmetic over the ledger: equity, maintenance and initial margin, and the exact
 * liquidation and bankruptcy prices of a position given the rest of its margin account.
 *
 * <p>A position is (size in lots, cost in money units). Its value at price {@code P} is {@code size
 * * P * unit} (exact), its unrealized PnL {@code value - cost}. A margin account's equity is its
 * cash plus the unrealized PnL of its positions.
 */
final class Risk {

  /** The highest price (ticks) ever searched for a trigger. */
  static final long MAX_TICKS = 1L << 50;

  private final Ledger ledger;

  Risk(Ledger ledger) {
    this.ledger = ledger;
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

  /** Cash plus unrealized PnL. */
  long equity(int marginAccount) {
    long e = ledger.cash(marginAccount);
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      e = Math.addExact(e, unrealized(ps.getInt(i)));
    }
    return e;
  }

  /** Sum of the positions' maintenance margins. */
  long maintenanceMargin(int marginAccount) {
    long mm = 0;
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      mm = Math.addExact(mm, maintenance(ps.getInt(i)));
    }
    return mm;
  }

  /** Sum of the positions' initial margins. */
  long initialMargin(int marginAccount) {
    long im = 0;
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      im = Math.addExact(im, initial(ps.getInt(i)));
    }
    return im;
  }

  /** Whether the margin account holds positions and its equity is below maintenance margin. */
  boolean belowMaintenance(int marginAccount) {
    return !ledger.positions(marginAccount).isEmpty()
        && equity(marginAccount) < maintenanceMargin(marginAccount);
  }

  /**
   * Cash plus the other positions' PnL, less their maintenance margin if {@code lessMargin}: what
   * stands behind position {@code p} when its own market moves.
   */
  private long rest(int p, boolean lessMargin) {
    int marginAccount = ledger.posMarginAccount(p);
    long r = ledger.cash(marginAccount);
    IntArrayList ps = ledger.positions(marginAccount);
    for (int i = 0; i < ps.size(); i++) {
      int q = ps.getInt(i);
      if (q != p) {
        r = Math.addExact(r, unrealized(q));
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
   * Long#MIN_VALUE} if there is none in {@code [1, MAX_TICKS]}. Found by bisection with the exact
   * predicate, so index and liquidation never disagree.
   */
  long triggerPrice(int p) {
    MarketState m = ledger.market(ledger.posMarket(p));
    long size = ledger.posSize(p);
    long cost = ledger.posCost(p);
    long rest = rest(p, true);
    long maxTicks = maxSearchTicks(m, size);
    if (size > 0) {
      if (!liquidatableAt(m, size, cost, rest, 1)) {
        return Long.MIN_VALUE;
      }
      if (liquidatableAt(m, size, cost, rest, maxTicks)) {
        return maxTicks;
      }
      long lo = 1; // liquidatable
      long hi = maxTicks; // not
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
    if (liquidatableAt(m, size, cost, rest, 1)) {
      return 1;
    }
    if (!liquidatableAt(m, size, cost, rest, maxTicks)) {
      return Long.MIN_VALUE;
    }
    long lo = 1; // not liquidatable
    long hi = maxTicks; // liquidatable
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
    long cost = ledger.posCost(p);
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
