package dev.backstop.core.mechanism;

import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.BackstopSpec.ExecutionPrice;
import dev.backstop.core.market.BackstopSpec.Trigger;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/** The price at which a deleveraging fill executes, one implementation per venue's rule. */
public sealed interface ExecutionPriceRule {

  /** The rule of a specification; the premium index takes its rate from the LP-exposure trigger. */
  static ExecutionPriceRule of(ExecutionPrice price, Trigger trigger) {
    return switch (price) {
      case BANKRUPTCY -> new AtBankruptcy();
      case MARK -> new AtMark();
      case PREVIOUS_MARK -> new AtPreviousMark();
      case MARK_CAPPED_AT_BANKRUPTCY -> new AtMarkCappedAtBankruptcy();
      case MARK_OR_BANKRUPTCY -> new AtMarkOrBankruptcy();
      case PREMIUM_INDEX -> {
        if (!(trigger instanceof Trigger.LpExposure exposure)) {
          throw new IllegalArgumentException(
              "the premium-index price needs the lp-exposure trigger that defines its premium");
        }
        yield new AtPremiumIndex(exposure);
      }
    };
  }

  /**
   * The execution price (ticks) of a fill in {@code market} against a bankrupt position.
   *
   * @param bankruptIsLong whether the bankrupt position is long (it sells to close)
   * @param deficit the bankrupt account's negative equity at mark (0 if none)
   */
  long price(
      MarketContext ctx, int market, long bankruptcyPrice, boolean bankruptIsLong, long deficit);

  /** The bankrupt position's bankruptcy price (BitMEX, Binance, Bybit, dYdX v4). */
  record AtBankruptcy() implements ExecutionPriceRule {
    @Override
    public long price(
        MarketContext ctx, int market, long bankruptcyPrice, boolean bankruptIsLong, long deficit) {
      return bankruptcyPrice;
    }
  }

  /** The mark at matching (OKX). */
  record AtMark() implements ExecutionPriceRule {
    @Override
    public long price(
        MarketContext ctx, int market, long bankruptcyPrice, boolean bankruptIsLong, long deficit) {
      return ctx.mark(market);
    }
  }

  /**
   * OKX: the mark at matching, but the bankruptcy price when the insurance fund cannot cover the
   * bankrupt account's deficit ("bankruptcy price only if the fund is nearly empty",
   * MECHANISMS.md): at mark a deleveraging recovers nothing of a deficit, which an empty fund would
   * leave as bad debt.
   */
  record AtMarkOrBankruptcy() implements ExecutionPriceRule {
    @Override
    public long price(
        MarketContext ctx, int market, long bankruptcyPrice, boolean bankruptIsLong, long deficit) {
      return ctx.fundBalance(market) < deficit ? bankruptcyPrice : ctx.mark(market);
    }
  }

  /**
   * Ethereal: the oracle mark, capped at the bankruptcy price: a bankrupt long sells at {@code
   * min(mark, bankruptcy)}, a bankrupt short buys at {@code max(mark, bankruptcy)}, so a position
   * still solvent at mark gives its surplus to the counterparty rather than keeping it.
   */
  record AtMarkCappedAtBankruptcy() implements ExecutionPriceRule {
    @Override
    public long price(
        MarketContext ctx, int market, long bankruptcyPrice, boolean bankruptIsLong, long deficit) {
      long mark = ctx.mark(market);
      return bankruptIsLong ? Math.min(mark, bankruptcyPrice) : Math.max(mark, bankruptcyPrice);
    }
  }

  /** The mark before the current price update (Hyperliquid); the mark if there was none. */
  record AtPreviousMark() implements ExecutionPriceRule {
    @Override
    public long price(
        MarketContext ctx, int market, long bankruptcyPrice, boolean bankruptIsLong, long deficit) {
      long previous = ctx.previousMark(market);
      return previous == 0 ? ctx.mark(market) : previous;
    }
  }

  /**
   * Tradoor: {@code (1 + PR_0) * index}, with the premium rate {@code PR_0 = slope * exposure /
   * liquidity} of the LP's position, capped, positive when traders are net long (the LP short).
   *
   * @param exposure the LP-exposure trigger whose slope and cap set the premium
   */
  record AtPremiumIndex(BackstopSpec.Trigger.LpExposure exposure) implements ExecutionPriceRule {
    @Override
    public long price(
        MarketContext ctx, int market, long bankruptcyPrice, boolean bankruptIsLong, long deficit) {
      long index = ctx.index(market) == 0 ? ctx.mark(market) : ctx.index(market);
      return Math.max(
          1,
          Fixed.mulDiv(
              index,
              Math.addExact(Fixed.RATE_ONE, premiumRate(ctx, market)),
              Fixed.RATE_ONE,
              RoundingMode.FLOOR));
    }

    /** {@code PR_0}, rate scale, signed. */
    long premiumRate(MarketContext ctx, int market) {
      int lp = ctx.liquidityMarginAccount(market);
      int p = ctx.position(lp, market);
      long lpSize = p == MarketContext.NONE ? 0 : ctx.size(p);
      if (lpSize == 0) {
        return 0;
      }
      long notional = ctx.config(market).notional(lpSize, ctx.mark(market));
      long liquidity = ctx.equity(lp);
      long rate =
          liquidity <= 0
              ? exposure.maxPremium()
              : Math.min(
                  exposure.maxPremium(),
                  Fixed.mulDiv(exposure.premiumSlope(), notional, liquidity, RoundingMode.FLOOR));
      return lpSize < 0 ? rate : -rate;
    }
  }
}
