package dev.backstop.core.mechanism;

import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.collect.ScratchSets;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.Arrays;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntHashSet;

/**
 * The ADL queue of one side of a market for one queue score, kept between commands, so that a
 * deleveraging costs the positions it takes, not the side.
 *
 * <p>A new mark moves every score, so the queue is not kept in the order of scores but of an upper
 * bound of each score over a band of marks ({@link #BAND_DIVISOR}: 1% either side of the mark the
 * queue was built at): {@link QueueScore#bound} of the position's figures at the band's two ends.
 * That bound holds while the mark stays in the band and nothing else moves the position's score:
 * its account's cash and positions (every change is in the change feed, {@link
 * MarketContext#feedEnd}, read on each use), the market's funding index, the accounts' roles and
 * the market's configuration (any of those moved: the queue is built again). Only accounts whose
 * equity follows this one mark ({@link MarketContext#equityFollowsOneMark}) are bounded; the others
 * (several markets, options) are read exactly on every use.
 *
 * <p>A selection takes positions from a heap by bound and computes each one's exact score as {@link
 * Candidates#book} would; it hands out the best exact one once no bound left in the heap reaches
 * its score (a tie goes on reading, for the tie-break), so what it hands out is exactly the prefix
 * of the side's ranking at the current mark, and it reads only the positions whose bound reaches
 * the scores it takes. Within one command the heap is frozen: the k bankruptcies of a tick walk it
 * once between them, each going on from where the last stopped, and an account the command changed
 * is read from the ledger until the next command places it again. With {@link SideBook#VERIFY},
 * every use checks the bounds against the ledger and the selection against the policy's allocation
 * on the whole side.
 */
final class AdlQueue {

  /** The band of marks a build holds for: the mark, less and plus this fraction of it (1%). */
  static final long BAND_DIVISOR = 100;

  private static final int NO_SLOT = -1;
  private static final int NO_ROW = -1;

  private record Key(int market, boolean longs, QueueScore score) {}

  private final MarketContext ctx;
  private final int market;
  private final boolean longs;
  private final QueueScore score;

  // What the bounds were computed under; any other value: build again.
  private boolean built;
  private long low;
  private long high;
  private long fundingIndex;
  private long structureWrites;
  private MarketConfig config;
  private long feedRead;

  // Bounded positions, one slot each; freed slots are reused. A slot's figures lie together (one
  // cache line or two for a read): at 4 * slot the size, cost, entry per lot and base, at 2 * slot
  // the margin account and the position.
  private static final int SIZE = 0;
  private static final int COST = 1;
  private static final int ENTRY = 2;
  private static final int BASE = 3;
  private int slots;
  private long[] figures = new long[64];
  private int[] ids = new int[32];
  private int[] free = new int[16];
  private int freeCount;

  /**
   * Max-heap of slots by bound, the bound kept beside the slot ({@code heapBound[k]} is {@code
   * heap[k]}'s), so that a sift reads no slot; {@code at[slot]} is a slot's place in it.
   */
  private int[] heap = new int[16];

  private long[] heapBound = new long[16];
  private int[] at = new int[16];
  private int heapSize;

  /** Slot + 1 of each margin account's position, 0 for none (indexed by margin account). */
  private int[] slotPlusOne = new int[16];

  /** Margin accounts whose equity does not follow this mark alone: read exactly on each use. */
  private final IntHashSet exact = new IntHashSet();

  // A selection's rows: positions read exactly, and a heap of them in rank order.
  private int rows;
  private int[] rowAccount = new int[16];
  private int[] rowPosition = new int[16];
  private long[] rowPnl = new long[16];
  private long[] rowEquity = new long[16];
  private long[] rowSize = new long[16];
  private long[] rowEntry = new long[16];
  private long[] rowScore = new long[16];
  private int[] ranked = new int[16];
  private int rankedSize;

  /** Each row's account's row, while the row is live (an account changed: its row is dead). */
  private final Int2IntHashMap rowOf = new Int2IntHashMap(NO_ROW);

  private boolean[] rowDead = new boolean[16];

  /**
   * The command's walk of the heap: places in it, a max-heap by bound (the heap does not change
   * during a command); every place taken from it was read, or its slot was left out.
   */
  private int[] walk = new int[16];

  private int walkSize;

  /** Slots left out of the walk: their account changed during the command. */
  private boolean[] left = new boolean[16];

  /** Accounts changed during the command, to be placed at the next command's first use. */
  private final IntHashSet deferred = new IntHashSet();

  /** The command the selection state belongs to ({@link MarketContext#commandMemo}), its marks. */
  private final Object tokenKey = new Object();

  private Object commandToken;
  private long commandMarks;

  /** The mark per lot of the command's selection state (a new mark starts a new state). */
  private long markPerLot;

  private AdlQueue(MarketContext ctx, int market, boolean longs, QueueScore score) {
    this.ctx = ctx;
    this.market = market;
    this.longs = longs;
    this.score = score;
  }

  /** The queue of {@code market}'s side ({@code longs} or shorts) by {@code score}, up to date. */
  static AdlQueue of(MarketContext ctx, int market, boolean longs, QueueScore score) {
    AdlQueue queue =
        ctx.keptMemo(new Key(market, longs, score), () -> new AdlQueue(ctx, market, longs, score));
    try {
      queue.sync();
    } catch (RuntimeException e) {
      queue.built = false;
      throw e;
    }
    return queue;
  }

  /**
   * The candidates a {@code SIZE} allocation of {@code lots} by the queue {@code policy} (ranked by
   * this queue's score) touches, in rank order: the shortest prefix of the ranking of the side's
   * profitable positions (other than {@code except}'s) whose sizes reach {@code lots}, all of them
   * when none does.
   */
  SideBook.Round leaders(AllocationPolicy policy, long lots, int except) {
    int[] taken = select(lots, except, false);
    int[] positions = new int[taken.length];
    CandidateBook.Builder book = CandidateBook.builder(taken.length);
    for (int k = 0; k < taken.length; k++) {
      int r = taken[k];
      positions[k] = rowPosition[r];
      book.addPosition(rowAccount[r], rowPnl[r], rowEquity[r], rowSize[r], markPerLot, rowEntry[r]);
    }
    return new SideBook.Round(positions, book.build(), policy);
  }

  /** Whether the side has a profitable position of an account other than {@code except}. */
  boolean hasCandidate(int except) {
    return select(1, except, true).length > 0;
  }

  // ---------------------------------------------------------------- keeping up

  /**
   * Brings the queue up to the ledger. The first use in a command (or after a new mark) applies
   * what the last command deferred, catches up with the feed and starts a selection state for the
   * command: the heap is then frozen for the rest of the command, so that each later round of the
   * command goes on walking it from where the last one stopped. A later round of the same command
   * reads each account changed since (the feed) from the ledger instead, its slot left out of the
   * walk and its heap entry brought up to date at the next command's first use.
   */
  private void sync() {
    Object token = ctx.commandMemo(tokenKey, Object::new);
    if (built && token == commandToken && ctx.markWrites() == commandMarks) {
      long end = ctx.feedEnd();
      for (long k = feedRead; k < end; k++) {
        int c = ctx.feedAccount(k);
        if (c != MarketContext.NONE) {
          changedInCommand(c);
        }
      }
      feedRead = end;
      return;
    }
    commandToken = null;
    IntHashSet.IntIterator changed = deferred.iterator();
    while (changed.hasNext()) {
      int c = changed.nextValue();
      int slot = slotOf(c);
      if (slot != NO_SLOT) {
        left[slot] = false;
      }
      if (built) {
        place(c, ctx.position(c, market), false);
      }
    }
    ScratchSets.clear(deferred);
    catchUp();
    // a new selection state for this command
    rows = 0;
    rankedSize = 0;
    ScratchSets.clear(rowOf);
    walkSize = 0;
    if (heapSize > 0) {
      walk[walkSize++] = 0;
    }
    markPerLot = Math.multiplyExact(ctx.mark(market), config.notionalUnit());
    IntHashSet.IntIterator it = exact.iterator();
    while (it.hasNext()) {
      read(it.nextValue());
    }
    commandToken = token;
    commandMarks = ctx.markWrites();
  }

  /** Catches up with the feed, or builds again when the bounds may no longer hold. */
  private void catchUp() {
    long mark = ctx.mark(market);
    long pending = ctx.feedEnd() - feedRead;
    if (!built
        || mark < low
        || mark > high
        || ctx.fundingIndex(market) != fundingIndex
        || ctx.structureWrites() != structureWrites
        || ctx.config(market) != config
        || feedRead < ctx.feedStart()
        || pending > (long) slots + exact.size() + 1024) {
      build(mark);
      return;
    }
    long end = ctx.feedEnd();
    for (long k = feedRead; k < end; k++) {
      int c = ctx.feedAccount(k);
      if (c != MarketContext.NONE) {
        place(c, ctx.position(c, market), false);
      }
    }
    feedRead = end;
  }

  /**
   * Account {@code c} changed during the command: its row (if any) is dead, its slot (if any) left
   * out of the walk, and it is read again from the ledger; its heap entry waits for the next
   * command.
   */
  private void changedInCommand(int c) {
    int row = rowOf.get(c);
    if (row != NO_ROW) {
      rowDead[row] = true;
      rowOf.remove(c);
    }
    int slot = slotOf(c);
    if (slot != NO_SLOT) {
      left[slot] = true;
    }
    deferred.add(c);
    read(c);
  }

  private void build(long mark) {
    built = false;
    ScratchSets.clear(deferred);
    config = ctx.config(market);
    long unit = config.notionalUnit();
    low = Math.max(1, mark - mark / BAND_DIVISOR);
    high = mark + mark / BAND_DIVISOR;
    if (Math.multiplyHigh(high, unit) != 0 || high * unit < 0) {
      high = mark;
    }
    fundingIndex = ctx.fundingIndex(market);
    structureWrites = ctx.structureWrites();
    feedRead = ctx.feedEnd();
    slots = 0;
    freeCount = 0;
    heapSize = 0;
    Arrays.fill(slotPlusOne, 0);
    ScratchSets.clear(exact);
    for (int q : ctx.backstopPositions(market)) {
      place(ctx.marginAccountOf(q), q, true);
    }
    for (int k = heapSize / 2 - 1; k >= 0; k--) {
      siftDown(k);
    }
    built = true;
  }

  /**
   * Brings margin account {@code c}'s entry up to the ledger, {@code q} its position in this market
   * or {@link MarketContext#NONE}; while {@code building}, slots go into the heap unordered. A
   * bounded position keeps what its score needs at any mark: its size, cost, entry per lot and
   * {@code base = E - size * markPerLot}, the part of its equity the mark does not move.
   */
  private void place(int c, int q, boolean building) {
    int slot = slotOf(c);
    if (q == MarketContext.NONE || (ctx.size(q) > 0) != longs || !ctx.isBackstopAccount(c)) {
      exact.remove(c);
      drop(slot, c);
      return;
    }
    long size = ctx.size(q);
    long lots = Math.abs(size);
    long cost = ctx.cost(q);
    long b;
    long entry;
    long base;
    try {
      if (!ctx.equityFollowsOneMark(c)) {
        throw new ArithmeticException("read exactly");
      }
      long unit = config.notionalUnit();
      entry = Fixed.divide(Math.abs(cost), lots, RoundingMode.FLOOR);
      long nowPerLot = Math.multiplyExact(ctx.mark(market), unit);
      base = Math.subtractExact(ctx.equity(c), Math.multiplyExact(size, nowPerLot));
      long lowPerLot = Math.multiplyExact(low, unit);
      long highPerLot = Math.multiplyExact(high, unit);
      long lowValue = Math.multiplyExact(size, lowPerLot);
      long highValue = Math.multiplyExact(size, highPerLot);
      long pnlLow = Math.subtractExact(lowValue, cost);
      long pnlHigh = Math.subtractExact(highValue, cost);
      b =
          pnlLow <= 0 && pnlHigh <= 0
              ? Long.MIN_VALUE
              : score.bound(
                  longs,
                  pnlLow,
                  Math.addExact(base, lowValue),
                  Math.multiplyExact(lots, lowPerLot),
                  pnlHigh,
                  Math.addExact(base, highValue),
                  Math.multiplyExact(lots, highPerLot),
                  Math.multiplyExact(lots, entry));
    } catch (ArithmeticException e) {
      // several markets, options, or a figure at an end of the band out of range: read exactly
      drop(slot, c);
      exact.add(c);
      return;
    }
    exact.remove(c);
    if (b == Long.MIN_VALUE) {
      // profitable nowhere in the band
      drop(slot, c);
      return;
    }
    if (slot == NO_SLOT) {
      slot = newSlot(c);
      heap[heapSize] = slot;
      heapBound[heapSize] = b;
      at[slot] = heapSize;
      heapSize++;
      if (!building) {
        siftUp(at[slot]);
      }
    } else {
      int k = at[slot];
      long before = heapBound[k];
      heapBound[k] = b;
      if (b > before) {
        siftUp(k);
      } else if (b < before) {
        siftDown(k);
      }
    }
    ids[2 * slot + 1] = q;
    int f = 4 * slot;
    figures[f + SIZE] = size;
    figures[f + COST] = cost;
    figures[f + ENTRY] = entry;
    figures[f + BASE] = base;
  }

  private int slotOf(int c) {
    return c < slotPlusOne.length ? slotPlusOne[c] - 1 : NO_SLOT;
  }

  private int newSlot(int c) {
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      if (slots == at.length) {
        int n = Math.multiplyExact(slots, 2);
        figures = Arrays.copyOf(figures, Math.multiplyExact(n, 4));
        ids = Arrays.copyOf(ids, Math.multiplyExact(n, 2));
        heapBound = Arrays.copyOf(heapBound, n);
        heap = Arrays.copyOf(heap, n);
        left = Arrays.copyOf(left, n);
        at = Arrays.copyOf(at, n);
        free = Arrays.copyOf(free, n);
      }
      slot = slots++;
    }
    left[slot] = false;
    ids[2 * slot] = c;
    if (c >= slotPlusOne.length) {
      slotPlusOne = Arrays.copyOf(slotPlusOne, Math.max(c + 1, 2 * slotPlusOne.length));
    }
    slotPlusOne[c] = slot + 1;
    return slot;
  }

  private void drop(int slot, int c) {
    if (slot == NO_SLOT) {
      return;
    }
    slotPlusOne[c] = 0;
    int k = at[slot];
    int last = heap[--heapSize];
    if (k < heapSize) {
      heap[k] = last;
      heapBound[k] = heapBound[heapSize];
      at[last] = k;
      siftUp(k);
      siftDown(at[last]);
    }
    free[freeCount++] = slot;
  }

  // ---------------------------------------------------------------- selection

  /**
   * The rows taken, in rank order, until their sizes reach {@code lots} or the side runs out; with
   * {@code any}, the first qualifying row only. The heap is walked in the order of bounds (a small
   * heap of its places, from the root: a place's children enter when it leaves), not changed.
   */
  private int[] select(long lots, int except, boolean any) {
    int[] taken = new int[4];
    int k = 0;
    long covered = 0;
    while (covered < lots) {
      dropDeadTop();
      while (walkSize > 0 && (rankedSize == 0 || heapBound[walk[0]] >= rowScore[ranked[0]])) {
        int slot = heap[nextPlace()];
        if (!left[slot]) {
          readSlot(slot);
          dropDeadTop();
          if (any && rankedSize > 0) {
            break;
          }
        }
      }
      if (rankedSize == 0) {
        break;
      }
      int r = popRanked();
      if (rowAccount[r] == except) {
        // its position in this market is on the other side, the one deleveraged
        throw new IllegalStateException("a bankrupt account on both sides of a market");
      }
      if (k == taken.length) {
        taken = Arrays.copyOf(taken, 2 * k);
      }
      taken[k++] = r;
      covered = Math.addExact(covered, rowSize[r]);
    }
    // A read: what was taken goes back, for the command's later rounds (a fill kills its row)
    for (int i = 0; i < k; i++) {
      rank(taken[i]);
    }
    return Arrays.copyOf(taken, k);
  }

  /** Takes the walk's place of the highest bound, and lets its children in. */
  private int nextPlace() {
    int top = walk[0];
    int last = walk[--walkSize];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= walkSize) {
        break;
      }
      if (child + 1 < walkSize && heapBound[walk[child + 1]] > heapBound[walk[child]]) {
        child++;
      }
      if (heapBound[walk[child]] <= heapBound[last]) {
        break;
      }
      walk[i] = walk[child];
      i = child;
    }
    if (walkSize > 0) {
      walk[i] = last;
    }
    for (int child = 2 * top + 1; child <= 2 * top + 2 && child < heapSize; child++) {
      if (walkSize == walk.length) {
        walk = Arrays.copyOf(walk, 2 * walkSize);
      }
      int j = walkSize++;
      while (j > 0) {
        int parent = (j - 1) >>> 1;
        if (heapBound[walk[parent]] >= heapBound[child]) {
          break;
        }
        walk[j] = walk[parent];
        j = parent;
      }
      walk[j] = child;
    }
    return top;
  }

  /** Reads {@code c}'s position from the ledger, as {@link Candidates#book} does. */
  private void read(int c) {
    int q = ctx.position(c, market);
    if (q == MarketContext.NONE || (ctx.size(q) > 0) != longs || !ctx.isBackstopAccount(c)) {
      return;
    }
    long pnl = ctx.unrealizedPnl(q);
    if (pnl > 0) {
      long lots = Math.abs(ctx.size(q));
      long entry = Fixed.divide(Math.abs(ctx.cost(q)), lots, RoundingMode.FLOOR);
      addRow(c, q, pnl, ctx.equity(c), lots, entry);
    }
  }

  /**
   * Reads a bounded slot's position at the current mark from what the slot keeps: the same figures
   * as the ledger's while the slot is current (checked with {@link SideBook#VERIFY}).
   */
  private void readSlot(int slot) {
    int c = ids[2 * slot];
    int f = 4 * slot;
    long value = Math.multiplyExact(figures[f + SIZE], markPerLot);
    long pnl = Math.subtractExact(value, figures[f + COST]);
    if (pnl > 0) {
      addRow(
          c,
          ids[2 * slot + 1],
          pnl,
          Math.addExact(figures[f + BASE], value),
          Math.abs(figures[f + SIZE]),
          figures[f + ENTRY]);
    }
  }

  /** Adds a profitable position's row, live, and ranks it. */
  private void addRow(int c, int q, long pnl, long equity, long lots, long entry) {
    if (rows == rowAccount.length) {
      int n = Math.multiplyExact(rows, 2);
      rowAccount = Arrays.copyOf(rowAccount, n);
      rowPosition = Arrays.copyOf(rowPosition, n);
      rowPnl = Arrays.copyOf(rowPnl, n);
      rowEquity = Arrays.copyOf(rowEquity, n);
      rowSize = Arrays.copyOf(rowSize, n);
      rowEntry = Arrays.copyOf(rowEntry, n);
      rowScore = Arrays.copyOf(rowScore, n);
      rowDead = Arrays.copyOf(rowDead, n);
      ranked = Arrays.copyOf(ranked, n);
    }
    int r = rows++;
    rowAccount[r] = c;
    rowPosition[r] = q;
    rowPnl[r] = pnl;
    rowEquity[r] = equity;
    rowSize[r] = lots;
    rowEntry[r] = entry;
    rowDead[r] = false;
    rowScore[r] =
        score.score(
            pnl, equity, Math.multiplyExact(lots, markPerLot), Math.multiplyExact(lots, entry));
    rowOf.put(c, r);
    rank(r);
  }

  /** Puts row {@code r} into the rank heap. */
  private void rank(int r) {
    if (rankedSize == ranked.length) {
      ranked = Arrays.copyOf(ranked, 2 * rankedSize);
    }
    int i = rankedSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!first(r, ranked[parent])) {
        break;
      }
      ranked[i] = ranked[parent];
      i = parent;
    }
    ranked[i] = r;
  }

  /** Drops dead rows off the top of the rank heap. */
  private void dropDeadTop() {
    while (rankedSize > 0 && rowDead[ranked[0]]) {
      popRanked();
    }
  }

  /** Whether row {@code a} is deleveraged before row {@code b}. */
  private boolean first(int a, int b) {
    return score.compare(
            rowAccount[a],
            rowScore[a],
            rowPnl[a],
            rowEquity[a],
            rowAccount[b],
            rowScore[b],
            rowPnl[b],
            rowEquity[b])
        < 0;
  }

  private int popRanked() {
    int top = ranked[0];
    int last = ranked[--rankedSize];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= rankedSize) {
        break;
      }
      if (child + 1 < rankedSize && first(ranked[child + 1], ranked[child])) {
        child++;
      }
      if (!first(ranked[child], last)) {
        break;
      }
      ranked[i] = ranked[child];
      i = child;
    }
    if (rankedSize > 0) {
      ranked[i] = last;
    }
    return top;
  }

  // ---------------------------------------------------------------- the heap of bounds

  private void siftUp(int from) {
    int k = from;
    int slot = heap[k];
    long b = heapBound[k];
    while (k > 0) {
      int parent = (k - 1) >>> 1;
      if (heapBound[parent] >= b) {
        break;
      }
      heap[k] = heap[parent];
      heapBound[k] = heapBound[parent];
      at[heap[k]] = k;
      k = parent;
    }
    heap[k] = slot;
    heapBound[k] = b;
    at[slot] = k;
  }

  private void siftDown(int from) {
    int k = from;
    int slot = heap[k];
    long b = heapBound[k];
    while (true) {
      int child = 2 * k + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && heapBound[child + 1] > heapBound[child]) {
        child++;
      }
      if (heapBound[child] <= b) {
        break;
      }
      heap[k] = heap[child];
      heapBound[k] = heapBound[child];
      at[heap[k]] = k;
      k = child;
    }
    heap[k] = slot;
    heapBound[k] = b;
    at[slot] = k;
  }

  // ---------------------------------------------------------------- checks (tests)

  /**
   * Fails unless the queue is the ledger's side: every backstop position of the side is read
   * exactly or kept in a slot whose figures are the ledger's and whose bound is at least its score
   * (one not profitable anywhere in the band may be left out), and nothing else is in the queue.
   */
  void check() {
    int n = 0;
    for (int q : ctx.backstopPositions(market)) {
      int c = ctx.marginAccountOf(q);
      if (deferred.contains(c)) {
        // changed during this command: read from the ledger until the next command places it
        continue;
      }
      int slot = slotOf(c);
      if ((ctx.size(q) > 0) != longs) {
        if (slot != NO_SLOT || exact.contains(c)) {
          throw new IllegalStateException("ADL queue of market " + market + " holds a wrong side");
        }
        continue;
      }
      if (exact.contains(c)) {
        n++;
        continue;
      }
      if (slot != NO_SLOT) {
        n++;
        int f = 4 * slot;
        if (ids[2 * slot + 1] != q
            || figures[f + SIZE] != ctx.size(q)
            || figures[f + COST] != ctx.cost(q)
            || figures[f + BASE] + figures[f + SIZE] * markPerLot != ctx.equity(c)) {
          throw new IllegalStateException(
              "ADL queue of market " + market + ": account " + c + "'s figures are stale");
        }
      }
      long pnl = ctx.unrealizedPnl(q);
      if (pnl <= 0) {
        continue;
      }
      long lots = Math.abs(ctx.size(q));
      long entry = Fixed.divide(Math.abs(ctx.cost(q)), lots, RoundingMode.FLOOR);
      long exactScore =
          score.score(
              pnl,
              ctx.equity(c),
              Math.multiplyExact(lots, markPerLot),
              Math.multiplyExact(lots, entry));
      if (slot == NO_SLOT || heapBound[at[slot]] < exactScore) {
        throw new IllegalStateException(
            "ADL queue of market "
                + market
                + ": account "
                + c
                + "'s score "
                + exactScore
                + " is above its bound "
                + (slot == NO_SLOT ? "(none)" : Long.toString(heapBound[at[slot]])));
      }
    }
    if (deferred.isEmpty() && n != heapSize + exact.size()) {
      throw new IllegalStateException(
          "ADL queue of market " + market + " holds accounts that are not on its side");
    }
  }
}
