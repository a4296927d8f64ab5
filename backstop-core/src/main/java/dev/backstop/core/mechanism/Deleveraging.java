package dev.backstop.core.mechanism;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.BackstopSpec.Trigger;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Auto-deleveraging: a bankrupt position whose close through the liquidity would leave a shortfall
 * that the trigger says the fund must not pay is closed instead against opposite-side positions,
 * chosen and sized in lots by an allocation policy (the ADL queue of BitMEX, Binance, Bybit, OKX,
 * Hyperliquid; dYdX v4's random start; contract pro rata; water-filling), at the execution price.
 * Each fill is a {@code deleveraged} event for the bankrupt side and an {@code offsetting} event
 * (rank, score, clawed amount) and a notice for the counterparty.
 *
 * @param trigger when the fund must not pay: it cannot cover the shortfall, or its drawdown switch
 *     (Bybit's 8-hour rule, OKX's decline rate) is on
 * @param policy who gives how many lots
 * @param price the execution price of the fills
 */
public record Deleveraging(Trigger trigger, AllocationPolicy policy, ExecutionPriceRule price)
    implements BankruptcyResolution {

  /** Validates the trigger (a tick-time trigger is a {@link TickRule}, not a resolution). */
  public Deleveraging {
    if (!(trigger instanceof Trigger.FundCannotCover || trigger instanceof Trigger.FundDrawdown)) {
      throw new IllegalArgumentException(
          "deleveraging of bankrupt positions fires on the insurance fund, not on " + trigger);
    }
  }

  @Override
  public boolean takesOver(MarketContext ctx, int marginAccount, int position) {
    int market = ctx.marketOf(position);
    // Cheap checks first: this runs on every full liquidation close of the market.
    long shortfall = ctx.shortfallIfClosed(marginAccount, position);
    return shortfall > 0
        && fires(ctx, market, shortfall)
        && ctx.hasBackstopPosition(market, ctx.size(position) < 0, marginAccount);
  }

  private boolean fires(MarketContext ctx, int market, long shortfall) {
    boolean fundShort = ctx.fundBalance(market) < shortfall;
    return switch (trigger) {
      case Trigger.FundDrawdown t -> drawdownFires(ctx, market, t) || fundShort;
      default -> fundShort;
    };
  }

  /**
   * Bybit's 8-hour rule and OKX's decline rate: the fall of the fund from its highest balance in
   * the window switches deleveraging on at {@code startRate} and off again at {@code stopRate}
   * (hysteresis, held in the ledger per fund).
   */
  private static boolean drawdownFires(MarketContext ctx, int market, Trigger.FundDrawdown t) {
    long balance = ctx.fundBalance(market);
    long peak = ctx.fundPeakSince(market, ctx.now() - t.windowMillis());
    long drawdown =
        peak <= 0
            ? 0
            : Fixed.mulDiv(Math.max(0, peak - balance), Fixed.RATE_ONE, peak, RoundingMode.FLOOR);
    boolean active = ctx.drawdownActive(market);
    if (active ? drawdown <= t.stopRate() : drawdown >= t.startRate()) {
      ctx.setDrawdownActive(market, !active);
    }
    return ctx.drawdownActive(market);
  }

  /**
   * Closes the whole bankrupt position against opposite-side positions chosen by the policy, at the
   * execution price. A policy that closes whole positions (queue-full) closes the excess against
   * the market's liquidity and reports it as overshoot; if the opposite side holds too little, the
   * rest closes through the liquidity as a liquidation.
   */
  @Override
  public void takeOver(MarketContext ctx, int marginAccount, int position) {
    int market = ctx.marketOf(position);
    MarketConfig config = ctx.config(market);
    long size = ctx.size(position);
    boolean selling = size > 0;
    long lots = Math.abs(size);
    long bankruptcy = ctx.bankruptcyPrice(position);
    long fillPrice = price.price(ctx, market, bankruptcy);
    long deficit = Math.max(0, -ctx.equity(marginAccount));

    int[] candidates = Candidates.side(ctx, market, marginAccount, !selling);
    int[] counterparties = Candidates.marginAccountsOf(ctx, candidates);
    CandidateBook book = Candidates.book(ctx, market, candidates, policy.factorAdjusted());
    AllocationPolicy drawn = policy.forDraw(ctx.nextSeq());
    Allocation allocation = Allocator.allocate(drawn, book, AllocationMode.SIZE, lots);

    long remaining = lots;
    long taken = 0;
    long takenValue = 0;
    long overshoot = 0;
    long rank = 0;
    for (int i : Candidates.rankOrder(book, drawn, allocation)) {
      long closing = allocation.sizeClosed(i);
      int counterparty = counterparties[i];
      long fromBankrupt = Math.min(closing, remaining);
      long excess = closing - fromBankrupt;
      if (fromBankrupt > 0) {
        Candidates.fill(ctx, market, counterparty, marginAccount, selling, fromBankrupt, fillPrice);
        remaining -= fromBankrupt;
        ctx.emit(
            new Event.Deleveraged(
                ctx.nextSeq(),
                ctx.now(),
                ctx.marketName(market),
                ctx.accountName(marginAccount),
                ctx.marginName(marginAccount),
                ctx.accountName(counterparty),
                ctx.marginName(counterparty),
                config.size(selling ? -fromBankrupt : fromBankrupt),
                config.price(fillPrice),
                config.price(ctx.mark(market)),
                config.price(bankruptcy),
                drawn.name()));
      }
      if (excess > 0) {
        Candidates.fill(
            ctx,
            market,
            counterparty,
            ctx.liquidityMarginAccount(market),
            selling,
            excess,
            fillPrice);
        overshoot += excess;
      }
      taken += closing;
      takenValue =
          Math.addExact(
              takenValue,
              Candidates.offsetting(
                  ctx,
                  market,
                  counterparty,
                  marginAccount,
                  selling,
                  closing,
                  fillPrice,
                  ++rank,
                  drawn.score(book, i),
                  drawn.name(),
                  "against a bankrupt position"));
    }
    if (remaining > 0) {
      ctx.closeWithLiquidity(marginAccount, position, remaining);
    }
    Candidates.settleEmptied(ctx, market, counterparties);
    Candidates.applied(
        ctx,
        marginAccount,
        market,
        Event.BackstopAction.DELEVERAGE,
        drawn.name(),
        deficit,
        takenValue,
        new long[] {lots, taken, overshoot},
        0);
  }
}
