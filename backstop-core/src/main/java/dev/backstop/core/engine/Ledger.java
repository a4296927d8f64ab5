package dev.backstop.core.engine;

import dev.backstop.core.collect.ScratchSets;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.TakeoverSpec;
import dev.backstop.core.mechanism.Mechanisms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2IntHashMap;

/**
 * All mutable state of the engine, laid out as flat primitive arrays, with an undo log.
 *
 * <p>Every mutation goes through a method here that first logs the old value. A command runs as a
 * transaction: {@link #begin()} clears the log, {@link #rollback()} restores every logged value in
 * reverse order, so a command that fails half-way (an arithmetic overflow deep in a liquidation
 * cascade) leaves no trace. Margin accounts touched by a command are collected in {@link #dirty()}
 * so that derived state (the liquidation index) can be refreshed for exactly those.
 *
 * <p>A <em>margin account</em> holds collateral that counts for its own positions only: an
 * account's cross margin, one isolated position, or one side of a settlement pool. Positions live
 * in one table, one row per (margin account, market).
 */
final class Ledger {

  static final int NONE = -1;

  // Undo operations.
  private static final int U_CASH = 1;
  private static final int U_POS_SIZE = 2;
  private static final int U_POS_COST = 3;
  private static final int U_FUND = 4;
  private static final int U_GLOBAL = 5;
  private static final int U_MARK = 6;
  private static final int U_INDEX = 7;
  private static final int U_PRICE_TIME = 8;
  private static final int U_POS_OPEN = 9;
  private static final int U_POS_CLOSE = 10;
  private static final int U_ACCOUNT = 11;
  private static final int U_MARGIN_ACCOUNT = 12;
  private static final int U_MARKET = 13;
  private static final int U_POOL = 14;
  private static final int U_FUND_CREATED = 15;
  private static final int U_LP_FLAG = 16;
  private static final int U_FUND_HISTORY = 17;
  private static final int U_DRAWDOWN_FLAG = 18;
  private static final int U_QUOTES = 19;
  private static final int U_FEE_POOL = 20;
  private static final int U_QUOTE_CONSUMED = 21;
  private static final int U_SETTLED_INSURANCE = 22;
  private static final int U_BAND = 23;
  private static final int U_POS_FUNDING = 24;
  private static final int U_FUNDING = 25;
  private static final int U_FUNDING_POOL = 26;
  private static final int U_LONG_LOTS = 27;

  /** Global totals, indexes into {@link #globals}. */
  static final int G_FEES = 0;

  static final int G_BAD_DEBT = 1;
  static final int G_DEPOSITED = 2;
  static final int G_WITHDRAWN = 3;
  static final int G_INSURANCE_FUNDED = 4;
  static final int G_TIME = 5;

  /**
   * Lots open in all margin accounts (every account is margined and can be liquidated): part of the
   * bound of a liquidation cascade (see {@code Engine.settle}).
   */
  static final int G_OPEN_LOTS = 6;

  private static final int GLOBALS = 7;

  private final long[] globals = new long[GLOBALS];

  // Accounts.
  private final List<String> accountNames = new ArrayList<>();
  private final Object2IntHashMap<String> accountIds = new Object2IntHashMap<>(NONE);
  private int[] crossOf = new int[16];
  private AccountRole[] role = new AccountRole[16];

  // Margin accounts.
  private int marginAccountCount;
  private long[] cash = new long[16];
  private int[] owner = new int[16];
  private MarginRef[] marginRef = new MarginRef[16];
  private IntArrayList[] positionsOf = new IntArrayList[16];
  private final Long2LongHashMap isolatedOf = new Long2LongHashMap(NONE);

  // Positions.
  private int positionCount;
  private int[] posMarginAccount = new int[16];
  private int[] posMarket = new int[16];
  private long[] posSize = new long[16];
  private long[] posCost = new long[16];

  /** The market's funding index when each position's funding was last settled. */
  private long[] posFunding = new long[16];

  private final IntArrayList freePositions = new IntArrayList();
  private final Long2LongHashMap positionOf = new Long2LongHashMap(NONE);

  // Markets.
  private final List<MarketState> markets = new ArrayList<>();
  private final Object2IntHashMap<String> marketIds = new Object2IntHashMap<>(NONE);

  // Insurance funds.
  private final List<String> fundNames = new ArrayList<>();
  private final Object2IntHashMap<String> fundIds = new Object2IntHashMap<>(NONE);
  private long[] fundBalance = new long[4];

  /** Per fund, (time, balance after) of every change, oldest first: for drawdown windows. */
  private final List<LongArrayList> fundHistory = new ArrayList<>();

  private boolean[] drawdownActive = new boolean[4];

  // Settlement pools.
  private final List<String> poolNames = new ArrayList<>();
  private final Object2IntHashMap<String> poolIds = new Object2IntHashMap<>(NONE);
  private int[] poolUser = new int[4];
  private int[] poolProvider = new int[4];

  private long[] undo = new long[256];
  private int undoLength;

  /** Objects an undo entry refers to by index (replaced quote lists, consumed quotes). */
  private final List<Object> undoObjects = new ArrayList<>();

  private final IntHashSet dirty = new IntHashSet();
  private final IntHashSet touched = new IntHashSet();

  /** Marks set since the engine started: a structure that read marks knows when to start over. */
  private long markWrites;

  /**
   * The number of the current command, from 1, for the marks below: a value needs its undo entry
   * only at its first write in a command (rollback restores the oldest), so a command that writes
   * one account a thousand times logs it once. Plain values only (cash, a position's size and cost,
   * the globals): what rollback restores does not depend on when.
   */
  private int command;

  private int[] cashLogged = new int[16];
  private int[] sizeLogged = new int[16];
  private int[] costLogged = new int[16];
  private int[] fundingLogged = new int[16];
  private final int[] globalLogged = new int[GLOBALS];

  /**
   * The change feed: every margin account marked dirty, across commands, for structures kept
   * between commands (an ADL queue) to catch up with. Positions in it are absolute (the first entry
   * ever is 0); {@code feed} holds those from {@code feedBase} on. An account is appended again
   * only once a reader has read past its last entry, and a rolled-back command's accounts are
   * appended again (rollback restores them without marking them). When the feed grows past {@link
   * #feedCap()} it is dropped whole: a reader from before {@code feedBase} starts over.
   */
  private final IntArrayList feed = new IntArrayList();

  private long feedBase;
  private long feedReadUpTo;
  private long[] feedAt = new long[16];

  /** Writes of what makes an account take part in backstops (a role): not state, a counter. */
  private long structureWrites;

  // ---------------------------------------------------------------- transactions

  void begin() {
    if (feed.size() > feedCap()) {
      feedBase += feed.size();
      feed.clear();
      feedReadUpTo = feedBase;
    }
    undoLength = 0;
    undoObjects.clear();
    ScratchSets.clear(dirty);
    ScratchSets.clear(touched);
    if (++command == Integer.MAX_VALUE) {
      // once in two billion commands: forget every mark, and start counting again
      Arrays.fill(cashLogged, 0);
      Arrays.fill(sizeLogged, 0);
      Arrays.fill(costLogged, 0);
      Arrays.fill(globalLogged, 0);
      command = 1;
    }
  }

  /** Marks set since the engine started (not state: a counter for derived structures). */
  long markWrites() {
    return markWrites;
  }

  /** Role writes since the engine started (not state: a counter for derived structures). */
  long structureWrites() {
    return structureWrites;
  }

  /** Absolute position of the change feed's oldest entry held. */
  long feedStart() {
    return feedBase;
  }

  /**
   * Absolute position after the change feed's newest entry; what it names up to here counts as read
   * (a later change of an account appends it again).
   */
  long feedEnd() {
    feedReadUpTo = feedBase + feed.size();
    return feedReadUpTo;
  }

  /**
   * The margin account at absolute feed position {@code k} ({@code feedStart() <= k < feedEnd()}),
   * {@link #NONE} if it was made by a command since rolled back (and not made again).
   */
  int feedAccount(long k) {
    int c = feed.getInt(Math.toIntExact(k - feedBase));
    return c < marginAccountCount ? c : NONE;
  }

  /** The feed is dropped past a quarter million entries or the margin accounts, if more. */
  private int feedCap() {
    return Math.max(1 << 18, marginAccountCount);
  }

  private void appendFeed(int marginAccount) {
    if (feedAt[marginAccount] <= feedReadUpTo) {
      feed.addInt(marginAccount);
      feedAt[marginAccount] = feedBase + feed.size();
    }
  }

  /** Margin accounts changed since the derived state was last refreshed. */
  IntHashSet dirty() {
    return dirty;
  }

  /** Margin accounts changed by the current command. */
  IntHashSet touched() {
    return touched;
  }

  void markDirty(int marginAccount) {
    if (marginAccount >= feedAt.length) {
      feedAt = Arrays.copyOf(feedAt, Math.max(marginAccount + 1, 2 * feedAt.length));
    }
    appendFeed(marginAccount);
    dirty.add(marginAccount);
    touched.add(marginAccount);
  }

  /** Restores every value logged since {@link #begin()}, newest first. */
  void rollback() {
    while (undoLength > 0) {
      undoLength -= 4;
      int op = (int) undo[undoLength];
      int id = (int) undo[undoLength + 1];
      long a = undo[undoLength + 2];
      long b = undo[undoLength + 3];
      switch (op) {
        case U_CASH -> cash[id] = a;
        case U_POS_SIZE -> posSize[id] = a;
        case U_POS_COST -> posCost[id] = a;
        case U_POS_FUNDING -> posFunding[id] = a;
        case U_FUNDING -> {
          markets.get(id).fundingIndex = a;
          markets.get(id).fundingDrift = b;
        }
        case U_FUNDING_POOL -> markets.get(id).fundingPool = a;
        case U_LONG_LOTS -> markets.get(id).longLots = a;
        case U_FUND -> fundBalance[id] = a;
        case U_GLOBAL -> globals[id] = a;
        case U_MARK -> {
          markets.get(id).mark = a;
          markets.get(id).previousMark = b;
        }
        case U_INDEX -> markets.get(id).index = a;
        case U_PRICE_TIME -> markets.get(id).priceTime = a;
        case U_POS_OPEN -> unlinkPosition(id, a != 0);
        case U_POS_CLOSE -> relinkPosition(id, (int) a, (int) b);
        case U_ACCOUNT -> {
          String name = accountNames.remove(accountNames.size() - 1);
          accountIds.removeKey(name);
        }
        case U_MARGIN_ACCOUNT -> removeLastMarginAccount();
        case U_MARKET -> {
          MarketState m = markets.remove(markets.size() - 1);
          marketIds.removeKey(m.name);
        }
        case U_POOL -> poolIds.removeKey(poolNames.remove(poolNames.size() - 1));
        case U_FUND_CREATED -> {
          fundIds.removeKey(fundNames.remove(fundNames.size() - 1));
          fundHistory.remove(fundHistory.size() - 1);
        }
        case U_FUND_HISTORY -> {
          LongArrayList h = fundHistory.get(id);
          while (h.size() > a) {
            h.removeAt(h.size() - 1);
          }
        }
        case U_DRAWDOWN_FLAG -> drawdownActive[id] = a != 0;
        case U_LP_FLAG -> {
          role[id] = AccountRole.USER;
          structureWrites++;
        }
        case U_QUOTES -> markets.get(id).quotes = quoteList(undoObjects.get((int) a));
        case U_QUOTE_CONSUMED -> {
          Quote q = (Quote) undoObjects.get(id);
          q.consumed = a;
          q.consumedTime = b;
        }
        case U_FEE_POOL -> markets.get(id).feePool = a;
        case U_SETTLED_INSURANCE -> markets.get(id).settledInsurance = a;
        case U_BAND -> {
          markets.get(id).bandLow = a;
          markets.get(id).bandHigh = b;
        }
        default -> throw new IllegalStateException("unknown undo op " + op);
      }
    }
    // What a kept structure read during the command is undone without a mark: it reads it again
    IntHashSet.IntIterator it = touched.iterator();
    while (it.hasNext()) {
      int c = it.nextValue();
      if (c < marginAccountCount) {
        appendFeed(c);
      }
    }
  }

  private void log(int op, int id, long a, long b) {
    if (undoLength + 4 > undo.length) {
      undo = Arrays.copyOf(undo, undo.length * 2);
    }
    undo[undoLength] = op;
    undo[undoLength + 1] = id;
    undo[undoLength + 2] = a;
    undo[undoLength + 3] = b;
    undoLength += 4;
  }

  // ---------------------------------------------------------------- globals

  long global(int which) {
    return globals[which];
  }

  void addGlobal(int which, long delta) {
    if (globalLogged[which] != command) {
      globalLogged[which] = command;
      log(U_GLOBAL, which, globals[which], 0);
    }
    globals[which] = Math.addExact(globals[which], delta);
  }

  void setTime(long time) {
    if (globalLogged[G_TIME] != command) {
      globalLogged[G_TIME] = command;
      log(U_GLOBAL, G_TIME, globals[G_TIME], 0);
    }
    globals[G_TIME] = time;
  }

  // ---------------------------------------------------------------- accounts

  int accountId(String name) {
    return accountIds.getValue(name);
  }

  String accountName(int account) {
    return accountNames.get(account);
  }

  int accountCount() {
    return accountNames.size();
  }

  int createAccount(String name) {
    int id = accountNames.size();
    accountNames.add(name);
    accountIds.put(name, id);
    if (id >= crossOf.length) {
      crossOf = Arrays.copyOf(crossOf, id * 2);
      role = Arrays.copyOf(role, id * 2);
    }
    crossOf[id] = NONE;
    role[id] = AccountRole.USER;
    log(U_ACCOUNT, id, 0, 0);
    crossOf[id] = createMarginAccount(id, MarginRef.cross());
    return id;
  }

  /** What an account is to the engine: a user, a liquidity provider, a fund's or a vault's. */
  AccountRole role(int account) {
    return role[account];
  }

  /** Whether the account is an LP-counterparty market's liquidity provider. */
  boolean isLiquidityProvider(int account) {
    return role[account] == AccountRole.LIQUIDITY_PROVIDER;
  }

  /** Gives a user account a role (once: a role never changes back but by rollback). */
  void setRole(int account, AccountRole value) {
    if (role[account] != value) {
      if (role[account] != AccountRole.USER) {
        throw new IllegalStateException(
            "account " + account + " already has role " + role[account]);
      }
      role[account] = value;
      structureWrites++;
      log(U_LP_FLAG, account, 0, 0);
    }
  }

  /**
   * Whether the margin account belongs to a takeover layer: an insurance fund's takeover account or
   * a liquidator vault.
   */
  boolean isTakeoverAccount(int marginAccount) {
    AccountRole r = role[owner[marginAccount]];
    return r == AccountRole.INSURANCE_FUND || r == AccountRole.LIQUIDATOR_VAULT;
  }

  int crossMarginAccount(int account) {
    return crossOf[account];
  }

  int isolatedMarginAccount(int account, int market) {
    return (int) isolatedOf.get(key(account, market));
  }

  int createIsolated(int account, int market) {
    int c = createMarginAccount(account, MarginRef.isolated(markets.get(market).name));
    isolatedOf.put(key(account, market), c);
    return c;
  }

  // ---------------------------------------------------------------- margin accounts

  private int createMarginAccount(int account, MarginRef ref) {
    int c = marginAccountCount;
    if (c >= cash.length) {
      int n = c * 2;
      cash = Arrays.copyOf(cash, n);
      owner = Arrays.copyOf(owner, n);
      marginRef = Arrays.copyOf(marginRef, n);
      positionsOf = Arrays.copyOf(positionsOf, n);
    }
    cash[c] = 0;
    owner[c] = account;
    marginRef[c] = ref;
    positionsOf[c] = new IntArrayList(2, NONE);
    marginAccountCount++;
    log(U_MARGIN_ACCOUNT, c, 0, 0);
    return c;
  }

  private void removeLastMarginAccount() {
    int c = --marginAccountCount;
    MarginRef ref = marginRef[c];
    if (ref.kind() == MarginRef.Kind.ISOLATED) {
      isolatedOf.remove(key(owner[c], marketIds.getValue(ref.name())));
    }
    marginRef[c] = null;
    positionsOf[c] = null;
  }

  int marginAccountCount() {
    return marginAccountCount;
  }

  int owner(int marginAccount) {
    return owner[marginAccount];
  }

  MarginRef marginRef(int marginAccount) {
    return marginRef[marginAccount];
  }

  long cash(int marginAccount) {
    return cash[marginAccount];
  }

  void addCash(int marginAccount, long delta) {
    if (marginAccount >= cashLogged.length) {
      cashLogged = Arrays.copyOf(cashLogged, Math.max(marginAccount + 1, 2 * cashLogged.length));
    }
    if (cashLogged[marginAccount] != command) {
      cashLogged[marginAccount] = command;
      log(U_CASH, marginAccount, cash[marginAccount], 0);
    }
    cash[marginAccount] = Math.addExact(cash[marginAccount], delta);
    markDirty(marginAccount);
  }

  /** Position ids of a margin account, by ascending market id. */
  IntArrayList positions(int marginAccount) {
    return positionsOf[marginAccount];
  }

  // ---------------------------------------------------------------- positions

  int positionId(int marginAccount, int market) {
    return (int) positionOf.get(key(marginAccount, market));
  }

  int posMarginAccount(int p) {
    return posMarginAccount[p];
  }

  int posMarket(int p) {
    return posMarket[p];
  }

  long posSize(int p) {
    return posSize[p];
  }

  long posCost(int p) {
    return posCost[p];
  }

  /** The market's funding index when position {@code p}'s funding was last settled. */
  long posFunding(int p) {
    return posFunding[p];
  }

  /**
   * Marks position {@code p}'s funding settled at its market's index now; the caller has moved the
   * money ({@link #addCash}, {@link #addFundingPool}).
   */
  void settleFunding(int p) {
    long index = markets.get(posMarket[p]).fundingIndex;
    if (posFunding[p] != index) {
      growLogged(p);
      if (fundingLogged[p] != command) {
        fundingLogged[p] = command;
        log(U_POS_FUNDING, p, posFunding[p], 0);
      }
      posFunding[p] = index;
    }
  }

  /**
   * Sets a position's size and cost, opening or closing its row as needed. A position whose size
   * changes must have had its funding settled ({@link #settleFunding}): what it owes depends on its
   * size since the last settlement.
   */
  void setPosition(int marginAccount, int market, long size, long cost) {
    int p = positionId(marginAccount, market);
    markDirty(marginAccount);
    long before = p == NONE ? 0 : posSize[p];
    MarketState m = markets.get(market);
    if (before != size) {
      if (p != NONE && posFunding[p] != m.fundingIndex) {
        throw new IllegalStateException("position " + p + " resized before its funding settled");
      }
      addGlobal(G_OPEN_LOTS, Math.subtractExact(Math.abs(size), Math.abs(before)));
      long longDelta = Math.subtractExact(Math.max(size, 0), Math.max(before, 0));
      if (longDelta != 0) {
        log(U_LONG_LOTS, market, m.longLots, 0);
        m.longLots = Math.addExact(m.longLots, longDelta);
      }
    }
    if (p == NONE) {
      if (size == 0 && cost == 0) {
        return;
      }
      p = openPosition(marginAccount, market);
    }
    growLogged(p);
    if (posSize[p] != size) {
      if (sizeLogged[p] != command) {
        sizeLogged[p] = command;
        log(U_POS_SIZE, p, posSize[p], 0);
      }
      posSize[p] = size;
    }
    if (posCost[p] != cost) {
      if (costLogged[p] != command) {
        costLogged[p] = command;
        log(U_POS_COST, p, posCost[p], 0);
      }
      posCost[p] = cost;
    }
    if (size == 0 && cost == 0) {
      log(U_POS_CLOSE, p, marginAccount, market);
      unlinkPosition(p, true);
    }
  }

  private void growLogged(int p) {
    if (p >= sizeLogged.length) {
      int n = Math.max(p + 1, 2 * sizeLogged.length);
      sizeLogged = Arrays.copyOf(sizeLogged, n);
      costLogged = Arrays.copyOf(costLogged, n);
      fundingLogged = Arrays.copyOf(fundingLogged, n);
    }
  }

  private int openPosition(int marginAccount, int market) {
    boolean reused = !freePositions.isEmpty();
    int p;
    if (reused) {
      p = freePositions.removeAt(freePositions.size() - 1);
    } else {
      p = positionCount++;
      if (p >= posSize.length) {
        int n = p * 2;
        posMarginAccount = Arrays.copyOf(posMarginAccount, n);
        posMarket = Arrays.copyOf(posMarket, n);
        posSize = Arrays.copyOf(posSize, n);
        posCost = Arrays.copyOf(posCost, n);
        posFunding = Arrays.copyOf(posFunding, n);
      }
    }
    posMarginAccount[p] = marginAccount;
    posMarket[p] = market;
    posSize[p] = 0;
    posCost[p] = 0;
    settleFunding(p);
    link(p);
    log(U_POS_OPEN, p, reused ? 1 : 0, 0);
    return p;
  }

  private void link(int p) {
    int marginAccount = posMarginAccount[p];
    int market = posMarket[p];
    positionOf.put(key(marginAccount, market), p);
    // Kept sorted by market id, so the order does not depend on history (a rolled-back close
    // relinks the row where it was) and every walk over a margin account's positions is canonical.
    IntArrayList list = positionsOf[marginAccount];
    int at = list.size();
    while (at > 0 && posMarket[list.getInt(at - 1)] > market) {
      at--;
    }
    list.addInt(at, p);
    MarketState m = markets.get(market);
    m.holders.add(p);
    if (positionsOf[marginAccount].size() == 2) {
      for (int i = 0; i < 2; i++) {
        int q = positionsOf[marginAccount].getInt(i);
        markets.get(posMarket[q]).multiMarketHolders.add(marginAccount);
      }
    } else if (positionsOf[marginAccount].size() > 2) {
      m.multiMarketHolders.add(marginAccount);
    }
  }

  /** Removes a position's row; {@code toFreeList} returns the id for reuse. */
  private void unlinkPosition(int p, boolean toFreeList) {
    int marginAccount = posMarginAccount[p];
    int market = posMarket[p];
    positionOf.remove(key(marginAccount, market));
    IntArrayList list = positionsOf[marginAccount];
    list.removeInt(p);
    MarketState m = markets.get(market);
    m.holders.remove(p);
    m.multiMarketHolders.remove(marginAccount);
    // The index is derived state: a margin account without a position here has no trigger here.
    m.longTriggers.remove(marginAccount);
    m.shortTriggers.remove(marginAccount);
    if (list.size() == 1) {
      markets.get(posMarket[list.getInt(0)]).multiMarketHolders.remove(marginAccount);
    }
    markDirty(marginAccount);
    if (toFreeList) {
      freePositions.addInt(p);
    } else {
      positionCount--;
    }
  }

  /**
   * Undoes a close: the id is the newest on the free list. The row may have been reused by another
   * margin account in the same transaction, so its owner is restored too.
   */
  private void relinkPosition(int p, int marginAccount, int market) {
    int last = freePositions.removeAt(freePositions.size() - 1);
    if (last != p) {
      throw new IllegalStateException("undo out of order: position " + p + " vs " + last);
    }
    posMarginAccount[p] = marginAccount;
    posMarket[p] = market;
    link(p);
    markDirty(posMarginAccount[p]);
  }

  // ---------------------------------------------------------------- markets

  int marketId(String name) {
    return marketIds.getValue(name);
  }

  MarketState market(int id) {
    return markets.get(id);
  }

  int marketCount() {
    return markets.size();
  }

  int createMarket(String name, MarketConfig config, Mechanisms parts, int fund) {
    int id = markets.size();
    markets.add(new MarketState(id, name, config, parts, fund));
    marketIds.put(name, id);
    log(U_MARKET, id, 0, 0);
    return id;
  }

  /**
   * Moves a market's mark. A mark leaving the market's band ({@link MarketState#bandLow}) moves the
   * band around it and marks every margin account holding this market and another dirty: their
   * triggers in the other markets were computed with this market at the old band's edge.
   */
  void setMark(int market, long mark) {
    MarketState m = markets.get(market);
    markWrites++;
    log(U_MARK, market, m.mark, m.previousMark);
    m.previousMark = m.mark;
    m.mark = mark;
    if (mark < m.bandLow || mark > m.bandHigh) {
      log(U_BAND, market, m.bandLow, m.bandHigh);
      m.centreBand();
      markMultiMarketHoldersDirty(market);
    }
  }

  /**
   * Marks dirty every margin account holding this market and another: their conservative triggers
   * in the other markets read this one (at its band's edge, with what they owe here), so a band
   * move or a funding round keys them again.
   */
  void markMultiMarketHoldersDirty(int market) {
    IntHashSet.IntIterator it = markets.get(market).multiMarketHolders.iterator();
    while (it.hasNext()) {
      markDirty(it.nextValue());
    }
  }

  /**
   * Fees collected in a market (trading fees, funding dust): its fee pool, which Drift's
   * socialization draws on first. The pools add up to {@link #G_FEES}, moved with it.
   */
  void addFees(int market, long delta) {
    MarketState m = markets.get(market);
    log(U_FEE_POOL, market, m.feePool, 0);
    m.feePool = Math.addExact(m.feePool, delta);
    addGlobal(G_FEES, delta);
  }

  /**
   * Adds a funding round to a market's index ({@link MarketState#fundingIndex}) and the most it can
   * have moved a trigger to its drift ({@link MarketState#fundingDrift}).
   */
  void addFunding(int market, long indexDelta, long driftDelta) {
    MarketState m = markets.get(market);
    long index = Math.addExact(m.fundingIndex, indexDelta);
    log(U_FUNDING, market, m.fundingIndex, m.fundingDrift);
    m.fundingIndex = index;
    m.fundingDrift = Math.min(MAX_DRIFT, m.fundingDrift + Math.min(MAX_DRIFT, driftDelta));
  }

  /** Drift beyond this is as good as infinite: every key is crossed by every mark. */
  static final long MAX_DRIFT = 1L << 60;

  /** Moves settled funding into ({@code delta > 0}) or out of a market's funding pool. */
  void addFundingPool(int market, long delta) {
    MarketState m = markets.get(market);
    log(U_FUNDING_POOL, market, m.fundingPool, 0);
    m.fundingPool = Math.addExact(m.fundingPool, delta);
  }

  /** Adds to what the insurance fund has paid a market's shortfalls. */
  void addSettledInsurance(int market, long amount) {
    MarketState m = markets.get(market);
    log(U_SETTLED_INSURANCE, market, m.settledInsurance, 0);
    m.settledInsurance = Math.addExact(m.settledInsurance, amount);
  }

  /** Replaces a market's resting ladders (kept sorted by margin account, bids first). */
  void setQuotes(int market, List<Quote> quotes) {
    MarketState m = markets.get(market);
    undoObjects.add(m.quotes);
    log(U_QUOTES, market, undoObjects.size() - 1, 0);
    m.quotes = List.copyOf(quotes);
  }

  /** Sets what fills have consumed of a ladder, as of {@code time}. */
  void consume(Quote q, long consumed, long time) {
    undoObjects.add(q);
    log(U_QUOTE_CONSUMED, undoObjects.size() - 1, q.consumed, q.consumedTime);
    q.consumed = consumed;
    q.consumedTime = time;
  }

  @SuppressWarnings("unchecked")
  private static List<Quote> quoteList(Object o) {
    return (List<Quote>) o;
  }

  void setIndex(int market, long index) {
    MarketState m = markets.get(market);
    log(U_INDEX, market, m.index, 0);
    m.index = index;
  }

  void setPriceTime(int market, long time) {
    MarketState m = markets.get(market);
    log(U_PRICE_TIME, market, m.priceTime, 0);
    m.priceTime = time;
  }

  // ---------------------------------------------------------------- insurance funds

  int fundId(String name) {
    return fundIds.getValue(name);
  }

  int fundCount() {
    return fundNames.size();
  }

  String fundName(int fund) {
    return fundNames.get(fund);
  }

  int createFund(String name) {
    int id = fundNames.size();
    fundNames.add(name);
    fundIds.put(name, id);
    if (id >= fundBalance.length) {
      fundBalance = Arrays.copyOf(fundBalance, id * 2);
      drawdownActive = Arrays.copyOf(drawdownActive, id * 2);
    }
    fundBalance[id] = 0;
    drawdownActive[id] = false;
    fundHistory.add(new LongArrayList());
    log(U_FUND_CREATED, id, 0, 0);
    return id;
  }

  long fundBalance(int fund) {
    return fundBalance[fund];
  }

  /**
   * Moves a fund's balance. Its history of (time, balance) is kept only while a market it serves
   * has a drawdown trigger, the one reader of it: other funds keep none, so their snapshots do not
   * grow with every fee.
   */
  void addFund(int fund, long delta) {
    log(U_FUND, fund, fundBalance[fund], 0);
    fundBalance[fund] = Math.addExact(fundBalance[fund], delta);
    if (servesDrawdownTrigger(fund)) {
      LongArrayList h = fundHistory.get(fund);
      log(U_FUND_HISTORY, fund, h.size(), 0);
      h.addLong(globals[G_TIME]);
      h.addLong(fundBalance[fund]);
    }
  }

  private boolean servesDrawdownTrigger(int fund) {
    for (MarketState m : markets) {
      if (m.fund == fund
          && m.config.backstop().trigger()
              instanceof dev.backstop.core.market.BackstopSpec.Trigger.FundDrawdown) {
        return true;
      }
    }
    return false;
  }

  /**
   * The highest balance of a fund since {@code since} (ms), counting the balance it had at that
   * moment; 0 for a fund that never held anything.
   */
  long fundPeakSince(int fund, long since) {
    LongArrayList h = fundHistory.get(fund);
    long peak = fundBalance[fund];
    for (int i = h.size() - 2; i >= 0; i -= 2) {
      peak = Math.max(peak, h.getLong(i + 1));
      if (h.getLong(i) < since) {
        break; // the balance in effect when the window opened
      }
    }
    return peak;
  }

  boolean drawdownActive(int fund) {
    return drawdownActive[fund];
  }

  void setDrawdownActive(int fund, boolean active) {
    if (drawdownActive[fund] != active) {
      log(U_DRAWDOWN_FLAG, fund, drawdownActive[fund] ? 1 : 0, 0);
      drawdownActive[fund] = active;
    }
  }

  // ---------------------------------------------------------------- settlement pools

  int poolId(String name) {
    return poolIds.getValue(name);
  }

  int poolCount() {
    return poolNames.size();
  }

  /** The user's margin account in a pool. */
  int poolUser(int pool) {
    return poolUser[pool];
  }

  /** The provider's margin account in a pool. */
  int poolProvider(int pool) {
    return poolProvider[pool];
  }

  int createPool(String name, int user, int provider) {
    int id = poolNames.size();
    poolNames.add(name);
    poolIds.put(name, id);
    log(U_POOL, id, 0, 0);
    if (id >= poolUser.length) {
      poolUser = Arrays.copyOf(poolUser, id * 2);
      poolProvider = Arrays.copyOf(poolProvider, id * 2);
    }
    poolUser[id] = createMarginAccount(user, MarginRef.pool(name));
    poolProvider[id] = createMarginAccount(provider, MarginRef.pool(name));
    return id;
  }

  /** The other side of a pool margin account. */
  int poolCounterparty(int marginAccount) {
    int pool = poolId(marginRef[marginAccount].name());
    return poolUser[pool] == marginAccount ? poolProvider[pool] : poolUser[pool];
  }

  // ---------------------------------------------------------------- snapshot

  /**
   * Writes every field that can change a future event, in one canonical order: globals, funds
   * (balance, drawdown state, history), markets (configuration, prices, depth), accounts, margin
   * accounts with their positions (by market id), the position table's size and free list, pools.
   * Derived state (holders, the liquidation index) is rebuilt on reading.
   */
  void write(SnapshotWriter w) {
    w.putInt(GLOBALS);
    for (long g : globals) {
      w.putLong(g);
    }
    w.putInt(fundNames.size());
    for (int f = 0; f < fundNames.size(); f++) {
      LongArrayList h = fundHistory.get(f);
      w.putString(fundNames.get(f)).putLong(fundBalance[f]).putBoolean(drawdownActive[f]);
      w.putInt(h.size());
      for (int i = 0; i < h.size(); i++) {
        w.putLong(h.getLong(i));
      }
    }
    w.putInt(markets.size());
    for (MarketState m : markets) {
      w.putString(m.name);
      ConfigCodec.write(w, m.config);
      w.putInt(m.fund).putLong(m.mark).putLong(m.previousMark).putLong(m.index);
      w.putLong(m.priceTime).putLong(m.feePool).putLong(m.settledInsurance);
      w.putLong(m.fundingIndex).putLong(m.fundingPool);
      w.putInt(m.quotes.size());
      for (Quote q : m.quotes) {
        w.putInt(q.marginAccount).putBoolean(q.bid).putInt(q.offsets.length);
        for (int k = 0; k < q.offsets.length; k++) {
          w.putLong(q.offsets[k]).putLong(q.notionals[k]);
        }
        w.putLong(q.consumed).putLong(q.consumedTime);
      }
    }
    w.putInt(accountNames.size());
    for (int a = 0; a < accountNames.size(); a++) {
      w.putString(accountNames.get(a)).putEnum(role[a]).putInt(crossOf[a]);
    }
    w.putInt(poolNames.size());
    for (int i = 0; i < poolNames.size(); i++) {
      w.putString(poolNames.get(i)).putInt(poolUser[i]).putInt(poolProvider[i]);
    }
    w.putInt(positionCount);
    w.putInt(freePositions.size());
    for (int i = 0; i < freePositions.size(); i++) {
      w.putInt(freePositions.getInt(i));
    }
    w.putInt(marginAccountCount);
    for (int c = 0; c < marginAccountCount; c++) {
      w.putInt(owner[c])
          .putEnum(marginRef[c].kind())
          .putString(marginRef[c].name())
          .putLong(cash[c]);
      IntArrayList ps = positionsOf[c];
      w.putInt(ps.size());
      for (int i = 0; i < ps.size(); i++) {
        int p = ps.getInt(i);
        w.putInt(p).putInt(posMarket[p]).putLong(posSize[p]).putLong(posCost[p]);
        w.putLong(posFunding[p]);
      }
    }
  }

  /**
   * Reads what {@link #write} wrote into a new ledger, checking that it describes a consistent
   * state: every reference in range, names unique, each account's cross margin account its own,
   * pool sides and isolated margin accounts where their names say, every position row either live
   * in exactly one margin account or free.
   *
   * @throws SnapshotException when it does not
   */
  static Ledger read(SnapshotReader r) {
    Ledger l = new Ledger();
    int globalCount = r.getInt("globals");
    if (globalCount != GLOBALS) {
      throw new SnapshotException("expected " + GLOBALS + " globals, found " + globalCount);
    }
    for (int g = 0; g < GLOBALS; g++) {
      l.globals[g] = r.getLong("global " + g);
    }
    l.readFunds(r);
    l.readMarkets(r);
    int accounts = r.getCount("accounts", 9);
    l.crossOf = new int[Math.max(16, accounts)];
    l.role = new AccountRole[Math.max(16, accounts)];
    for (int a = 0; a < accounts; a++) {
      unique(l.accountIds, l.accountNames, r.getString("account name"), "account");
      l.role[a] = r.getEnum(AccountRole.class, "account role");
      l.crossOf[a] = r.getInt("cross margin account");
    }
    int pools = r.getCount("pools", 12);
    l.poolUser = new int[Math.max(4, pools)];
    l.poolProvider = new int[Math.max(4, pools)];
    for (int i = 0; i < pools; i++) {
      unique(l.poolIds, l.poolNames, r.getString("pool name"), "pool");
      l.poolUser[i] = r.getInt("pool user");
      l.poolProvider[i] = r.getInt("pool provider");
    }
    l.readPositionsAndMarginAccounts(r);
    l.checkReferences();
    l.checkValues();
    long openLots = 0;
    for (int c = 0; c < l.marginAccountCount; c++) {
      for (int i = 0; i < l.positionsOf[c].size(); i++) {
        openLots = Math.addExact(openLots, Math.abs(l.posSize[l.positionsOf[c].getInt(i)]));
      }
    }
    if (openLots != l.globals[G_OPEN_LOTS]) {
      throw new SnapshotException(
          "open lots " + l.globals[G_OPEN_LOTS] + " do not match the positions (" + openLots + ")");
    }
    return l;
  }

  private void readFunds(SnapshotReader r) {
    int funds = r.getCount("funds", 17);
    fundBalance = new long[Math.max(4, funds)];
    drawdownActive = new boolean[Math.max(4, funds)];
    for (int f = 0; f < funds; f++) {
      unique(fundIds, fundNames, r.getString("fund name"), "insurance fund");
      fundBalance[f] = r.getLong("fund balance");
      drawdownActive[f] = r.getBoolean("drawdown flag");
      int n = r.getCount("fund history", 8);
      if (n % 2 != 0) {
        throw new SnapshotException("fund history of odd length " + n);
      }
      LongArrayList h = new LongArrayList(Math.max(n, 2), Long.MIN_VALUE);
      for (int i = 0; i < n; i++) {
        h.addLong(r.getLong("fund history"));
      }
      fundHistory.add(h);
    }
  }

  private void readMarkets(SnapshotReader r) {
    int n = r.getCount("markets", 8);
    for (int id = 0; id < n; id++) {
      String name = r.getString("market name");
      MarketConfig config;
      try {
        config = ConfigCodec.read(r);
      } catch (IllegalArgumentException e) {
        throw new SnapshotException("market " + name + ": " + e.getMessage(), e);
      }
      int fund = r.getIndex("market fund", fundNames.size(), false);
      if (marketIds.containsKey(name)) {
        throw new SnapshotException("market " + name + " appears twice");
      }
      MarketState m = new MarketState(id, name, config, Mechanisms.of(config), fund);
      m.mark = r.getLong("mark");
      m.previousMark = r.getLong("previous mark");
      m.index = r.getLong("index");
      m.priceTime = r.getLong("price time");
      m.feePool = r.getLong("fee pool");
      m.settledInsurance = r.getLong("settled insurance");
      m.fundingIndex = r.getLong("funding index");
      m.fundingPool = r.getLong("funding pool");
      m.centreBand();
      if (m.settledInsurance < 0) {
        throw new SnapshotException("market " + name + ": negative settled insurance");
      }
      int quotes = r.getCount("quotes", 30);
      List<Quote> list = new ArrayList<>(quotes);
      for (int i = 0; i < quotes; i++) {
        int owner = r.getInt("quote margin account");
        boolean bid = r.getBoolean("quote side");
        int levels = r.getCount("quote levels", 16);
        long[] offsets = new long[levels];
        long[] notionals = new long[levels];
        for (int k = 0; k < levels; k++) {
          offsets[k] = r.getLong("level offset");
          notionals[k] = r.getLong("level notional");
        }
        Quote q;
        try {
          q = new Quote(owner, bid, offsets, notionals);
        } catch (IllegalArgumentException e) {
          throw new SnapshotException("market " + name + ": " + e.getMessage(), e);
        }
        q.consumed = r.getLong("quote consumed");
        q.consumedTime = r.getLong("quote consumed time");
        list.add(q);
      }
      m.quotes = List.copyOf(list);
      markets.add(m);
      marketIds.put(name, id);
    }
  }

  private void readPositionsAndMarginAccounts(SnapshotReader r) {
    positionCount = r.getCount("positions", 0);
    int size = Math.max(16, positionCount);
    posMarginAccount = new int[size];
    posMarket = new int[size];
    posSize = new long[size];
    posCost = new long[size];
    posFunding = new long[size];
    boolean[] seen = new boolean[positionCount];
    int free = r.getCount("free positions", 4);
    for (int i = 0; i < free; i++) {
      int p = r.getIndex("free position", positionCount, false);
      claim(seen, p);
      freePositions.addInt(p);
    }
    marginAccountCount = r.getCount("margin accounts", 21);
    int capacity = Math.max(16, marginAccountCount);
    cash = new long[capacity];
    owner = new int[capacity];
    marginRef = new MarginRef[capacity];
    positionsOf = new IntArrayList[capacity];
    for (int c = 0; c < marginAccountCount; c++) {
      owner[c] = r.getIndex("margin account owner", accountNames.size(), false);
      MarginRef.Kind kind = r.getEnum(MarginRef.Kind.class, "margin kind");
      String refName = r.getString("margin name");
      try {
        marginRef[c] = new MarginRef(kind, refName);
      } catch (IllegalArgumentException e) {
        throw new SnapshotException("margin account " + c + ": " + e.getMessage(), e);
      }
      cash[c] = r.getLong("cash");
      positionsOf[c] = new IntArrayList(2, NONE);
      int n = r.getCount("margin account positions", 24);
      for (int i = 0; i < n; i++) {
        int p = r.getIndex("position", positionCount, false);
        claim(seen, p);
        posMarginAccount[p] = c;
        posMarket[p] = r.getIndex("position market", markets.size(), false);
        posSize[p] = r.getLong("position size");
        posCost[p] = r.getLong("position cost");
        posFunding[p] = r.getLong("position funding index");
        if (posSize[p] == 0 && posCost[p] == 0) {
          throw new SnapshotException("position " + p + " is empty but open");
        }
        if (positionOf.containsKey(key(c, posMarket[p]))) {
          throw new SnapshotException("margin account " + c + " holds a market twice");
        }
        MarketState m = markets.get(posMarket[p]);
        if (posSize[p] > 0) {
          m.longLots = Math.addExact(m.longLots, posSize[p]);
        }
        link(p);
      }
    }
    for (int p = 0; p < positionCount; p++) {
      if (!seen[p]) {
        throw new SnapshotException("position row " + p + " is neither open nor free");
      }
    }
  }

  /** Values that no command can produce: the engine would fail on them later. */
  private void checkValues() {
    for (MarketState m : markets) {
      if (m.config.liquidity() instanceof LiquiditySpec.LpCounterparty lpSpec) {
        int lp = accountIds.getValue(lpSpec.account());
        if (lp == NONE || role[lp] != AccountRole.LIQUIDITY_PROVIDER) {
          throw new SnapshotException("market " + m.name + ": its liquidity provider is missing");
        }
      }
      if (m.config.book() != null) {
        String taker =
            switch (m.config.book().takeover()) {
              case TakeoverSpec.Fund f -> "fund:" + fundNames.get(m.fund);
              case TakeoverSpec.Vault v -> v.account();
              case TakeoverSpec.None n -> null;
            };
        AccountRole role =
            m.config.book().takeover() instanceof TakeoverSpec.Fund
                ? AccountRole.INSURANCE_FUND
                : AccountRole.LIQUIDATOR_VAULT;
        int account = taker == null ? NONE : accountIds.getValue(taker);
        if (taker != null && (account == NONE || this.role[account] != role)) {
          throw new SnapshotException("market " + m.name + ": its takeover account is missing");
        }
      }
      if (m.mark < 0 || m.previousMark < 0 || m.index < 0) {
        throw new SnapshotException("market " + m.name + ": a negative price");
      }
      checkQuotes(m);
    }
    for (int i = 0; i < poolNames.size(); i++) {
      if (owner[poolUser[i]] == owner[poolProvider[i]]) {
        throw new SnapshotException("pool " + poolNames.get(i) + ": user and provider are one");
      }
    }
    for (int f = 0; f < fundHistory.size(); f++) {
      LongArrayList h = fundHistory.get(f);
      for (int i = 2; i < h.size(); i += 2) {
        if (h.getLong(i) < h.getLong(i - 2)) {
          throw new SnapshotException("fund " + fundNames.get(f) + ": history out of time order");
        }
      }
    }
    long pools = 0;
    for (MarketState m : markets) {
      pools = Math.addExact(pools, m.feePool);
    }
    if (pools != globals[G_FEES]) {
      throw new SnapshotException("the markets' fee pools do not add up to the fees collected");
    }
    if (globals[G_TIME] < 0) {
      throw new SnapshotException("negative engine time");
    }
  }

  private void checkQuotes(MarketState m) {
    if (!m.quotes.isEmpty() && m.config.book() == null) {
      throw new SnapshotException("market " + m.name + ": resting quotes without an order book");
    }
    for (int i = 0; i < m.quotes.size(); i++) {
      Quote q = m.quotes.get(i);
      if (q.marginAccount < 0 || q.marginAccount >= marginAccountCount) {
        throw new SnapshotException("market " + m.name + ": a quote of no margin account");
      }
      if (i > 0 && Quotes.ORDER.compare(m.quotes.get(i - 1), q) >= 0) {
        throw new SnapshotException("market " + m.name + ": quotes out of order or twice");
      }
      String problem = Quotes.problem(q.offsets, q.notionals);
      if (problem != null) {
        throw new SnapshotException("market " + m.name + ": " + problem);
      }
      if (q.consumed < 0 || q.consumed > q.total() || q.consumedTime > globals[G_TIME]) {
        throw new SnapshotException("market " + m.name + ": a quote's consumption out of range");
      }
    }
  }

  private void checkReferences() {
    for (int a = 0; a < accountNames.size(); a++) {
      int c = crossOf[a];
      if (c < 0
          || c >= marginAccountCount
          || owner[c] != a
          || marginRef[c].kind() != MarginRef.Kind.CROSS) {
        throw new SnapshotException(
            "account " + accountNames.get(a) + ": bad cross margin account");
      }
    }
    for (int i = 0; i < poolNames.size(); i++) {
      for (int side : new int[] {poolUser[i], poolProvider[i]}) {
        if (side < 0
            || side >= marginAccountCount
            || !marginRef[side].equals(MarginRef.pool(poolNames.get(i)))) {
          throw new SnapshotException("pool " + poolNames.get(i) + ": bad side margin account");
        }
      }
    }
    for (int c = 0; c < marginAccountCount; c++) {
      MarginRef ref = marginRef[c];
      boolean ok =
          switch (ref.kind()) {
            case CROSS -> crossOf[owner[c]] == c;
            case ISOLATED -> isolated(c, ref);
            case POOL -> {
              int pool = poolIds.getValue(ref.name());
              yield pool != NONE && (poolUser[pool] == c || poolProvider[pool] == c);
            }
          };
      if (!ok) {
        throw new SnapshotException(
            "margin account " + c + " (" + ref + ") is not where its name says");
      }
    }
  }

  private boolean isolated(int c, MarginRef ref) {
    int market = marketIds.getValue(ref.name());
    if (market == NONE || isolatedOf.containsKey(key(owner[c], market))) {
      return false;
    }
    isolatedOf.put(key(owner[c], market), c);
    IntArrayList ps = positionsOf[c];
    return ps.isEmpty() || (ps.size() == 1 && posMarket[ps.getInt(0)] == market);
  }

  private static void claim(boolean[] seen, int p) {
    if (seen[p]) {
      throw new SnapshotException("position row " + p + " appears twice");
    }
    seen[p] = true;
  }

  private static void unique(
      Object2IntHashMap<String> ids, List<String> names, String name, String what) {
    if (ids.containsKey(name)) {
      throw new SnapshotException(what + " " + name + " appears twice");
    }
    ids.put(name, names.size());
    names.add(name);
  }

  private static long key(int high, int low) {
    return ((long) high << 32) | (low & 0xffffffffL);
  }
}
