package dev.backstop.core.mechanism;

import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Drift v2's {@code resolve_perp_bankruptcy}: after the insurance fund, the market's own fee pool
 * pays (each perp market has its own); what remains is charged to every open position of the market
 * per unit of size, longs and shorts alike ({@code delta = L / (baseLong + baseShort)}), each share
 * rounded up, the rounding excess to the fee pool.
 */
public record SizeSocialization() implements BankruptcyResolution {

  @Override
  public long cover(MarketContext ctx, int marginAccount, int market, long uncovered) {
    MarketConfig config = ctx.config(market);
    long fromFees = Math.min(uncovered, Math.max(0, ctx.feePool(market)));
    if (fromFees > 0) {
      ctx.payFromFeePool(market, marginAccount, fromFees);
    }
    long loss = uncovered - fromFees;
    int[] positions = Candidates.positions(ctx, market, marginAccount, q -> true);
    long base = 0;
    for (int q : positions) {
      base = Math.addExact(base, Math.abs(ctx.size(q)));
    }
    if (loss > 0 && base > 0) {
      long charged = 0;
      for (int q : positions) {
        int c = ctx.marginAccountOf(q);
        long size = ctx.size(q);
        long share = Fixed.mulDiv(Math.abs(size), loss, base, RoundingMode.CEILING);
        ctx.transfer(c, marginAccount, share);
        charged = Math.addExact(charged, share);
        ctx.emit(
            new Event.LossSocialized(
                ctx.nextSeq(),
                ctx.now(),
                ctx.marketName(market),
                ctx.accountName(c),
                ctx.marginName(c),
                config.size(size),
                Decimal.money(share)));
      }
      ctx.chargeToFeePool(market, marginAccount, charged - loss);
    }
    long residual = base > 0 ? 0 : loss;
    Candidates.applied(
        ctx,
        marginAccount,
        market,
        Event.BackstopAction.SOCIALIZE,
        Candidates.Fired.fund(ctx, market, uncovered),
        "per-unit-size",
        uncovered,
        uncovered - residual,
        Candidates.NO_SIZES,
        residual);
    return residual;
  }
}
