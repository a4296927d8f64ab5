package dev.backstop.core.mechanism;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.BackstopSpec.Trigger;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import org.agrona.collections.IntArrayList;

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

  /**
   * Deleverages what the book and the takeover layer left of a position once its account is
   * bankrupt (negative equity at mark: BitMEX's "not filled when the mark reaches bankruptcy",
   * dYdX's "negative total net collateral") and the takeover layer declined it, or the trigger says
   * the fund must not pay.
   */
  @Override
  public boolean takesOver(
      MarketContext ctx, int marginAccount, int position, boolean takeoverDeclined) {
    int market = ctx.marketOf(position);
    long deficit = Math.max(0, -ctx.equity(marginAccount));
    return deficit > 0
        && (takeoverDeclined || fires(ctx, market, deficit))
        && SideBook.hasCandidate(ctx, market, ctx.size(position) < 0, policy, marginAccount);
  }

  @Override
  public boolean deleverages() {
    return true;
  }

  @Override
  public boolean forbidsFund(MarketContext ctx, int market) {
    return trigger instanceof Trigger.FundDrawdown t && drawdownFires(ctx, market, t);
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
   * (hysteresis, held in the ledger per fund). OKX's balance level switches it on too, at or below
   * {@code balanceStart}, and its position level at or above {@code positionStart}; it switches off
   * once every configured reason is back: the fall at or below {@code stopRate}, the balance at or
   * above {@code balanceStop}, the takeover account's position below {@code positionStart}.
   */
  private static boolean drawdownFires(MarketContext ctx, int market, Trigger.FundDrawdown t) {
    boolean active = ctx.drawdownActive(market);
    long drawdown = drawdown(ctx, market, t);
    long balance = ctx.fundBalance(market);
    long held = takenOverNotional(ctx, market);
    boolean balanceOn = t.balanceStart() > 0 && balance <= t.balanceStart();
    boolean positionOn = t.positionStart() > 0 && held >= t.positionStart();
    boolean on = drawdown >= t.startRate() || balanceOn || positionOn;
    boolean off =
        drawdown <= t.stopRate()
            && (t.balanceStart() == 0 || balance >= t.balanceStop())
            && !positionOn;
    if (active ? off : on) {
      ctx.setDrawdownActive(market, !active);
    }
    return ctx.drawdownActive(market);
  }

  /** The fund's fall from its highest balance in the window, rate scale, rounded down. */
  private static long drawdown(MarketContext ctx, int market, Trigger.FundDrawdown t) {
    long balance = ctx.fundBalance(market);
    long peak = ctx.fundPeakSince(market, ctx.now() - t.windowMillis());
    return peak <= 0
        ? 0
        : Fixed.mulDiv(Math.max(0, peak - balance), Fixed.RATE_ONE, peak, RoundingMode.FLOOR);
  }

  /**
   * The notional at mark of the position the takeover account (the fund's, or a vault) holds in the
   * market from liquidations it took over, money units; 0 without one.
   */
  private static long takenOverNotional(MarketContext ctx, int market) {
    int taker = ctx.backstopLiquidator(market);
    if (taker == MarketContext.NONE) {
      return 0;
    }
    int position = ctx.position(taker, market);
    return position == MarketContext.NONE
        ? 0
        : ctx.config(market).notional(Math.abs(ctx.size(position)), ctx.mark(market));
  }

  /**
   * What fired, for the {@code backstop_applied} event: while the drawdown state is on, the fund's
   * fall ({@code drawdown}), or OKX's balance level ({@code fund-balance}, {@code bal_adl_start})
   * or position level ({@code liquidation-volume}, {@code pos_adl_start}) when the fall is below
   * its start; otherwise the fund, which could not cover the deficit (or whose takeover layer
   * declined the position: then its balance is at or above the deficit).
   */
  private Candidates.Fired firedBy(MarketContext ctx, int market, long deficit) {
    if (trigger instanceof Trigger.FundDrawdown t && ctx.drawdownActive(market)) {
      long fall = drawdown(ctx, market, t);
      if (fall < t.startRate()) {
        long balance = ctx.fundBalance(market);
        if (t.balanceStart() > 0 && balance < t.balanceStop()) {
          return new Candidates.Fired(
              "fund-balance", Decimal.money(balance), Decimal.money(t.balanceStart()));
        }
        long held = takenOverNotional(ctx, market);
        if (t.positionStart() > 0 && held >= t.positionStart()) {
          return new Candidates.Fired(
              "liquidation-volume", Decimal.money(held), Decimal.money(t.positionStart()));
        }
      }
      return new Candidates.Fired(t.wireName(), Decimal.rate(fall), Decimal.rate(t.startRate()));
    }
    return Candidates.Fired.fund(ctx, market, deficit);
  }

  /**
   * Closes the bankrupt position against opposite-side positions chosen by the policy, at the
   * execution price. A policy that closes whole positions (queue-full) closes the excess against
   * the market's backstop liquidator (the fund's account or the vault: Hyperliquid's excess goes to
   * the liquidator vault) and reports it as overshoot; without one it closes no excess. If the
   * opposite side holds too little, the rest stays with the bankrupt account.
   */
  @Override
  public void takeOver(MarketContext ctx, int marginAccount, int position) {
    if (policy.sharesRound()) {
      int market = ctx.marketOf(position);
      boolean longs = ctx.size(position) > 0;
      ctx.deferToEndOfPass(
              marginAccount,
              new RoundKey(this, market, longs),
              () -> new SharedRound(ctx, market, longs))
          .add(marginAccount);
      return;
    }
    int market = ctx.marketOf(position);
    long size = ctx.size(position);
    long lots = Math.abs(size);
    long bankruptcy = ctx.bankruptcyPrice(position);
    long deficit = Math.max(0, -ctx.equity(marginAccount));
    Candidates.Fired fired = firedBy(ctx, market, deficit);
    // Only profitable opposite positions give: a deleveraging takes profit, never more. The side
    // is kept through the command, so that the k-th bankruptcy of a tick reads only what changed.
    AllocationPolicy drawn = policy.forDraw(ctx.nextSeq());
    SideBook.Round round =
        SideBook.candidates(
            ctx, market, size < 0, marginAccount, drawn, policy.factorAdjusted(), lots);
    int[] candidates = round.positions();
    CandidateBook book = round.book();
    AllocationPolicy rule = round.policy();
    int[] counterparties = Candidates.marginAccountsOf(ctx, candidates);
    Allocation allocation = Allocator.allocate(rule, book, AllocationMode.SIZE, lots);
    Takeover takeover =
        new Takeover(
            ctx,
            market,
            marginAccount,
            size > 0,
            price.price(ctx, market, bankruptcy, size > 0, deficit),
            bankruptcy);
    long remaining = lots;
    long taken = 0;
    long takenValue = 0;
    long rank = 0;
    int liquidator = ctx.backstopLiquidator(market);
    for (int i : rule.rankOrder(book, allocation)) {
      long closing = allocation.sizeClosed(i);
      long fromBankrupt = Math.min(closing, remaining);
      int counterparty = ctx.marginAccountOf(candidates[i]);
      if (liquidator == MarketContext.NONE
          || liquidator == counterparty
          || liquidator == marginAccount) {
        closing = fromBankrupt; // no one to take the excess: close only what the bankrupt needs
      }
      remaining -= fromBankrupt;
      taken += closing;
      takenValue =
          Math.addExact(
              takenValue,
              takeover.give(
                  candidates[i], closing, fromBankrupt, ++rank, rule.score(book, i), drawn));
    }
    // What no counterparty gave stays with the bankrupt account, whose deficit the engine then
    // covers from the fund or writes off as bad debt: the residual reported here.
    long residual = Math.max(0, -ctx.equity(marginAccount));
    Candidates.settleEmptied(ctx, market, counterparties);
    Candidates.applied(
        ctx,
        marginAccount,
        market,
        Event.BackstopAction.DELEVERAGE,
        fired,
        drawn.name(),
        deficit,
        takenValue,
        new long[] {lots, taken, takeover.overshoot},
        residual);
  }

  /** The round of one side of one market under this resolution, within one settle pass. */
  private record RoundKey(Deleveraging resolution, int market, boolean bankruptLongs) {}

  /**
   * The bankrupt positions of one side of a market that one settle pass sent to a policy that
   * shares a round ({@link AllocationPolicy#sharesRound}), closed together at the end of the pass:
   * one allocation of their lots together over the opposite side, then the lots each counterparty
   * gives matched to the bankrupt positions in the order they were sent, counterparties in the
   * policy's order (a transport: each counterparty fills the current bankrupt position until one of
   * the two is done). Each winner gets at most one fill per bankrupt position it meets, and a round
   * of k bankruptcies against w winners makes at most {@code k + w - 1} fills, where closing each
   * on its own would make up to {@code k * w}. Each bankrupt position still gets its own execution
   * price, protection of its counterparties and {@code backstop_applied}, in order.
   */
  private final class SharedRound implements Runnable {
    private final MarketContext ctx;
    private final int market;
    private final boolean bankruptLongs;
    private final IntArrayList accounts = new IntArrayList();

    SharedRound(MarketContext ctx, int market, boolean bankruptLongs) {
      this.ctx = ctx;
      this.market = market;
      this.bankruptLongs = bankruptLongs;
    }

    void add(int marginAccount) {
      accounts.addInt(marginAccount);
    }

    @Override
    public void run() {
      int n = accounts.size();
      long[] lots = new long[n];
      long total = 0;
      int first = -1;
      for (int b = 0; b < n; b++) {
        int q = ctx.position(accounts.getInt(b), market);
        if (q != MarketContext.NONE && (ctx.size(q) > 0) == bankruptLongs) {
          lots[b] = Math.abs(ctx.size(q));
          total = Math.addExact(total, lots[b]);
          first = first < 0 ? b : first;
        }
      }
      if (total == 0) {
        finish();
        return;
      }
      AllocationPolicy drawn = policy.forDraw(ctx.nextSeq());
      SideBook.Round round =
          SideBook.candidates(
              ctx,
              market,
              !bankruptLongs,
              accounts.getInt(first),
              drawn,
              policy.factorAdjusted(),
              total);
      int[] candidates = round.positions();
      CandidateBook book = round.book();
      AllocationPolicy rule = round.policy();
      Allocation allocation = Allocator.allocate(rule, book, AllocationMode.SIZE, total);
      int[] order = rule.rankOrder(book, allocation);
      int k = 0;
      long left = order.length > 0 ? allocation.sizeClosed(order[0]) : 0;
      for (int b = 0; b < n; b++) {
        if (lots[b] == 0) {
          continue;
        }
        int bankrupt = accounts.getInt(b);
        int position = ctx.position(bankrupt, market);
        long bankruptcy = ctx.bankruptcyPrice(position);
        long deficit = Math.max(0, -ctx.equity(bankrupt));
        Candidates.Fired fired = firedBy(ctx, market, deficit);
        Takeover takeover =
            new Takeover(
                ctx,
                market,
                bankrupt,
                bankruptLongs,
                price.price(ctx, market, bankruptcy, bankruptLongs, deficit),
                bankruptcy);
        long need = lots[b];
        long takenValue = 0;
        IntArrayList met = new IntArrayList();
        while (need > 0 && k < order.length) {
          int i = order[k];
          met.addInt(ctx.marginAccountOf(candidates[i]));
          long give = Math.min(need, left);
          takenValue =
              Math.addExact(
                  takenValue,
                  takeover.give(candidates[i], give, give, k + 1, rule.score(book, i), drawn));
          need -= give;
          left -= give;
          if (left == 0 && ++k < order.length) {
            left = allocation.sizeClosed(order[k]);
          }
        }
        long residual = Math.max(0, -ctx.equity(bankrupt));
        Candidates.settleEmptied(ctx, market, met.toIntArray());
        Candidates.applied(
            ctx,
            bankrupt,
            market,
            Event.BackstopAction.DELEVERAGE,
            fired,
            drawn.name(),
            deficit,
            takenValue,
            new long[] {lots[b], lots[b] - need, 0},
            residual);
      }
      finish();
    }

    /**
     * Ends the liquidation of each account left without positions; one that still has some (the
     * side ran out of lots, or another market's position) is the next pass's.
     */
    private void finish() {
      for (int b = 0; b < accounts.size(); b++) {
        int c = accounts.getInt(b);
        if (ctx.positionsOf(c).length == 0) {
          ctx.finishLiquidation(c, market);
        }
      }
    }
  }

  /**
   * One bankrupt position being closed against its counterparties at the execution price, moved
   * toward the mark for a counterparty where it would take more than the profit of what it closes
   * (or more than its equity): a deleveraging never bankrupts its counterparty. What it cannot take
   * stays with the bankrupt account, for the fund and then bad debt.
   */
  private static final class Takeover {
    private final MarketContext ctx;
    private final int market;
    private final int bankrupt;
    private final boolean selling;
    private final long fillPrice;
    private final long bankruptcy;
    private final int liquidator;
    long overshoot;

    Takeover(
        MarketContext ctx,
        int market,
        int bankrupt,
        boolean selling,
        long fillPrice,
        long bankruptcy) {
      this.ctx = ctx;
      this.market = market;
      this.bankrupt = bankrupt;
      this.selling = selling;
      this.fillPrice = fillPrice;
      this.bankruptcy = bankruptcy;
      this.liquidator = ctx.backstopLiquidator(market);
    }

    /** The price for this counterparty: the execution price, or nearer the mark. */
    private long protecting(int candidate, long closing) {
      long mark = ctx.mark(market);
      // The counterparty buys from a bankrupt long (and sells to a bankrupt short).
      boolean againstIt = selling ? fillPrice > mark : fillPrice < mark;
      if (!againstIt) {
        return fillPrice;
      }
      long size = Math.abs(ctx.size(candidate));
      long profit = Fixed.mulDiv(ctx.unrealizedPnl(candidate), closing, size, RoundingMode.FLOOR);
      long bearable = Math.max(0, Math.min(profit, ctx.equity(ctx.marginAccountOf(candidate))));
      long perTick = Math.multiplyExact(closing, ctx.config(market).notionalUnit());
      long ticks = Math.min(Math.abs(fillPrice - mark), bearable / perTick);
      return selling ? mark + ticks : Math.max(1, mark - ticks);
    }

    /**
     * A counterparty closes {@code closing} lots: {@code fromBankrupt} against the bankrupt
     * position, the excess (a policy closing whole positions) against the market's liquidity, as
     * overshoot. Returns what it gave up against a close at mark.
     */
    long give(
        int candidate,
        long closing,
        long fromBankrupt,
        long rank,
        long score,
        AllocationPolicy rule) {
      int counterparty = ctx.marginAccountOf(candidate);
      long price = protecting(candidate, closing);
      if (fromBankrupt > 0) {
        Candidates.fill(ctx, market, counterparty, bankrupt, selling, fromBankrupt, price);
        emitDeleveraged(
            ctx,
            market,
            bankrupt,
            counterparty,
            selling ? -fromBankrupt : fromBankrupt,
            price,
            bankruptcy,
            rule.name());
      }
      long excess = closing - fromBankrupt;
      if (excess > 0) {
        Candidates.fill(ctx, market, counterparty, liquidator, selling, excess, price);
        overshoot += excess;
      }
      return Candidates.offsetting(
          ctx,
          market,
          counterparty,
          bankrupt,
          selling,
          closing,
          price,
          rank,
          score,
          rule.name(),
          "against a bankrupt position");
    }
  }

  private static void emitDeleveraged(
      MarketContext ctx,
      int market,
      int marginAccount,
      int counterparty,
      long signedLots,
      long fillPrice,
      long bankruptcy,
      String rule) {
    MarketConfig config = ctx.config(market);
    ctx.emit(
        new Event.Deleveraged(
            ctx.nextSeq(),
            ctx.now(),
            ctx.marketName(market),
            ctx.accountName(marginAccount),
            ctx.marginName(marginAccount),
            ctx.accountName(counterparty),
            ctx.marginName(counterparty),
            config.size(signedLots),
            config.price(fillPrice),
            config.price(ctx.mark(market)),
            config.price(bankruptcy),
            rule));
  }
}
