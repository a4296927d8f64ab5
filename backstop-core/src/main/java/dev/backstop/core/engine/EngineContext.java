package dev.backstop.core.engine;

import dev.backstop.core.collect.ScratchSets;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.mechanism.MarketContext;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

/**
 * The engine's side of {@link MarketContext}: every read and write a mechanism makes, translated to
 * the ledger, the margin arithmetic and the engine's own fill and waterfall steps.
 */
final class EngineContext implements MarketContext {

  private final Engine engine;
  private final Ledger ledger;
  private final Risk risk;
  private final java.util.HashMap<Object, Object> memos = new java.util.HashMap<>();

  /** What mechanisms keep between commands ({@link #keptMemo}): derived, never in a snapshot. */
  private final java.util.HashMap<Object, Object> kept = new java.util.HashMap<>();

  private final java.util.LinkedHashMap<Object, Runnable> deferred =
      new java.util.LinkedHashMap<>();
  private final IntHashSet held = new IntHashSet();

  EngineContext(Engine engine, Ledger ledger, Risk risk) {
    this.engine = engine;
    this.ledger = ledger;
    this.risk = risk;
  }

  private MarketState market(int market) {
    return ledger.market(market);
  }

  @Override
  public long now() {
    return engine.time();
  }

  @Override
  public long nextSeq() {
    return engine.nextSequence();
  }

  @Override
  public void emit(Event event) {
    engine.emit(event);
  }

  @Override
  public int marketCount() {
    return ledger.marketCount();
  }

  @Override
  public String marketName(int market) {
    return market(market).name;
  }

  @Override
  public MarketConfig config(int market) {
    return market(market).config;
  }

  @Override
  public long mark(int market) {
    return market(market).mark;
  }

  @Override
  public long previousMark(int market) {
    return market(market).previousMark;
  }

  @Override
  public long index(int market) {
    return market(market).index;
  }

  @Override
  public long fundBalance(int market) {
    return ledger.fundBalance(market(market).fund);
  }

  @Override
  public long fundPeakSince(int market, long since) {
    return ledger.fundPeakSince(market(market).fund, since);
  }

  @Override
  public boolean drawdownActive(int market) {
    return ledger.drawdownActive(market(market).fund);
  }

  @Override
  public void setDrawdownActive(int market, boolean active) {
    ledger.setDrawdownActive(market(market).fund, active);
  }

  /** Forgets what the mechanisms kept during the last command: called before every command. */
  void beginCommand() {
    memos.clear();
    deferred.clear();
    ScratchSets.clear(held);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Runnable> T deferToEndOfPass(
      int marginAccount, Object key, java.util.function.Supplier<T> create) {
    held.add(marginAccount);
    Runnable action = deferred.get(key);
    if (action == null) {
      action = create.get();
      deferred.put(key, action);
    }
    return (T) action;
  }

  /** Whether a resolution deferred a position of {@code marginAccount} in the current pass. */
  boolean held(int marginAccount) {
    return held.contains(marginAccount);
  }

  /**
   * Runs what resolutions deferred in the pass that just ended, in order (an action deferring more
   * runs that too); returns the accounts they held, for the next pass to look at again (a round may
   * leave one with positions, which then go on through the rest of the waterfall).
   */
  IntArrayList runDeferred() {
    while (!deferred.isEmpty()) {
      java.util.List<Runnable> actions = new java.util.ArrayList<>(deferred.values());
      deferred.clear();
      for (Runnable action : actions) {
        action.run();
      }
    }
    int[] ids = new int[held.size()];
    int n = 0;
    for (int c : held) {
      ids[n++] = c;
    }
    java.util.Arrays.sort(ids);
    IntArrayList accounts = new IntArrayList();
    for (int c : ids) {
      accounts.addInt(c);
    }
    ScratchSets.clear(held);
    return accounts;
  }

  @Override
  public long markWrites() {
    return ledger.markWrites();
  }

  @Override
  public boolean isBackstopAccount(int marginAccount) {
    return inBackstop(marginAccount);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T commandMemo(Object key, java.util.function.Supplier<T> create) {
    Object value = memos.get(key);
    if (value == null) {
      value = create.get();
      memos.put(key, value);
    }
    return (T) value;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T keptMemo(Object key, java.util.function.Supplier<T> create) {
    Object value = kept.get(key);
    if (value == null) {
      value = create.get();
      kept.put(key, value);
    }
    return (T) value;
  }

  @Override
  public long feedStart() {
    return ledger.feedStart();
  }

  @Override
  public long feedEnd() {
    return ledger.feedEnd();
  }

  @Override
  public int feedAccount(long k) {
    return ledger.feedAccount(k);
  }

  @Override
  public long structureWrites() {
    return ledger.structureWrites();
  }

  @Override
  public long fundingIndex(int market) {
    return market(market).fundingIndex;
  }

  @Override
  public boolean equityFollowsOneMark(int marginAccount) {
    return risk.equityFollowsOneMark(marginAccount);
  }

  /** Whether a margin account takes part in backstops: not an LP, not a pool side. */
  private boolean inBackstop(int marginAccount) {
    return ledger.marginRef(marginAccount).kind() == MarginRef.Kind.CROSS
        ? !ledger.isLiquidityProvider(ledger.owner(marginAccount))
        : ledger.marginRef(marginAccount).kind() != MarginRef.Kind.POOL;
  }

  @Override
  public int[] backstopPositions(int market) {
    return inBackstop(Engine.sorted(market(market).holders));
  }

  /** The positions of {@code all} whose accounts take part in backstops, in place. */
  private int[] inBackstop(int[] all) {
    int n = 0;
    for (int q : all) {
      if (inBackstop(ledger.posMarginAccount(q))) {
        all[n++] = q;
      }
    }
    return java.util.Arrays.copyOf(all, n);
  }

  @Override
  public boolean hasProfitableBackstopPosition(int market, boolean longs, int except) {
    IntHashSet.IntIterator it = market(market).holders.iterator();
    while (it.hasNext()) {
      int q = it.nextValue();
      int c = ledger.posMarginAccount(q);
      if (c != except
          && (ledger.posSize(q) > 0) == longs
          && inBackstop(c)
          && risk.unrealized(q) > 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int position(int marginAccount, int market) {
    return ledger.positionId(marginAccount, market);
  }

  @Override
  public int marginAccountOf(int position) {
    return ledger.posMarginAccount(position);
  }

  @Override
  public int marketOf(int position) {
    return ledger.posMarket(position);
  }

  @Override
  public long size(int position) {
    return ledger.posSize(position);
  }

  @Override
  public long cost(int position) {
    return ledger.posCost(position);
  }

  @Override
  public long unrealizedPnl(int position) {
    return risk.unrealized(position);
  }

  @Override
  public long maintenanceMargin(int position) {
    return risk.maintenance(position);
  }

  @Override
  public long bankruptcyPrice(int position) {
    return risk.bankruptcyPrice(position);
  }

  @Override
  public int mostEndangered(int market, boolean longs) {
    MarketState m = market(market);
    long offset = Risk.reachOffset(m, longs);
    boolean drifted = m.fundingDrift != 0;
    return (longs ? m.longTriggers : m.shortTriggers)
        .mostEndangered(
            offset,
            (c, key) ->
                drifted || risk.keyedConservatively(c)
                    ? risk.triggerPrice(ledger.positionId(c, market))
                    : longs && key == 0 ? Long.MIN_VALUE : key);
  }

  @Override
  public long equity(int marginAccount) {
    return risk.equity(marginAccount);
  }

  @Override
  public long cash(int marginAccount) {
    return ledger.cash(marginAccount);
  }

  @Override
  public int[] positionsOf(int marginAccount) {
    return ledger.positions(marginAccount).toIntArray();
  }

  @Override
  public String accountName(int marginAccount) {
    return engine.accountNameOf(marginAccount);
  }

  @Override
  public String marginName(int marginAccount) {
    return engine.marginName(marginAccount);
  }

  @Override
  public int liquidityMarginAccount(int market) {
    return engine.liquidityMarginAccount(market(market));
  }

  @Override
  public int backstopLiquidator(int market) {
    return engine.backstopLiquidator(market(market));
  }

  @Override
  public void fill(
      int market,
      int buyer,
      int seller,
      long lots,
      long price,
      boolean takerIsBuyer,
      Event.FillKind kind) {
    engine.executeFill(market(market), buyer, seller, lots, price, takerIsBuyer, kind, false);
  }

  @Override
  public void transfer(int from, int to, long amount) {
    ledger.addCash(from, -amount);
    ledger.addCash(to, amount);
  }

  @Override
  public void clawBack(int position, int to, long amount) {
    int from = ledger.posMarginAccount(position);
    int market = ledger.posMarket(position);
    ledger.setPosition(
        from, market, ledger.posSize(position), Math.addExact(ledger.posCost(position), amount));
    ledger.addCash(to, amount);
  }

  @Override
  public long feePool(int market) {
    return market(market).feePool;
  }

  @Override
  public void payFromFeePool(int market, int to, long amount) {
    ledger.addFees(market, -amount);
    ledger.addCash(to, amount);
  }

  @Override
  public void chargeToFeePool(int market, int from, long amount) {
    ledger.addCash(from, -amount);
    ledger.addFees(market, amount);
  }

  @Override
  public void finishLiquidation(int marginAccount, int market) {
    engine.finishLiquidation(marginAccount, market(market));
  }

  @Override
  public void settleClosedAccount(int marginAccount, int market) {
    engine.settleClosedAccount(marginAccount, market(market));
  }
}
