package dev.backstop.core.mechanism;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Profit haircuts: the bankrupt position closes through the liquidity as usual; what the insurance
 * fund leaves uncovered is clawed back from the winners' unrealized profit (the position's PnL
 * falls by the amount, so a later round cannot seize it again), never more than a winner's equity
 * (so no winner turns insolvent), shared by a budget policy: wealth pro rata, RAP, min-max burden,
 * or a production queue by its score (RESEARCH.md; Chitra, arXiv 2512.01112).
 *
 * @param policy how the budget is shared
 */
public record ProfitHaircut(AllocationPolicy policy) implements BankruptcyResolution {

  /** Validates that the policy shares a budget. */
  public ProfitHaircut {
    if (!policy.supports(AllocationMode.BUDGET)) {
      throw new IllegalArgumentException("policy " + policy.name() + " cannot share a budget");
    }
  }

  @Override
  public long cover(MarketContext ctx, int marginAccount, int market, long uncovered) {
    int[] winners = Candidates.positions(ctx, market, marginAccount, q -> ctx.unrealizedPnl(q) > 0);
    CandidateBook book = winners(ctx, market, winners);
    long capacity = 0;
    for (int i = 0; i < book.count(); i++) {
      capacity = Math.addExact(capacity, book.capacity(i));
    }
    long target = Math.min(uncovered, capacity);
    if (target == 0) {
      return uncovered;
    }
    Allocation a = Allocator.allocate(policy, book, AllocationMode.BUDGET, target);
    for (int i : policy.rankOrder(book, a)) {
      ctx.clawBack(winners[i], marginAccount, a.amount(i));
      announce(ctx, market, marginAccount, winners[i], a.amount(i), book.capacity(i), a.burden(i));
    }
    long residual = uncovered - a.amountTaken();
    Candidates.applied(
        ctx,
        marginAccount,
        market,
        Event.BackstopAction.HAIRCUT,
        Candidates.Fired.fund(ctx, market, uncovered),
        policy.name(),
        uncovered,
        a.amountTaken(),
        Candidates.NO_SIZES,
        residual);
    return residual;
  }

  /**
   * The winners as candidates whose capacity is what can be seized: positive PnL, never more than
   * the equity, so no winner turns insolvent; leverage at mark.
   */
  private static CandidateBook winners(MarketContext ctx, int market, int[] winners) {
    MarketConfig config = ctx.config(market);
    long mark = ctx.mark(market);
    long markPerLot = Math.multiplyExact(mark, config.notionalUnit());
    CandidateBook.Builder b = CandidateBook.builder(winners.length);
    for (int q : winners) {
      int c = ctx.marginAccountOf(q);
      long equity = ctx.equity(c);
      long seizable = Math.min(ctx.unrealizedPnl(q), Math.max(0, equity));
      long size = Math.abs(ctx.size(q));
      long entryPerLot = Fixed.divide(Math.abs(ctx.cost(q)), size, RoundingMode.FLOOR);
      b.addPosition(c, seizable, equity, size, markPerLot, entryPerLot);
      b.leverage(
          equity <= 0
              ? Long.MAX_VALUE / 4
              : Fixed.mulDiv(
                  config.notional(size, mark), Fixed.RATE_ONE, equity, RoundingMode.CEILING));
    }
    return b.build();
  }

  /** The {@code haircut} event and the winner's notice. */
  private void announce(
      MarketContext ctx,
      int market,
      int bankrupt,
      int winner,
      long amount,
      long capacity,
      long burden) {
    MarketConfig config = ctx.config(market);
    int c = ctx.marginAccountOf(winner);
    ctx.emit(
        new Event.Haircut(
            ctx.nextSeq(),
            ctx.now(),
            ctx.marketName(market),
            ctx.accountName(c),
            ctx.marginName(c),
            ctx.accountName(bankrupt),
            Decimal.money(amount),
            Decimal.money(capacity),
            Decimal.rate(burden),
            policy.name()));
    Candidates.notice(
        ctx,
        market,
        c,
        Event.NoticeCategory.PROFIT_HAIRCUT,
        config.size(ctx.size(winner)),
        ctx.mark(market),
        amount,
        "A bankrupt account's loss in "
            + ctx.marketName(market)
            + " was shared among profitable positions: "
            + Decimal.money(amount)
            + " of your unrealized profit was clawed back.");
  }
}
