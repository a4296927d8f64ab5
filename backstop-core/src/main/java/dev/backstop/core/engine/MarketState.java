package dev.backstop.core.engine;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.mechanism.Mechanisms;
import java.util.List;
import org.agrona.collections.IntHashSet;

/** A listed market: configuration, prices, holders and the liquidation index of each side. */
final class MarketState {
  final int id;
  final String name;
  final MarketConfig config;
  final int fund;

  /** The mechanisms its specification maps to ({@link Mechanisms#of}). */
  final Mechanisms parts;

  /** Ticks; 0 until the first price or trade. */
  long mark;

  /** The mark before the last price update (Hyperliquid deleverages at it). */
  long previousMark;

  long index;

  /**
   * The order book's resting ladders, by margin account, bids first ({@link Quotes#ORDER});
   * replaced whole through the ledger, never changed in place but for consumption.
   */
  List<Quote> quotes = List.of();

  long priceTime = Long.MIN_VALUE;

  /** Fees collected in this market (money units): Drift's fee pool. */
  long feePool;

  /**
   * What the insurance fund has paid this market's shortfalls so far (money units): Drift's {@code
   * quote_settled_insurance}, counted against its {@code maxInsurance}.
   */
  long settledInsurance;

  /**
   * The cumulative funding index: the sum, over every funding round, of {@code rate * mark *
   * notionalUnit} (rate units times money units per lot), exact. A position of {@code size} lots
   * whose funding was last settled at index {@code i0} owes {@code size * (fundingIndex - i0) /
   * RATE_ONE} money units, rounded up (payers pay the unit, receivers lose it). Funding is settled
   * when the position is touched (a fill, a withdrawal), as dYdX v4 settles a subaccount's funding
   * on its next update; until then it counts in the margin account's equity.
   */
  long fundingIndex;

  /**
   * Cash held for funding (money units): what payers have settled less what receivers have settled.
   * It may be negative for a while (receivers settled before payers), the venue fronting the
   * difference; with what the open positions still owe it, its value is the rounding dust.
   */
  long fundingPool;

  /** Long lots open (equal to short lots open): the open interest a funding round pays on. */
  long longLots;

  /**
   * How far (ticks) funding may have moved any trigger, less the funding index in ticks ({@link
   * Risk#fundingTicks}), since it was keyed (derived state, reset by a restore, which keys every
   * account afresh): every round adds the most it can move one through maintenance margin, {@code
   * |rate| * mark * r / (1 - r)} with {@code r} the tiers' highest rate, rounded up and at least 1.
   * The liquidation index stores each trigger less {@code fundingTicks + drift} (longs) or {@code
   * fundingTicks - drift} (shorts) as of its keying, and a query moves the mark by the same offsets
   * now ({@link Risk#reachOffset}), so a round costs the accounts near their trigger, not every
   * holder.
   */
  long fundingDrift;

  /** Ids of the open positions in this market. */
  final IntHashSet holders = new IntHashSet();

  /**
   * Margin accounts holding this market and at least one other (their triggers move with others).
   */
  final IntHashSet multiMarketHolders = new IntHashSet();

  /**
   * The band the mark may move in without touching the triggers of margin accounts that hold this
   * market and another (derived state, not in the snapshot; moved through the ledger, which logs
   * it). Such an account's trigger in another market is computed with this market's mark at the
   * band's edge against it ({@link Risk#conservativeTrigger}), so while the mark stays in the band
   * no tick here can make that trigger late. A mark that leaves the band re-centres it and those
   * triggers are computed again: a cost of the holders once per {@link #BAND_DIVISOR}th of a move,
   * not on every tick.
   */
  long bandLow;

  /** The upper edge of {@link #bandLow}'s band, ticks. */
  long bandHigh;

  /** The band's half-width is the mark over this: 1%. */
  static final long BAND_DIVISOR = 100;

  /** Long positions by the highest mark (ticks) at which their margin account is liquidatable. */
  final TriggerIndex longTriggers = new TriggerIndex(true);

  /** Short positions by the lowest mark (ticks) at which their margin account is liquidatable. */
  final TriggerIndex shortTriggers = new TriggerIndex(false);

  /** Centres the band on the mark (ledger writes log the old band first). */
  void centreBand() {
    long half = Math.max(1, mark / BAND_DIVISOR);
    bandLow = Math.max(0, mark - half);
    bandHigh = mark > Long.MAX_VALUE - half ? Long.MAX_VALUE : mark + half;
  }

  MarketState(int id, String name, MarketConfig config, Mechanisms parts, int fund) {
    this.id = id;
    this.name = name;
    this.config = config;
    this.fund = fund;
    this.parts = parts;
  }
}
