package dev.backstop.core.market;

import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.util.Objects;

/**
 * Immutable contract specification and liquidation rules of one perpetual market.
 *
 * <p>Sizes are counted in lots of {@code 10^-sizeDecimals} and prices in ticks of {@code
 * 10^-priceDecimals}; {@code sizeDecimals + priceDecimals <= Fixed.MONEY_DECIMALS}, so the notional
 * of any size at any price is an exact number of money units (Hyperliquid's rule for its
 * perpetuals). Build one with {@link #builder()} or start from a venue preset in {@link
 * MarketPresets}.
 *
 * @param preset the venue preset this configuration came from, or {@code "custom"}
 * @param sizeDecimals decimals of a lot
 * @param priceDecimals decimals of a tick
 * @param tiers risk tiers by position notional
 * @param takerFeeRate fee paid by the taker of a trade, rate scale
 * @param makerFeeRate fee paid by the maker of a trade, rate scale
 * @param liquidationPenaltyRate the liquidation penalty, rate scale: a fee to the insurance fund on
 *     order-book venues, the price concession to the LP on LP-counterparty venues
 * @param liquidationMode partial or full closes
 * @param surplusRule what a fully liquidated account's leftover equity does
 * @param insuranceFund name of the insurance fund serving the market (markets naming the same fund
 *     share it)
 * @param liquidity who takes the other side of liquidation closes
 * @param backstop the last resort when the insurance fund cannot cover a shortfall
 * @param factorLoading the market's loading on the dominant risk factor, rate scale (1.0 for
 *     BTC-like markets): water-filling on cross accounts weighs each position by it, so a hedge
 *     across correlated markets counts as a hedge (Campbell, Hey, Moallemi, Nutz)
 * @param priceBandRate how far from the mark a trade may be priced, rate scale (a venue's price
 *     protection or oracle band): a trade outside {@code mark * (1 +- band)} is rejected, so no
 *     trade at an arbitrary price moves value between accounts
 * @param unrealizedPnlWithdrawable whether unrealized profit counts as withdrawable collateral
 *     (dYdX v4's free collateral counts it); otherwise only settled cash above the margin in use is
 * @param maxInsurance the most the insurance fund pays this market's shortfalls over its life,
 *     money units, 0 for no limit; with a limit the fund also keeps one unit (Drift v2's {@code
 *     resolve_perp_bankruptcy}: {@code min(loss, vault - 1, maxInsurance - settledInsurance)})
 */
public record MarketConfig(
    String preset,
    int sizeDecimals,
    int priceDecimals,
    RiskTiers tiers,
    long takerFeeRate,
    long makerFeeRate,
    long liquidationPenaltyRate,
    LiquidationMode liquidationMode,
    SurplusRule surplusRule,
    String insuranceFund,
    LiquiditySpec liquidity,
    BackstopSpec backstop,
    long factorLoading,
    long priceBandRate,
    boolean unrealizedPnlWithdrawable,
    long maxInsurance) {

  /**
   * The insurance fund of a market that names none: one fund, shared by every such market (the
   * builder's, the command files' and the simulator's default alike).
   */
  public static final String DEFAULT_INSURANCE_FUND = "insurance";

  /** The price band of a market that sets none: 10% either side of the mark. */
  public static final long DEFAULT_PRICE_BAND = 10 * Fixed.RATE_ONE / 100;

  /** Validates the specification. */
  public MarketConfig {
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(tiers, "tiers");
    Objects.requireNonNull(liquidationMode, "liquidationMode");
    Objects.requireNonNull(surplusRule, "surplusRule");
    Objects.requireNonNull(insuranceFund, "insuranceFund");
    Objects.requireNonNull(liquidity, "liquidity");
    Objects.requireNonNull(backstop, "backstop");
    if (sizeDecimals < 0 || priceDecimals < 0) {
      throw new IllegalArgumentException("size and price decimals must be >= 0");
    }
    if (sizeDecimals + priceDecimals > Fixed.MONEY_DECIMALS) {
      throw new IllegalArgumentException(
          "sizeDecimals + priceDecimals must be <= "
              + Fixed.MONEY_DECIMALS
              + " so that every notional is an exact money amount");
    }
    checkRate("taker fee", takerFeeRate);
    checkRate("maker fee", makerFeeRate);
    checkRate("liquidation penalty", liquidationPenaltyRate);
    if (Math.abs(factorLoading) > 10 * Fixed.RATE_ONE) {
      throw new IllegalArgumentException("factor loading must be between -10 and 10");
    }
    if (maxInsurance < 0) {
      throw new IllegalArgumentException("max insurance must be >= 0");
    }
    if (priceBandRate <= 0 || priceBandRate >= Fixed.RATE_ONE) {
      throw new IllegalArgumentException("price band must be in (0, 1)");
    }
    if (insuranceFund.isBlank()) {
      throw new IllegalArgumentException("insurance fund name must not be blank");
    }
    boolean lpRule =
        backstop.trigger() instanceof BackstopSpec.Trigger.PnlFactor
            || backstop.trigger() instanceof BackstopSpec.Trigger.LpExposure;
    if (lpRule && !(liquidity instanceof LiquiditySpec.LpCounterparty)) {
      throw new IllegalArgumentException(
          "the PnL-factor and LP-exposure triggers reduce positions against a liquidity provider:"
              + " they need the lp liquidity, not an order book");
    }
  }

  private static void checkRate(String what, long rate) {
    if (rate < 0 || rate >= Fixed.RATE_ONE) {
      throw new IllegalArgumentException(what + " rate must be in [0, 1)");
    }
  }

  /** Money units per (lot x tick): {@code 10^(MONEY_DECIMALS - sizeDecimals - priceDecimals)}. */
  public long notionalUnit() {
    return Fixed.pow10(Fixed.MONEY_DECIMALS - sizeDecimals - priceDecimals);
  }

  /** Signed value of a size (lots) at a price (ticks), money units, exact (overflow-checked). */
  public long value(long lots, long ticks) {
    return Math.multiplyExact(Math.multiplyExact(lots, ticks), notionalUnit());
  }

  /** Absolute notional of a size at a price, money units, exact. */
  public long notional(long lots, long ticks) {
    return Math.abs(value(lots, ticks));
  }

  /** A size in lots as a decimal. */
  public Decimal size(long lots) {
    return Decimal.ofUnits(lots, sizeDecimals);
  }

  /** A price in ticks as a decimal. */
  public Decimal price(long ticks) {
    return Decimal.ofUnits(ticks, priceDecimals);
  }

  /** A builder with neutral defaults (see {@link Builder}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration, for overrides. */
  public Builder toBuilder() {
    return new Builder()
        .preset(preset)
        .sizeDecimals(sizeDecimals)
        .priceDecimals(priceDecimals)
        .tiers(tiers)
        .takerFeeRate(takerFeeRate)
        .makerFeeRate(makerFeeRate)
        .liquidationPenaltyRate(liquidationPenaltyRate)
        .liquidationMode(liquidationMode)
        .surplusRule(surplusRule)
        .insuranceFund(insuranceFund)
        .liquidity(liquidity)
        .backstop(backstop)
        .factorLoading(factorLoading)
        .priceBandRate(priceBandRate)
        .unrealizedPnlWithdrawable(unrealizedPnlWithdrawable)
        .maxInsurance(maxInsurance);
  }

  /** The order book, or null on an LP-counterparty market. */
  public LiquiditySpec.OrderBook book() {
    return liquidity instanceof LiquiditySpec.OrderBook b ? b : null;
  }

  /**
   * Builds a {@link MarketConfig}. Defaults: preset {@code custom}, 4 size decimals, 2 price
   * decimals, 20x with 2.5% MMR, no fees, 0.5% penalty, full liquidation, surplus to the insurance
   * fund, fund {@code insurance}, {@link LiquiditySpec.OrderBook#standard} with maker {@code book},
   * no backstop beyond the fund (bad debt), a 10% price band, unrealized profit not withdrawable.
   */
  public static final class Builder {
    private String preset = "custom";
    private int sizeDecimals = 4;
    private int priceDecimals = 2;
    private RiskTiers tiers = RiskTiers.flat(20, 2_500_000);
    private long takerFeeRate;
    private long makerFeeRate;
    private long liquidationPenaltyRate = 500_000;
    private LiquidationMode liquidationMode = LiquidationMode.FULL;
    private SurplusRule surplusRule = SurplusRule.TO_INSURANCE;
    private String insuranceFund = DEFAULT_INSURANCE_FUND;
    private LiquiditySpec liquidity = LiquiditySpec.OrderBook.standard("book");
    private BackstopSpec backstop = BackstopSpec.badDebtOnly();
    private long factorLoading = Fixed.RATE_ONE;
    private long priceBandRate = DEFAULT_PRICE_BAND;
    private boolean unrealizedPnlWithdrawable;
    private long maxInsurance;

    private Builder() {}

    /** Sets the preset name. */
    public Builder preset(String value) {
      preset = value;
      return this;
    }

    /** Sets the lot decimals. */
    public Builder sizeDecimals(int value) {
      sizeDecimals = value;
      return this;
    }

    /** Sets the tick decimals. */
    public Builder priceDecimals(int value) {
      priceDecimals = value;
      return this;
    }

    /** Sets the risk tiers. */
    public Builder tiers(RiskTiers value) {
      tiers = value;
      return this;
    }

    /** Sets the taker fee rate (rate scale). */
    public Builder takerFeeRate(long value) {
      takerFeeRate = value;
      return this;
    }

    /** Sets the maker fee rate (rate scale). */
    public Builder makerFeeRate(long value) {
      makerFeeRate = value;
      return this;
    }

    /** Sets the liquidation penalty rate (rate scale). */
    public Builder liquidationPenaltyRate(long value) {
      liquidationPenaltyRate = value;
      return this;
    }

    /** Sets partial or full liquidation. */
    public Builder liquidationMode(LiquidationMode value) {
      liquidationMode = value;
      return this;
    }

    /** Sets the surplus rule. */
    public Builder surplusRule(SurplusRule value) {
      surplusRule = value;
      return this;
    }

    /** Sets the insurance fund name. */
    public Builder insuranceFund(String value) {
      insuranceFund = value;
      return this;
    }

    /** Sets the liquidity model. */
    public Builder liquidity(LiquiditySpec value) {
      liquidity = value;
      return this;
    }

    /** Sets the backstop. */
    public Builder backstop(BackstopSpec value) {
      backstop = value;
      return this;
    }

    /** Sets the loading on the dominant risk factor (rate scale). */
    public Builder factorLoading(long value) {
      factorLoading = value;
      return this;
    }

    /** Sets the price band (rate scale). */
    public Builder priceBandRate(long value) {
      priceBandRate = value;
      return this;
    }

    /** Sets whether unrealized profit is withdrawable. */
    public Builder unrealizedPnlWithdrawable(boolean value) {
      unrealizedPnlWithdrawable = value;
      return this;
    }

    /** Sets the most the fund pays this market's shortfalls (money units, 0: no limit). */
    public Builder maxInsurance(long value) {
      maxInsurance = value;
      return this;
    }

    /** Validates and builds. */
    public MarketConfig build() {
      return new MarketConfig(
          preset,
          sizeDecimals,
          priceDecimals,
          tiers,
          takerFeeRate,
          makerFeeRate,
          liquidationPenaltyRate,
          liquidationMode,
          surplusRule,
          insuranceFund,
          liquidity,
          backstop,
          factorLoading,
          priceBandRate,
          unrealizedPnlWithdrawable,
          maxInsurance);
    }
  }
}
