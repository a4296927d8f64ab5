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
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds {@link AdlRanking}s: every backstop position of a market ranked by the market's policy,
 * with its quantile band and what it would give if the most endangered position of the other side
 * were deleveraged now. Reads the state only through the {@link MarketContext}.
 */
final class AdlRankings {

  private AdlRankings() {}

  static AdlRanking of(MarketContext ctx, int market, Mechanisms parts) {
    AllocationPolicy policy = parts.rankingPolicy();
    List<AdlRanking.Entry> entries = new ArrayList<>();
    side(ctx, market, parts, true, entries);
    side(ctx, market, parts, false, entries);
    return new AdlRanking(
        ctx.marketName(market), policy == null ? "none" : policy.name(), List.copyOf(entries));
  }

  private static void side(
      MarketContext ctx, int market, Mechanisms parts, boolean longs, List<AdlRanking.Entry> out) {
    AllocationPolicy policy = parts.rankingPolicy();
    int[] positions = Candidates.side(ctx, market, MarketContext.NONE, longs);
    if (positions.length == 0) {
      return;
    }
    CandidateBook book =
        Candidates.book(ctx, market, positions, policy != null && policy.factorAdjusted());
    long[] scores = new long[positions.length];
    for (int i = 0; i < positions.length; i++) {
      long s = policy == null ? 0 : policy.score(book, i);
      scores[i] = s != 0 ? s : book.leverage(i);
    }
    Integer[] order = new Integer[positions.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) ->
            policy == null
                ? Long.compare(scores[y], scores[x]) != 0
                    ? Long.compare(scores[y], scores[x])
                    : Long.compare(book.id(x), book.id(y))
                : policy.compare(book, x, scores[x], y, scores[y]));
    long[] sizeIfNow = new long[positions.length];
    long[] amountIfNow = new long[positions.length];
    whatIf(ctx, market, parts, !longs, book, sizeIfNow, amountIfNow);
    MarketConfig config = ctx.config(market);
    int n = positions.length;
    for (int r = 0; r < n; r++) {
      int i = order[r];
      int q = positions[i];
      int c = ctx.marginAccountOf(q);
      out.add(
          new AdlRanking.Entry(
              ctx.accountName(c),
              ctx.marginName(c),
              longs ? "long" : "short",
              config.size(ctx.size(q)),
              Decimal.money(ctx.unrealizedPnl(q)),
              r + 1,
              Decimal.rate(scores[i]),
              4 - (5 * r) / n,
              config.size(sizeIfNow[i]),
              Decimal.money(amountIfNow[i])));
    }
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
      Allocation a =
          Allocator.allocate(policy.forDraw(ctx.nextSeq()), book, AllocationMode.SIZE, lots);
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = a.sizeClosed(i);
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
