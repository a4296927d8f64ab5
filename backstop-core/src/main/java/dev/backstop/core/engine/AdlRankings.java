package dev.backstop.core.engine;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.mechanism.Candidates;
import dev.backstop.core.mechanism.MarketContext;
import dev.backstop.core.mechanism.Mechanisms;

/**
 * Builds {@link AdlRanking}s: every backstop position of a market ranked by the market's policy,
 * with its quantile band and what it would give if the most endangered position of the other side
 * were deleveraged now. Reads the state only through the {@link MarketContext}.
 */
final class AdlRankings {

  private AdlRankings() {}

  static AdlRanking of(MarketContext ctx, int market, Mechanisms parts) {
    AllocationPolicy policy = parts.rankingPolicy();
    // The market's positions read once, then split by side.
    int[] all = ctx.backstopPositions(market);
    RankedEntries.Side longs = side(ctx, market, parts, true, ofSide(ctx, all, true));
    RankedEntries.Side shorts = side(ctx, market, parts, false, ofSide(ctx, all, false));
    return new AdlRanking(
        ctx.marketName(market),
        policy == null ? "none" : policy.name(),
        new RankedEntries(ctx.config(market), longs, shorts));
  }

  /** The positions of {@code all} on one side, in their order. */
  private static int[] ofSide(MarketContext ctx, int[] all, boolean longs) {
    int[] out = new int[all.length];
    int n = 0;
    for (int q : all) {
      if ((ctx.size(q) > 0) == longs) {
        out[n++] = q;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** One side's entries: {@code positions} ranked, with what each would give now. */
  private static RankedEntries.Side side(
      MarketContext ctx, int market, Mechanisms parts, boolean longs, int[] positions) {
    AllocationPolicy policy = parts.rankingPolicy();
    if (positions.length == 0) {
      return new RankedEntries.Side(longs, 0);
    }
    CandidateBook book =
        Candidates.book(ctx, market, positions, policy != null && policy.factorAdjusted());
    long[] scores = new long[positions.length];
    for (int i = 0; i < positions.length; i++) {
      long s = policy == null ? 0 : policy.score(book, i);
      scores[i] = s != 0 ? s : book.leverage(i);
    }
    // Without a policy (or where it scores nobody) the leverage ranks, highest first, ties by id:
    // the default order of any policy.
    int[] order = policy == null ? book.byScoreThenId(scores) : policy.ranking(book, scores);
    long[] sizeIfNow = new long[positions.length];
    long[] amountIfNow = new long[positions.length];
    whatIf(ctx, market, parts, !longs, book, sizeIfNow, amountIfNow);
    RankedEntries.Side out = new RankedEntries.Side(longs, positions.length);
    for (int r = 0; r < positions.length; r++) {
      int i = order[r];
      int q = positions[i];
      int c = ctx.marginAccountOf(q);
      out.account[r] = ctx.accountName(c);
      out.margin[r] = ctx.marginName(c);
      out.size[r] = ctx.size(q);
      out.pnl[r] = ctx.unrealizedPnl(q);
      out.score[r] = scores[i];
      out.sizeIfNow[r] = sizeIfNow[i];
      out.amountIfNow[r] = amountIfNow[i];
    }
    return out;
  }

  /**
   * Fills in what each candidate would give if the first position of the other side's liquidation
   * index were deleveraged now.
   */
  private static void whatIf(
      MarketContext ctx,
      int market,
      Mechanisms parts,
      boolean endangeredIsLong,
      CandidateBook book,
      long[] sizes,
      long[] amounts) {
    AllocationPolicy policy = parts.rankingPolicy();
    int endangered = ctx.mostEndangered(market, endangeredIsLong);
    if (policy == null || endangered == MarketContext.NONE) {
      return;
    }
    MarketConfig config = ctx.config(market);
    int p = ctx.position(endangered, market);
    long bankruptcy = ctx.bankruptcyPrice(p);
    long mark = ctx.mark(market);
    long gap = Math.abs(mark - bankruptcy);
    boolean underwater = endangeredIsLong ? bankruptcy > mark : bankruptcy < mark;
    long lots = Math.abs(ctx.size(p));
    if (parts.ranksBySize()) {
      AllocationPolicy drawn = policy.forDraw(ctx.nextSeq());
      int[] leaders = drawn.leaders(book, lots);
      CandidateBook cut = leaders == null ? book : book.subset(leaders);
      Allocation a = Allocator.allocate(drawn, cut, AllocationMode.SIZE, lots);
      for (int k = 0; k < cut.count(); k++) {
        int i = leaders == null ? k : leaders[k];
        sizes[i] = a.sizeClosed(k);
        amounts[i] = underwater ? config.value(sizes[i], gap) : 0;
      }
      return;
    }
    long loss = underwater ? config.value(lots, gap) : ctx.maintenanceMargin(p);
    long capacity = 0;
    for (int i = 0; i < book.count(); i++) {
      capacity = Math.addExact(capacity, book.capacity(i));
    }
    long target = Math.min(loss, capacity);
    if (target > 0) {
      Allocation a = Allocator.allocate(policy, book, AllocationMode.BUDGET, target);
      for (int i = 0; i < amounts.length; i++) {
        amounts[i] = a.amount(i);
      }
    }
  }
}
