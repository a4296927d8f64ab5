package dev.backstop.core.engine;

/**
 * One maker's ladder on one side of a market's order book: levels pegged to the mark, each with a
 * notional, and how much of the ladder fills have consumed. Consumption eats the ladder from its
 * best level outward and decays with the market's half-life ({@link #consumedAt}), so depth that a
 * crash took comes back over time, as a book's resilience.
 *
 * <p>The levels never change; a new quote replaces the object. Consumption is the one mutable part,
 * written only through {@link Ledger#consume} (logged for undo).
 */
final class Quote {

  /** The maker's margin account. */
  final int marginAccount;

  /** Whether the ladder is bids (it buys from a liquidated long). */
  final boolean bid;

  /** Each level's distance from the mark, rate scale, strictly increasing, non-negative. */
  final long[] offsets;

  /** Each level's notional, money units, positive. */
  final long[] notionals;

  /** Consumed notional, money units, as of {@link #consumedTime}. */
  long consumed;

  /** Engine time of the last consumption, ms. */
  long consumedTime;

  // The last decay computed, and what it was computed from: every liquidation order of a tick reads
  // each ladder at the same time, and a power costs more than the rest of the ladder's reading. Not
  // state (a function of the fields above and the arguments), so neither hashed nor logged.
  private long memoConsumed;
  private long memoTime;
  private long memoNow = Long.MIN_VALUE;
  private long memoHalfLife;
  private long memo;

  Quote(int marginAccount, boolean bid, long[] offsets, long[] notionals) {
    if (offsets.length != notionals.length || offsets.length == 0) {
      throw new IllegalArgumentException("a ladder needs as many notionals as offsets, at least 1");
    }
    this.marginAccount = marginAccount;
    this.bid = bid;
    this.offsets = offsets.clone();
    this.notionals = notionals.clone();
  }

  /** The ladder's whole notional. */
  long total() {
    long t = 0;
    for (long n : notionals) {
      t = Math.addExact(t, n);
    }
    return t;
  }

  /**
   * The consumed notional at {@code now}: {@code consumed * 2^(-(now - consumedTime) / halfLife)},
   * rounded up (depth comes back no faster than the half-life says). {@link StrictMath} keeps the
   * decay bit-for-bit the same on every machine.
   */
  long consumedAt(long now, long halfLifeMillis) {
    if (consumed == 0 || now <= consumedTime) {
      return consumed;
    }
    if (consumed == memoConsumed
        && consumedTime == memoTime
        && now == memoNow
        && halfLifeMillis == memoHalfLife) {
      return memo;
    }
    double halvings = (double) (now - consumedTime) / halfLifeMillis;
    long at;
    if (halvings >= 64) {
      at = 0;
    } else {
      double left = consumed * StrictMath.pow(0.5, halvings);
      at = Math.min(consumed, (long) StrictMath.ceil(left));
    }
    memoConsumed = consumed;
    memoTime = consumedTime;
    memoNow = now;
    memoHalfLife = halfLifeMillis;
    memo = at;
    return at;
  }
}
