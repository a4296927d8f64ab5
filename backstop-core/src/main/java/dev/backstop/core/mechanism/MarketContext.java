package dev.backstop.core.mechanism;

import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;

/**
 * What a mechanism may see and do of the engine's state: the one door between the venue ideas in
 * this package and the ledger. Markets, positions and margin accounts are named by the engine's
 * dense ids ({@code int}); money in micro-units, sizes in lots, prices in ticks of their market.
 *
 * <p>Every effect goes through the engine's ledger, so it is logged for undo and rolled back with
 * the command that caused it; events are emitted in the order the mechanism calls {@link #emit}. A
 * mechanism keeps no mutable state of its own: what it must remember (a drawdown switch) lives in
 * the ledger, behind this interface, so it is in the snapshot.
 */
public interface MarketContext {

  /** No such id. */
  int NONE = -1;

  // ---------------------------------------------------------------- time and events

  /** Engine time, milliseconds. */
  long now();

  /** The sequence number the next event will carry. */
  long nextSeq();

  /** Emits an event (numbered {@link #nextSeq()}). */
  void emit(Event event);

  // ---------------------------------------------------------------- markets

  /** Number of markets; ids are {@code 0 .. marketCount() - 1}. */
  int marketCount();

  /** The market's name. */
  String marketName(int market);

  /** The market's configuration. */
  MarketConfig config(int market);

  /** Mark price, ticks; 0 before the first price. */
  long mark(int market);

  /** The mark before the last price update (Hyperliquid deleverages at it); 0 if none. */
  long previousMark(int market);

  /** Index price, ticks. */
  long index(int market);

  // ---------------------------------------------------------------- insurance funds

  /** Balance of the insurance fund serving the market. */
  long fundBalance(int market);

  /** Highest balance of that fund since {@code since} (ms), counting the balance it had then. */
  long fundPeakSince(int market, long since);

  /** Whether that fund's drawdown switch is on (Bybit/OKX hysteresis). */
  boolean drawdownActive(int market);

  /** Turns that fund's drawdown switch on or off. */
  void setDrawdownActive(int market, boolean active);

  // ---------------------------------------------------------------- positions

  /**
   * The market's open positions that take part in its backstop, by ascending position id: every
   * position except those of an LP market's liquidity provider and of settlement pools (a pool's
   * risk stays between its two sides). The fund's takeover account and liquidator vaults take part:
   * on 2025-10-10 most of Hyperliquid's ADL fills were against its vaults.
   */
  int[] backstopPositions(int market);

  /**
   * Whether a position of that set, other than {@code except}'s, is on the side {@code longs} and
   * in profit: a possible counterparty of a deleveraging.
   */
  boolean hasProfitableBackstopPosition(int market, boolean longs, int except);

  /** The position of a margin account in a market, or {@link #NONE}. */
  int position(int marginAccount, int market);

  /** The margin account holding a position. */
  int marginAccountOf(int position);

  /** The market of a position. */
  int marketOf(int position);

  /** Signed size, lots (long > 0). */
  long size(int position);

  /** Signed cost, money units (the value at entry). */
  long cost(int position);

  /** The position's PnL at mark, money units. */
  long unrealizedPnl(int position);

  /** The position's maintenance margin, money units. */
  long maintenanceMargin(int position);

  /** Where the account's equity is zero, other marks fixed (see the engine's rounding table). */
  long bankruptcyPrice(int position);

  /** The margin account first in the market's liquidation index on one side, or {@link #NONE}. */
  int mostEndangered(int market, boolean longs);

  // ---------------------------------------------------------------- margin accounts

  /** Cash plus unrealized PnL. */
  long equity(int marginAccount);

  /** The margin account's collateral, money units. */
  long cash(int marginAccount);

  /** Position ids of a margin account, by market id. */
  int[] positionsOf(int marginAccount);

  /** The owning account's name. */
  String accountName(int marginAccount);

  /** {@code cross}, {@code isolated:MARKET} or {@code pool:NAME}. */
  String marginName(int marginAccount);

  /** The cross margin account of an LP market's liquidity provider; {@link #NONE} on a book. */
  int liquidityMarginAccount(int market);

  /**
   * The account that takes what the book cannot fill (the fund's takeover account, a liquidator
   * vault), or {@link #NONE}: it takes a whole-position policy's excess.
   */
  int backstopLiquidator(int market);

  // ---------------------------------------------------------------- effects

  /** A fill without fees between two margin accounts, emitted as a fill of {@code kind}. */
  void fill(
      int market,
      int buyer,
      int seller,
      long lots,
      long price,
      boolean takerIsBuyer,
      Event.FillKind kind);

  /** Moves cash from one margin account to another. */
  void transfer(int from, int to, long amount);

  /**
   * Claws {@code amount} of a position's unrealized profit back to a margin account's cash: the
   * position's cost rises by the amount, so its PnL (and what a later haircut can seize) falls by
   * it, and its collateral is untouched.
   */
  void clawBack(int position, int to, long amount);

  /** The fees collected in a market: its fee pool (Drift's socialization draws on it first). */
  long feePool(int market);

  /** Pays {@code amount} of a market's fee pool to a margin account. */
  void payFromFeePool(int market, int to, long amount);

  /** Moves {@code amount} of a margin account's cash to a market's fee pool. */
  void chargeToFeePool(int market, int from, long amount);

  /**
   * Sends a margin account left without positions through the waterfall of the market: surplus to
   * the fund if the market says so, a shortfall to the fund, the market's backstop, then bad debt.
   */
  void settleClosedAccount(int marginAccount, int market);

  /**
   * Ends a liquidation whose position a resolution deferred ({@link #deferToEndOfPass}): a margin
   * account left without positions settles as {@link #settleClosedAccount}; one still holding some
   * has a deficit it already has covered by the fund, then written off as bad debt, as after any
   * liquidation.
   */
  void finishLiquidation(int marginAccount, int market);

  // ---------------------------------------------------------------- within one command

  /**
   * Marks set since the engine started: when it moves, every PnL and equity a structure read may
   * have moved with it.
   */
  long markWrites();

  /**
   * Whether a margin account takes part in backstops (not a liquidity provider, not a pool side).
   */
  boolean isBackstopAccount(int marginAccount);

  /**
   * What a mechanism keeps under {@code key} for the rest of the current command, made by {@code
   * create} on first use; every command starts with none. Derived structures only, never state:
   * what they hold must be what the ledger says.
   */
  <T> T commandMemo(Object key, java.util.function.Supplier<T> create);

  // ---------------------------------------------------------------- between commands

  /**
   * What a mechanism keeps under {@code key} between commands, made by {@code create} on first use:
   * derived structures only, never state, brought up to the ledger by their reader each time it
   * reads them, from the change feed ({@link #feedEnd}) and the counters below. A restored engine
   * starts with none.
   */
  <T> T keptMemo(Object key, java.util.function.Supplier<T> create);

  /**
   * Absolute position of the oldest entry the change feed still holds: a reader that has read less
   * than this missed entries and must start over.
   */
  long feedStart();

  /**
   * Absolute position after the change feed's newest entry. The feed names, across commands, every
   * margin account whose cash, positions or option positions changed, or whose command was rolled
   * back, once past the last read: entries up to the returned position count as read.
   */
  long feedEnd();

  /**
   * The margin account at absolute feed position {@code k}, {@link #NONE} if it no longer exists
   * (made by a command since rolled back).
   */
  int feedAccount(long k);

  /**
   * Writes since the engine started of what decides which accounts take part in backstops (an
   * account's role): when it moves, {@link #isBackstopAccount} may have changed for anyone.
   */
  long structureWrites();

  /** The market's cumulative funding index: when it moves, every position's owed funding may. */
  long fundingIndex(int market);

  /**
   * Whether the margin account's equity moves with one mark only, linearly: it holds one position
   * and no option. Its equity at another mark {@code m} of that position's market is then its
   * equity now plus {@code size * (m - mark) * notionalUnit}, exactly.
   */
  boolean equityFollowsOneMark(int marginAccount);

  /**
   * Defers the resolution of {@code marginAccount}'s bankrupt position to the end of the current
   * settle pass, so that one round resolves every position the pass sends to it together (a
   * research policy's round, {@code AllocationPolicy#sharesRound}): the engine liquidates the
   * account no further in this pass, and once the pass has liquidated everyone it queued, runs each
   * pending action (in the order of its first deferral), which must resolve its positions and call
   * {@link #finishLiquidation} for each account. Returns the pending action under {@code key}, made
   * by {@code create} on the pass's first deferral under that key.
   */
  <T extends Runnable> T deferToEndOfPass(
      int marginAccount, Object key, java.util.function.Supplier<T> create);
}
