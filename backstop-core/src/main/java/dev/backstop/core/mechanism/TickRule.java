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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A rule evaluated after every price update of its market that reduces trader positions against the
 * market's liquidity provider: GMX v2's PnL factor and Tradoor's LP exposure. Venues whose backstop
 * acts only on bankrupt positions have {@link None}.
 */
public sealed interface TickRule {

  /**
   * Applies the rule after a price update of {@code market}.
   *
   * @return whether it closed anything (the engine then settles the margin accounts it touched)
   */
  boolean afterPrice(MarketContext ctx, int market);

  /** No tick-time rule. */
  record None() implements TickRule {
    @Override
    public boolean afterPrice(MarketContext ctx, int market) {
      return false;
    }
  }

  /**
   * GMX v2 ({@code AdlUtils.updateAdlState}, {@code isPnlFactorExceeded}): when the PnL of one
   * side's traders exceeds {@code maxRate} of the pool's value without PnL (the LP's collateral),
   * profitable positions of that side are closed against the pool at mark, in the policy's order,
   * until the factor is back to the maximum. Realizing {@code x} moves it from {@code P / V} to
   * {@code (P - x) / (V - x)}, so {@code x = (P - max * V) / (1 - max)}, rounded up to whole lots.
   *
   * @param trigger the maximum and the floor of the factor
   * @param policy the order and budget share of the closes (must share a budget)
   */
  record PnlFactorReduction(Trigger.PnlFactor trigger, AllocationPolicy policy)
      implements TickRule {

    /** Validates that the policy shares a budget (the excess PnL is money). */
    public PnlFactorReduction {
      if (!policy.supports(AllocationMode.BUDGET)) {
        throw new IllegalArgumentException(
            "the pnl-factor rule shares an amount of PnL, which policy "
                + policy.name()
                + " cannot share");
      }
    }

    @Override
    public boolean afterPrice(MarketContext ctx, int market) {
      return reduce(ctx, market, true) | reduce(ctx, market, false);
    }

    private boolean reduce(MarketContext ctx, int market, boolean longs) {
      int lp = ctx.liquidityMarginAccount(market);
      long pool = ctx.cash(lp);
      long pnl = 0;
      for (int q : Candidates.side(ctx, market, lp, longs)) {
        pnl = Math.addExact(pnl, ctx.unrealizedPnl(q));
      }
      long allowed = Fixed.mulDiv(pool, trigger.maxRate(), Fixed.RATE_ONE, RoundingMode.FLOOR);
      if (pool <= 0 || pnl <= allowed) {
        return false;
      }
      long needed =
          Fixed.mulDiv(
              Math.subtractExact(pnl, allowed),
              Fixed.RATE_ONE,
              Fixed.RATE_ONE - trigger.maxRate(),
              RoundingMode.CEILING);
      long floor = Fixed.mulDiv(pool, trigger.minRate(), Fixed.RATE_ONE, RoundingMode.CEILING);
      long mostRealized =
          Fixed.mulDiv(
              Math.max(0, Math.subtractExact(pnl, floor)),
              Fixed.RATE_ONE,
              Fixed.RATE_ONE - trigger.minRate(),
              RoundingMode.FLOOR);
      int[] winners =
          Candidates.positions(
              ctx, market, lp, q -> (ctx.size(q) > 0) == longs && ctx.unrealizedPnl(q) > 0);
      Reduction reduction =
          new Reduction(
              AllocationMode.BUDGET,
              needed,
              ctx.mark(market),
              mostRealized,
              new Candidates.Fired(
                  trigger.wireName(),
                  Decimal.rate(Fixed.mulDiv(pnl, Fixed.RATE_ONE, pool, RoundingMode.FLOOR)),
                  Decimal.rate(trigger.maxRate())),
              "PnL factor");
      return reduceAgainstLiquidity(ctx, market, lp, policy, winners, reduction);
    }
  }

  /** The liquidity provider's account of an LP market; empty on an order-book market. */
  private static String lpAccount(MarketConfig config) {
    return config.liquidity() instanceof dev.backstop.core.market.LiquiditySpec.LpCounterparty lp
        ? lp.account()
        : "";
  }

  /**
   * Tradoor: when the LP's net exposure in a contract exceeds its liquidity (equity), positions on
   * the side that creates the exposure are closed against the LP at {@code (1 + PR_0) * index}, in
   * the policy's order, until the LP's position in the contract is zero. Markets of the same LP are
   * taken largest exposure first.
   *
   * @param policy the order of the closes
   * @param price the premium-adjusted index
   */
  record LpExposureReduction(AllocationPolicy policy, ExecutionPriceRule price)
      implements TickRule {

    @Override
    public boolean afterPrice(MarketContext ctx, int ticked) {
      String lpName = lpAccount(ctx.config(ticked));
      List<Integer> exposed = new ArrayList<>();
      for (int m = 0; m < ctx.marketCount(); m++) {
        MarketConfig config = ctx.config(m);
        if (config.backstop().trigger() instanceof Trigger.LpExposure
            && lpName.equals(lpAccount(config))
            && ctx.mark(m) > 0) {
          exposed.add(m);
        }
      }
      int lp = ctx.liquidityMarginAccount(ticked);
      exposed.sort(
          Comparator.comparingLong((Integer m) -> -exposure(ctx, lp, m)).thenComparingInt(m -> m));
      boolean closed = false;
      for (int m : exposed) {
        int p = ctx.position(lp, m);
        long lpSize = p == MarketContext.NONE ? 0 : ctx.size(p);
        if (lpSize == 0 || exposure(ctx, lp, m) <= ctx.equity(lp)) {
          continue;
        }
        long fillPrice = price.price(ctx, m, ctx.mark(m), lpSize < 0, 0);
        int[] side =
            Candidates.positions(ctx, m, lp, q -> Long.signum(ctx.size(q)) == -Long.signum(lpSize));
        Reduction reduction =
            new Reduction(
                AllocationMode.SIZE,
                Math.abs(lpSize),
                fillPrice,
                Long.MAX_VALUE,
                new Candidates.Fired(
                    "lp-exposure",
                    Decimal.money(exposure(ctx, lp, m)),
                    Decimal.money(ctx.equity(lp))),
                "LP exposure");
        closed |= reduceAgainstLiquidity(ctx, m, lp, policy, side, reduction);
      }
      return closed;
    }

    private static long exposure(MarketContext ctx, int lp, int market) {
      int p = ctx.position(lp, market);
      return p == MarketContext.NONE
          ? 0
          : ctx.config(market).notional(ctx.size(p), ctx.mark(market));
    }
  }

  /**
   * The lots of a position ({@code size} lots, {@code pnl} unrealized) that may close when {@code
   * room} of PnL may still be realized: all of {@code lots} for a position without profit or
   * without a limit.
   */
  private static long withinLimit(long lots, long size, long pnl, long room) {
    if (pnl <= 0 || room >= Long.MAX_VALUE / 2) {
      return lots;
    }
    return Math.min(lots, Fixed.mulDiv(Math.max(0, room), size, pnl, RoundingMode.FLOOR));
  }

  /**
   * What to reduce.
   *
   * @param mode whether the target is money or size
   * @param target what to take, in the allocation's unit
   * @param price the price of the closes (ticks)
   * @param mostRealized the most PnL the closes may realize (money units; {@code Long.MAX_VALUE}:
   *     no limit)
   * @param fired the trigger, with the value it measured and its level
   * @param why the reason in words, for the notices
   */
  record Reduction(
      AllocationMode mode,
      long target,
      long price,
      long mostRealized,
      Candidates.Fired fired,
      String why) {}

  /**
   * Closes trader positions against the liquidity provider, shared by the policy; returns whether
   * anything was closed.
   */
  private static boolean reduceAgainstLiquidity(
      MarketContext ctx,
      int market,
      int lp,
      AllocationPolicy policy,
      int[] positions,
      Reduction r) {
    if (positions.length == 0 || r.target() <= 0) {
      return false;
    }
    int[] traders = Candidates.marginAccountsOf(ctx, positions);
    CandidateBook book = Candidates.book(ctx, market, positions, policy.factorAdjusted());
    Allocation allocation = Allocator.allocate(policy, book, r.mode(), r.target());
    long rank = 0;
    long lots = 0;
    long value = 0;
    long realized = 0;
    for (int i : policy.rankOrder(book, allocation)) {
      int q = positions[i];
      long size = Math.abs(ctx.size(q));
      long pnl = ctx.unrealizedPnl(q);
      long closing = withinLimit(allocation.sizeClosed(i), size, pnl, r.mostRealized() - realized);
      if (pnl > 0) {
        realized = Math.addExact(realized, Fixed.mulDiv(pnl, closing, size, RoundingMode.CEILING));
      }
      if (closing == 0) {
        continue;
      }
      boolean buys = ctx.size(q) < 0;
      Candidates.fill(ctx, market, traders[i], lp, buys, closing, r.price());
      lots += closing;
      value =
          Math.addExact(
              value,
              Candidates.offsetting(
                  ctx,
                  market,
                  traders[i],
                  lp,
                  buys,
                  closing,
                  r.price(),
                  ++rank,
                  policy.score(book, i),
                  policy.name(),
                  "to reduce the liquidity provider's " + r.why()));
    }
    if (lots == 0) {
      return false;
    }
    Candidates.settleEmptied(ctx, market, traders);
    Candidates.applied(
        ctx,
        lp,
        market,
        Event.BackstopAction.DELEVERAGE,
        r.fired(),
        policy.name(),
        r.mode() == AllocationMode.BUDGET ? r.target() : 0,
        value,
        new long[] {r.mode() == AllocationMode.SIZE ? r.target() : 0, lots, 0},
        0);
    return true;
  }
}
