package dev.backstop.core.mechanism;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.adl.allocation.RandomPolicy;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.Arrays;
import org.agrona.collections.IntHashSet;

/**
 * The deleveraging candidates of one side of a market: for a queue policy, its {@link AdlQueue}
 * kept between commands; for any other, the profitable backstop positions of the side kept for the
 * rest of one command: a crash tick that bankrupts k positions deleverages k times against the same
 * side, and each round changes only the few accounts it filled. The side is read once (the first
 * round of the command); later rounds catch up with the accounts the ledger's change feed names
 * since the last round, recomputing only those.
 *
 * <p>What a round gets is exactly what {@link Candidates#positions} and {@link Candidates#book}
 * would build from the ledger at that moment (positions in ascending id, the same figures), and for
 * a queue the prefix of that book's ranking the policy's allocation touches: with the system
 * property {@code backstop.verifyDeleveragingSides} set (the core's tests set it), every round
 * builds both and fails on any difference. A mark set during the command starts the side over.
 */
public final class SideBook {

  static final boolean VERIFY = Boolean.getBoolean("backstop.verifyDeleveragingSides");

  private record Key(int market, boolean longs, boolean factorAdjusted) {}

  /**
   * Candidates of a round: positions and their book, candidate {@code i} of one the other's, and
   * the policy to allocate on that book (the drawn policy, or its form for a book of only the
   * candidates it visits: {@link RandomPolicy#visited}).
   */
  record Round(int[] positions, CandidateBook book, AllocationPolicy policy) {}

  private final MarketContext ctx;
  private final int market;
  private final boolean longs;
  private final boolean factorAdjusted;
  private long markWrites;
  private long feedRead;

  // Slots: one per candidate position ever held here this command; a slot never comes back.
  private int count;
  private int[] position = new int[16];
  private long[] pnl = new long[16];
  private long[] equity = new long[16];
  private long[] size = new long[16];
  private long[] entry = new long[16];
  private boolean[] live = new boolean[16];
  private int liveCount;

  /** Slot + 1 of each margin account's candidate, 0 for none (indexed by margin account id). */
  private int[] slotPlusOne = new int[16];

  /** Whether the live slots are in ascending position id (then no sort for a whole-side round). */
  private boolean ordered = true;

  private int lastPosition = -1;
  private long markPerLot;

  /**
   * The live slots by ascending margin account (the order of dYdX's visit), null until a visit asks
   * for it or after a slot was added; a slot that dies stays in it, counted out in {@link
   * #liveById} (a Fenwick tree over its places), so that the k-th live one is found in log time.
   */
  private int[] byId;

  private int[] byIdPlace;
  private int[] liveById;

  private SideBook(MarketContext ctx, int market, boolean longs, boolean factorAdjusted) {
    this.ctx = ctx;
    this.market = market;
    this.longs = longs;
    this.factorAdjusted = factorAdjusted;
    build();
  }

  /** The side of {@code market} ({@code longs} or shorts) as it is now, kept for the command. */
  static SideBook of(MarketContext ctx, int market, boolean longs, boolean factorAdjusted) {
    SideBook side =
        ctx.commandMemo(
            new Key(market, longs, factorAdjusted),
            () -> new SideBook(ctx, market, longs, factorAdjusted));
    side.catchUp();
    return side;
  }

  private void build() {
    markWrites = ctx.markWrites();
    feedRead = ctx.feedEnd();
    count = 0;
    liveCount = 0;
    Arrays.fill(slotPlusOne, 0);
    ordered = true;
    lastPosition = -1;
    byId = null;
    markPerLot = Math.multiplyExact(ctx.mark(market), ctx.config(market).notionalUnit());
    // In position order: rows are laid out in it, so each account's equity is read in memory
    // order (the hash set's order cost a cache miss per account: 2.4 times the tick at 100,000)
    for (int q : ctx.backstopPositions(market)) {
      if (qualifies(q)) {
        addSlot(q);
      }
    }
  }

  private boolean qualifies(int q) {
    return (ctx.size(q) > 0) == longs && ctx.unrealizedPnl(q) > 0;
  }

  /** Reads what changed since the last round; a new mark means starting over. */
  private void catchUp() {
    if (ctx.markWrites() != markWrites) {
      build();
      return;
    }
    long end = ctx.feedEnd();
    if (end == feedRead) {
      return;
    }
    IntHashSet seen = new IntHashSet();
    for (long k = feedRead; k < end; k++) {
      int c = ctx.feedAccount(k);
      if (c != MarketContext.NONE && seen.add(c)) {
        refresh(c);
      }
    }
    feedRead = end;
  }

  /** Brings margin account {@code c}'s candidate (if any) up to the ledger. */
  private void refresh(int c) {
    int slot = slotOf(c);
    int q = ctx.position(c, market);
    boolean candidate = q != MarketContext.NONE && ctx.isBackstopAccount(c) && qualifies(q);
    if (slot != -1 && candidate && position[slot] == q) {
      read(slot, q);
      return;
    }
    if (slot != -1) {
      live[slot] = false;
      liveCount--;
      slotPlusOne[c] = 0;
      if (byId != null) {
        for (int k = byIdPlace[slot] + 1; k <= byId.length; k += k & -k) {
          liveById[k]--;
        }
      }
    }
    if (candidate) {
      addSlot(q);
    }
  }

  private int slotOf(int marginAccount) {
    return marginAccount < slotPlusOne.length ? slotPlusOne[marginAccount] - 1 : -1;
  }

  private void setSlot(int marginAccount, int slot) {
    if (marginAccount >= slotPlusOne.length) {
      slotPlusOne = Arrays.copyOf(slotPlusOne, Math.max(marginAccount + 1, 2 * slotPlusOne.length));
    }
    slotPlusOne[marginAccount] = slot + 1;
  }

  private int addSlot(int q) {
    if (count == position.length) {
      int n = Math.multiplyExact(count, 2);
      position = Arrays.copyOf(position, n);
      pnl = Arrays.copyOf(pnl, n);
      equity = Arrays.copyOf(equity, n);
      size = Arrays.copyOf(size, n);
      entry = Arrays.copyOf(entry, n);
      live = Arrays.copyOf(live, n);
    }
    int slot = count++;
    byId = null;
    position[slot] = q;
    live[slot] = true;
    liveCount++;
    setSlot(ctx.marginAccountOf(q), slot);
    if (q < lastPosition) {
      ordered = false;
    }
    lastPosition = Math.max(lastPosition, q);
    read(slot, q);
    return slot;
  }

  /** A candidate's figures as {@link Candidates#book} computes them. */
  private void read(int slot, int q) {
    long lots = Math.abs(ctx.size(q));
    int c = ctx.marginAccountOf(q);
    size[slot] = lots;
    entry[slot] = Fixed.divide(Math.abs(ctx.cost(q)), lots, RoundingMode.FLOOR);
    equity[slot] = factorAdjusted ? Candidates.factorEquity(ctx, q) : ctx.equity(c);
    pnl[slot] = ctx.unrealizedPnl(q);
  }

  /** The live slots in ascending position id ({@code sorted}) or in slot order. */
  private int[] liveSlots(boolean sorted) {
    int[] slots = new int[liveCount];
    int n = 0;
    for (int s = 0; s < count; s++) {
      if (live[s]) {
        slots[n++] = s;
      }
    }
    if (sorted && !ordered) {
      long[] keys = new long[n];
      for (int k = 0; k < n; k++) {
        keys[k] = ((long) position[slots[k]] << 32) | slots[k];
      }
      Arrays.sort(keys);
      for (int k = 0; k < n; k++) {
        slots[k] = (int) keys[k];
      }
    }
    return slots;
  }

  /** The whole side: every candidate, by ascending position id. */
  Round whole() {
    if (!ordered) {
      // once in position order, the slots stay so until a candidate is added out of order
      compact(true);
    }
    return round(liveSlots(true), null);
  }

  private Round round(int[] slots, AllocationPolicy policy) {
    int[] positions = new int[slots.length];
    CandidateBook.Builder b = CandidateBook.builder(slots.length);
    for (int k = 0; k < slots.length; k++) {
      int s = slots[k];
      positions[k] = position[s];
      b.addPosition(
          ctx.marginAccountOf(position[s]), pnl[s], equity[s], size[s], markPerLot, entry[s]);
    }
    return new Round(positions, b.build(), policy);
  }

  /**
   * The candidates dYdX's random start visits for {@code lots}, in the order of the visit: from
   * {@link RandomPolicy#start} of the live side's ascending margin accounts, cyclically, until
   * their sizes reach {@code lots} or {@link RandomPolicy#maxIterations} were visited. Costs the
   * candidates visited (and one sort of the side per command), not the side.
   */
  Round visit(RandomPolicy policy, long lots) {
    if (byId == null) {
      sortById();
    }
    int n = liveCount;
    int begin = n == 0 ? 0 : policy.start(n);
    int limit = Math.min(n, policy.maxIterations());
    int[] slots = new int[limit];
    int visited = 0;
    for (long sum = 0; visited < limit && sum < lots; visited++) {
      int s = byId[liveAt((begin + visited) % n)];
      slots[visited] = s;
      sum = Math.addExact(sum, size[s]);
    }
    return round(Arrays.copyOf(slots, visited), policy.visited());
  }

  private void sortById() {
    long[] keys = new long[liveCount];
    int n = 0;
    for (int s = 0; s < count; s++) {
      if (live[s]) {
        keys[n++] = ((long) ctx.marginAccountOf(position[s]) << 32) | s;
      }
    }
    Arrays.sort(keys);
    byId = new int[n];
    byIdPlace = new int[count];
    liveById = new int[n + 1];
    for (int k = 0; k < n; k++) {
      byId[k] = (int) keys[k];
      byIdPlace[byId[k]] = k;
      liveById[k + 1]++;
      int parent = (k + 1) + ((k + 1) & -(k + 1));
      if (parent <= n) {
        liveById[parent] += liveById[k + 1];
      }
    }
  }

  /** The place in {@link #byId} of the {@code k}-th (from 0) live slot. */
  private int liveAt(int k) {
    int place = 0;
    int left = k;
    for (int step = Integer.highestOneBit(Math.max(1, byId.length)); step > 0; step >>= 1) {
      int next = place + step;
      if (next <= byId.length && liveById[next] <= left) {
        place = next;
        left -= liveById[next];
      }
    }
    return place;
  }

  /**
   * Drops dead slots, so that slot {@code i} is candidate {@code i} of the live side's book; with
   * {@code sort}, in ascending position id.
   */
  private void compact(boolean sort) {
    int[] slots = liveSlots(sort);
    int n = slots.length;
    int[] p = new int[Math.max(n, 16)];
    long[] pl = new long[p.length];
    long[] eq = new long[p.length];
    long[] sz = new long[p.length];
    long[] en = new long[p.length];
    for (int k = 0; k < n; k++) {
      int s = slots[k];
      p[k] = position[s];
      pl[k] = pnl[s];
      eq[k] = equity[s];
      sz[k] = size[s];
      en[k] = entry[s];
    }
    byId = null;
    position = p;
    pnl = pl;
    equity = eq;
    size = sz;
    entry = en;
    live = new boolean[p.length];
    Arrays.fill(live, 0, n, true);
    count = n;
    liveCount = n;
    if (sort) {
      ordered = true;
    }
    lastPosition = -1;
    for (int k = 0; k < n; k++) {
      lastPosition = Math.max(lastPosition, p[k]);
    }
    Arrays.fill(slotPlusOne, 0);
    for (int k = 0; k < n; k++) {
      setSlot(ctx.marginAccountOf(p[k]), k);
    }
  }

  /**
   * Whether the side holds a candidate of an account other than {@code except}: read from the side
   * kept for the command (a scan of the market's holders found none only after reading them all,
   * once per bankruptcy, when the side had run out of winners). With {@link #VERIFY}, checked
   * against that scan.
   */
  static boolean hasCandidate(
      MarketContext ctx, int market, boolean longs, AllocationPolicy policy, int except) {
    boolean has;
    AdlQueue queue = keptQueue(ctx, market, longs, policy);
    if (queue != null) {
      has = queue.hasCandidate(except);
    } else {
      SideBook side = of(ctx, market, longs, policy.factorAdjusted());
      int own = except < 0 ? -1 : side.slotOf(except);
      has = side.liveCount > (own != -1 && side.live[own] ? 1 : 0);
    }
    if (VERIFY && has != ctx.hasProfitableBackstopPosition(market, longs, except)) {
      throw new IllegalStateException("deleveraging side of market " + market + " differs");
    }
    return has;
  }

  /**
   * The candidates of a deleveraging round of {@code lots} against the side of {@code market}
   * ({@code longs}) by {@code policy}: a queue's leaders from its {@link AdlQueue}, dYdX's visit,
   * else the whole side. With {@link #VERIFY}, checked against the round built from scratch.
   */
  static Round candidates(
      MarketContext ctx,
      int market,
      boolean longs,
      int except,
      AllocationPolicy policy,
      boolean factorAdjusted,
      long lots) {
    AdlQueue queue = keptQueue(ctx, market, longs, policy);
    if (queue != null) {
      Round round = queue.leaders(policy, lots, except);
      if (VERIFY) {
        verifyPrefix(ctx, market, longs, except, policy, lots, round);
      }
      return round;
    }
    SideBook side = of(ctx, market, longs, factorAdjusted);
    Round round;
    if (policy instanceof RandomPolicy random) {
      round = side.visit(random, lots);
    } else {
      Round whole = side.whole();
      for (int q : whole.positions()) {
        if (ctx.marginAccountOf(q) == except) {
          throw new IllegalStateException("a bankrupt account on both sides of a market");
        }
      }
      round = new Round(whole.positions(), whole.book(), policy);
    }
    if (VERIFY) {
      verify(ctx, market, longs, except, policy, factorAdjusted, lots, round);
    }
    return round;
  }

  /**
   * The queue kept between commands for a queue policy ({@link AllocationPolicy#rankingScore}) on
   * unadjusted equity, up to date (with {@link #VERIFY}, its bounds checked); null for any other.
   */
  private static AdlQueue keptQueue(
      MarketContext ctx, int market, boolean longs, AllocationPolicy policy) {
    if (policy.rankingScore() == null || policy.factorAdjusted()) {
      return null;
    }
    AdlQueue queue = AdlQueue.of(ctx, market, longs, policy.rankingScore());
    if (VERIFY) {
      queue.check();
    }
    return queue;
  }

  /**
   * A kept queue's round is what the policy's allocation on the whole side touches, in its rank
   * order, from the same figures.
   */
  private static void verifyPrefix(
      MarketContext ctx,
      int market,
      boolean longs,
      int except,
      AllocationPolicy policy,
      long lots,
      Round round) {
    int[] fresh =
        Candidates.positions(
            ctx, market, except, q -> (ctx.size(q) > 0) == longs && ctx.unrealizedPnl(q) > 0);
    CandidateBook book = Candidates.book(ctx, market, fresh, false);
    int[] order =
        fresh.length == 0
            ? new int[0]
            : policy.rankOrder(book, Allocator.allocate(policy, book, AllocationMode.SIZE, lots));
    int[] expected = new int[order.length];
    for (int k = 0; k < order.length; k++) {
      expected[k] = fresh[order[k]];
    }
    requireSame(market, expected, book.subset(order), round);
  }

  /** Fails unless the round holds exactly these positions, described as in {@code book}. */
  private static void requireSame(int market, int[] expected, CandidateBook book, Round round) {
    if (!Arrays.equals(expected, round.positions()) || !same(book, round.book())) {
      throw new IllegalStateException(
          "deleveraging side of market "
              + market
              + " differs from the ledger: "
              + Arrays.toString(expected)
              + " vs "
              + Arrays.toString(round.positions()));
    }
  }

  private static void verify(
      MarketContext ctx,
      int market,
      boolean longs,
      int except,
      AllocationPolicy policy,
      boolean factorAdjusted,
      long lots,
      Round round) {
    int[] fresh =
        Candidates.positions(
            ctx, market, except, q -> (ctx.size(q) > 0) == longs && ctx.unrealizedPnl(q) > 0);
    CandidateBook book = Candidates.book(ctx, market, fresh, factorAdjusted);
    if (policy instanceof RandomPolicy) {
      verifyVisit(market, policy, lots, fresh, book, round);
      return;
    }
    requireSame(market, fresh, book, round);
  }

  /**
   * A visit's round gives what the policy's allocation on the whole side gives: the same positions
   * in the same order, the same lots, from the same figures.
   */
  private static void verifyVisit(
      int market,
      AllocationPolicy policy,
      long lots,
      int[] fresh,
      CandidateBook book,
      Round round) {
    Allocation whole = Allocator.allocate(policy, book, AllocationMode.SIZE, lots);
    int[] order = policy.rankOrder(book, whole);
    Allocation part = Allocator.allocate(round.policy(), round.book(), AllocationMode.SIZE, lots);
    int[] partOrder = round.policy().rankOrder(round.book(), part);
    boolean same = order.length == partOrder.length;
    for (int k = 0; same && k < order.length; k++) {
      int i = order[k];
      int j = partOrder[k];
      same =
          fresh[i] == round.positions()[j]
              && whole.sizeClosed(i) == part.sizeClosed(j)
              && same(book.subset(new int[] {i}), round.book().subset(new int[] {j}));
    }
    if (!same) {
      throw new IllegalStateException(
          "deleveraging visit of market " + market + " differs from the whole side's allocation");
    }
  }

  private static boolean same(CandidateBook a, CandidateBook b) {
    if (a.count() != b.count() || a.hasPositions() != b.hasPositions()) {
      return false;
    }
    for (int i = 0; i < a.count(); i++) {
      if (a.id(i) != b.id(i)
          || a.pnl(i) != b.pnl(i)
          || a.equity(i) != b.equity(i)
          || a.capacity(i) != b.capacity(i)
          || a.size(i) != b.size(i)
          || a.markPrice(i) != b.markPrice(i)
          || a.entryPrice(i) != b.entryPrice(i)
          || a.leverage(i) != b.leverage(i)) {
        return false;
      }
    }
    return true;
  }
}
