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
import java.util.Arrays;

/**
 * Builds {@link AdlRanking}s: every backstop position of a market ranked by the market's policy,
 * with its quantile band and what it would give if the most endangered position of the other side
 * were deleveraged now. Reads the state only through the {@link MarketContext}.
 */
final class AdlRankings {

  /**
   * With the system property {@code backstop.verifyDeleveragingSides} (the core's tests set it),
   * every what-if made on a queue's prefix is made again on the whole side and compared.
   */
  static final boolean VERIFY = Boolean.getBoolean("backstop.verifyDeleveragingSides");

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
    return Arrays.copyOf(out, n);
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
    boolean ownScores = policy != null;
    for (int i = 0; i < positions.length; i++) {
      long s = policy == null ? 0 : policy.score(book, i);
      scores[i] = s != 0 ? s : book.leverage(i);
      ownScores &= s != 0;
    }
    // Without a policy (or where it scores nobody) the leverage ranks, highest first, ties by id:
    // the default order of any policy.
    int[] order = policy == null ? book.byScoreThenId(scores) : policy.ranking(book, scores);
    long[] sizeIfNow = new long[positions.length];
    long[] amountIfNow = new long[positions.length];
    // A queue takes the shortest prefix of its ranking that covers its target: where the ranking
    // above is the policy's own (no score replaced by the leverage), the what-if needs only that
    // prefix of it, not the side ranked again.
    int[] queueOrder = ownScores && policy.rankingScore() != null ? order : null;
    whatIf(ctx, market, parts, !longs, book, queueOrder, sizeIfNow, amountIfNow);
    if (VERIFY && queueOrder != null) {
      long[] sizes = new long[positions.length];
      long[] amounts = new long[positions.length];
      whatIf(ctx, market, parts, !longs, book, null, sizes, amounts);
      if (!Arrays.equals(sizes, sizeIfNow) || !Arrays.equals(amounts, amountIfNow)) {
        throw new IllegalStateException(
            "the ranking's what-if on the queue's prefix differs from the allocation on the side");
      }
    }
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
   * index were deleveraged now. {@code queueOrder}, when not null, is the ranking of a queue policy
   * (one that takes the shortest prefix of it covering its target, {@link
   * AllocationPolicy#rankingScore}) on {@code book}: the allocation is then made on that prefix
   * alone, which gives the same allocation, candidate for candidate.
   */
  private static void whatIf(
      MarketContext ctx,
      int market,
      Mechanisms parts,
      boolean endangeredIsLong,
      CandidateBook book,
      int[] queueOrder,
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
      int[] leaders =
          queueOrder != null && drawn == policy
              ? prefixCovering(queueOrder, book, lots, false)
              : drawn.leaders(book, lots);
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
      int[] leaders = queueOrder == null ? null : prefixCovering(queueOrder, book, target, true);
      CandidateBook cut = leaders == null ? book : book.subset(leaders);
      Allocation a = Allocator.allocate(policy, cut, AllocationMode.BUDGET, target);
      for (int k = 0; k < cut.count(); k++) {
        amounts[leaders == null ? k : leaders[k]] = a.amount(k);
      }
    }
  }

  /**
   * The shortest prefix of {@code order} whose sizes (or capacities, {@code byCapacity}) reach
   * {@code target}: the whole order when none does.
   */
  private static int[] prefixCovering(
      int[] order, CandidateBook book, long target, boolean byCapacity) {
    long covered = 0;
    int k = 0;
    while (k < order.length && covered < target) {
      int i = order[k++];
      covered = Math.addExact(covered, byCapacity ? book.capacity(i) : book.size(i));
    }
    return Arrays.copyOf(order, k);
  }
}
