package dev.backstop.core.market;

import static dev.backstop.core.market.BackstopSpec.ExecutionPrice.BANKRUPTCY;
import static dev.backstop.core.market.BackstopSpec.ExecutionPrice.MARK;
import static dev.backstop.core.market.BackstopSpec.ExecutionPrice.PREMIUM_INDEX;
import static dev.backstop.core.market.BackstopSpec.ExecutionPrice.PREVIOUS_MARK;

import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.ContractProRataPolicy;
import dev.backstop.core.adl.allocation.MinMaxBurdenPolicy;
import dev.backstop.core.adl.allocation.ProRataPolicy;
import dev.backstop.core.adl.allocation.QueueFullPolicy;
import dev.backstop.core.adl.allocation.QueuePolicy;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RandomPolicy;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy;
import dev.backstop.core.adl.allocation.WaterFillingPolicy;
import dev.backstop.core.market.BackstopSpec.ExecutionPrice;
import dev.backstop.core.market.BackstopSpec.Resolution;
import dev.backstop.core.market.BackstopSpec.Trigger.FundCannotCover;
import dev.backstop.core.market.BackstopSpec.Trigger.FundDrawdown;
import dev.backstop.core.market.BackstopSpec.Trigger.LpExposure;
import dev.backstop.core.market.BackstopSpec.Trigger.PnlFactor;
import dev.backstop.core.num.Fixed;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Market configurations of real venues by preset name. Each sets risk tiers, fees, the liquidation
 * penalty, partial or full closes, the surplus rule and the liquidity model, from the venue's
 * published documentation ({@code shared/docs/MECHANISMS.md}); {@code docs/venues.md} tabulates
 * every choice and marks the ones a venue does not publish.
 */
public final class MarketPresets {

  private static final long PCT = 1_000_000L; // 1% at rate scale
  private static final long USD = 1_000_000L; // one dollar in money units

  private static final Map<String, Supplier<MarketConfig.Builder>> PRESETS = new TreeMap<>();

  /** The account of Drift's liquidators (the keepers taking over positions) in its preset. */
  public static final String DRIFT_LIQUIDATOR = "drift-liquidator";

  /** The account of Hyperliquid's liquidator vault in its presets. */
  public static final String HYPERLIQUID_VAULT = "liquidator-vault";

  /** Bybit's 8-hour rule and OKX's decline rate: start at a 30% fall, stop at 25%. */
  private static final FundDrawdown EIGHT_HOUR_DRAWDOWN =
      new FundDrawdown(8 * 3_600_000L, 30 * PCT, 25 * PCT);

  /** The seed of dYdX v4's pseudo-random start; each deleveraging mixes in the sequence. */
  private static final long DYDX_SEED = 0x64796478L;

  static {
    // BitMEX XBTUSD: 100x, maintenance 0.35%; liquidation takes the whole position and the
    // remaining margin goes to the insurance fund.
    PRESETS.put(
        "bitmex",
        () ->
            base("bitmex")
                .tiers(RiskTiers.flat(100, 35 * PCT / 100))
                .takerFeeRate(75 * PCT / 1000)
                .liquidationPenaltyRate(0)
                .liquidationMode(LiquidationMode.FULL)
                .surplusRule(SurplusRule.TO_INSURANCE)
                .liquidity(orderBook())
                .backstop(
                    deleverage(
                        new FundCannotCover(), new QueuePolicy(QueueScore.BITMEX), BANKRUPTCY)));
    // Binance USD-M BTCUSDT leverage brackets (published table); partial closes; the clearance
    // fee (what is left) goes to the insurance fund.
    PRESETS.put(
        "binance",
        () ->
            base("binance")
                .tiers(
                    RiskTiers.of(
                        List.of(
                            tier(0, 125, 40 * PCT / 100),
                            tier(50_000, 100, 50 * PCT / 100),
                            tier(250_000, 50, PCT),
                            tier(3_000_000, 20, 250 * PCT / 100),
                            tier(15_000_000, 10, 5 * PCT),
                            tier(30_000_000, 5, 10 * PCT),
                            tier(80_000_000, 4, 125 * PCT / 10),
                            tier(100_000_000, 3, 15 * PCT),
                            tier(200_000_000, 2, 25 * PCT),
                            tier(300_000_000, 1, 50 * PCT))))
                .takerFeeRate(5 * PCT / 100)
                .makerFeeRate(2 * PCT / 100)
                .liquidationPenaltyRate(0)
                .liquidationMode(LiquidationMode.PARTIAL)
                .surplusRule(SurplusRule.TO_INSURANCE)
                // "a maximum net notional position ... by default 100% the size of the fund".
                .liquidity(orderBook().withTakeover(new TakeoverSpec.Fund(PCT * 100, PCT / 2)))
                .backstop(
                    deleverage(
                        new FundCannotCover(), new QueuePolicy(QueueScore.BINANCE), BANKRUPTCY)));
    // Bybit BTCUSDT risk limits (first two bands); partial; remaining margin to the fund.
    PRESETS.put(
        "bybit",
        () ->
            base("bybit")
                .tiers(
                    RiskTiers.of(List.of(tier(0, 100, 50 * PCT / 100), tier(2_000_000, 50, PCT))))
                .takerFeeRate(55 * PCT / 1000)
                .makerFeeRate(2 * PCT / 100)
                .liquidationPenaltyRate(0)
                .liquidationMode(LiquidationMode.PARTIAL)
                .surplusRule(SurplusRule.TO_INSURANCE)
                .liquidity(orderBook())
                .backstop(
                    deleverage(
                        EIGHT_HOUR_DRAWDOWN, new QueuePolicy(QueueScore.BINANCE), BANKRUPTCY)));
    // OKX BTC-USDT-SWAP tier 1: 100x, MMR 0.4%; partial; liquidation fee to the fund.
    PRESETS.put(
        "okx",
        () ->
            base("okx")
                .tiers(RiskTiers.flat(100, 40 * PCT / 100))
                .takerFeeRate(5 * PCT / 100)
                .makerFeeRate(2 * PCT / 100)
                .liquidationPenaltyRate(50 * PCT / 100)
                .liquidationMode(LiquidationMode.PARTIAL)
                .surplusRule(SurplusRule.KEEP)
                .liquidity(orderBook())
                .backstop(
                    deleverage(
                        EIGHT_HOUR_DRAWDOWN,
                        new QueuePolicy(QueueScore.BINANCE),
                        ExecutionPrice.MARK_OR_BANKRUPTCY)));
    // Hyperliquid BTC margin tiers: 40x to 150M (MMR = half the initial margin), 20x above.
    // Closes go to the book; the trader keeps what is left (no liquidation fee).
    PRESETS.put(
        "hyperliquid",
        () ->
            base("hyperliquid")
                .sizeDecimals(5)
                .priceDecimals(1)
                .tiers(
                    RiskTiers.of(
                        List.of(
                            tier(0, 40, 125 * PCT / 100), tier(150_000_000, 20, 250 * PCT / 100))))
                .takerFeeRate(45 * PCT / 1000)
                .makerFeeRate(15 * PCT / 1000)
                .liquidationPenaltyRate(0)
                .liquidationMode(LiquidationMode.FULL)
                .surplusRule(SurplusRule.KEEP)
                .liquidity(hyperliquidBook())
                .backstop(
                    deleverage(
                        new FundCannotCover(),
                        new QueueFullPolicy(QueueScore.HYPERLIQUID),
                        PREVIOUS_MARK)));
    // dYdX v4 BTC-USD: initial margin fraction 5% (20x), maintenance 3%; liquidation fee
    // min(1.5% of the quote, what is left) to the insurance fund.
    PRESETS.put(
        "dydx-v4",
        () ->
            base("dydx-v4")
                .tiers(RiskTiers.flat(20, 3 * PCT))
                .takerFeeRate(5 * PCT / 100)
                .makerFeeRate(PCT / 100)
                .liquidationPenaltyRate(150 * PCT / 100)
                .liquidationMode(LiquidationMode.FULL)
                .surplusRule(SurplusRule.KEEP)
                // No takeover: deleverage when the liquidation order fills nothing.
                .liquidity(orderBook().withTakeover(new TakeoverSpec.None()))
                // Free collateral = net collateral - initial margin, unrealized PnL included.
                .unrealizedPnlWithdrawable(true)
                .backstop(
                    deleverage(
                        new FundCannotCover(),
                        new RandomPolicy(DYDX_SEED, RandomPolicy.DEFAULT_MAX_ITERATIONS),
                        BANKRUPTCY)));
    // GMX v2: the pool is the counterparty; 100x, min collateral factor 1%.
    PRESETS.put(
        "gmx-v2",
        () ->
            base("gmx-v2")
                .tiers(RiskTiers.flat(100, PCT))
                .takerFeeRate(6 * PCT / 100)
                .makerFeeRate(4 * PCT / 100)
                .liquidationPenaltyRate(20 * PCT / 100)
                .liquidationMode(LiquidationMode.FULL)
                .surplusRule(SurplusRule.KEEP)
                .liquidity(new LiquiditySpec.LpCounterparty("gmx-pool"))
                .backstop(
                    deleverage(
                        new PnlFactor(85 * PCT, 77 * PCT),
                        new QueuePolicy(QueueScore.BITMEX),
                        MARK)));
    // Drift v2 SOL-PERP style: 10x initial, 5% maintenance; liquidators take partial closes
    // with a 1% fee.
    PRESETS.put(
        "drift-v2",
        () ->
            base("drift-v2")
                .tiers(RiskTiers.flat(10, 5 * PCT))
                .takerFeeRate(10 * PCT / 100)
                .liquidationPenaltyRate(PCT)
                .liquidationMode(LiquidationMode.PARTIAL)
                .surplusRule(SurplusRule.KEEP)
                // Liquidators take over what the book cannot fill, at the oracle price; a
                // deficit left behind is resolved by resolve_perp_bankruptcy.
                .liquidity(
                    orderBook()
                        .withTakeover(
                            new TakeoverSpec.Vault(DRIFT_LIQUIDATOR, Fixed.RATE_ONE, PCT / 2)))
                // resolve_perp_bankruptcy's min(loss, vault - 1, maxInsurance - settled): the
                // market's limit is not in the sources, 10M is our choice.
                .maxInsurance(10_000_000 * USD)
                .backstop(
                    new BackstopSpec(
                        new FundCannotCover(), new Resolution.Socialize(), BANKRUPTCY)));
    // Variational Omni: settlement pools with the OLP, 0.5% penalty paid by the liquidated
    // taker, full close. Omni does not publish its MMR: 50x with MMR 1% is our choice.
    PRESETS.put(
        "omni",
        () ->
            base("omni")
                .tiers(RiskTiers.flat(50, PCT))
                .liquidationPenaltyRate(50 * PCT / 100)
                .liquidationMode(LiquidationMode.FULL)
                .surplusRule(SurplusRule.KEEP)
                // "The OLP is the counterparty to every trade", inside settlement pools only.
                .liquidity(new LiquiditySpec.LpCounterparty("olp", true)));
    // Tradoor: the TLP pool is the counterparty. Tier values unpublished: 100x, MMR 0.5% chosen.
    PRESETS.put(
        "tradoor",
        () ->
            base("tradoor")
                .tiers(RiskTiers.flat(100, 50 * PCT / 100))
                .takerFeeRate(5 * PCT / 100)
                .liquidationPenaltyRate(50 * PCT / 100)
                .liquidationMode(LiquidationMode.FULL)
                .surplusRule(SurplusRule.KEEP)
                .liquidity(new LiquiditySpec.LpCounterparty("tlp"))
                .backstop(
                    deleverage(
                        new LpExposure(10 * PCT, 5 * PCT),
                        new QueuePolicy(QueueScore.TRADOOR),
                        PREMIUM_INDEX)));
  }

  /**
   * Ethereal (MECHANISMS.md, the queue table): deleveraging when the fund cannot cover, ranked by
   * effective leverage with the tie-break chain (PnL, lowest balance, newest account), "just
   * enough", at the oracle mark capped at the bankruptcy price. Its tiers and fees are not in the
   * sources: 20x with MMR 2.5%, taker 0.03%, maker 0 are our choices (docs/venues.md).
   */
  static {
    PRESETS.put(
        "ethereal",
        () ->
            base("ethereal")
                .tiers(RiskTiers.flat(20, 250 * PCT / 100))
                .takerFeeRate(3 * PCT / 100)
                .liquidationPenaltyRate(0)
                .liquidationMode(LiquidationMode.FULL)
                .surplusRule(SurplusRule.TO_INSURANCE)
                .liquidity(orderBook())
                .backstop(
                    deleverage(
                        new FundCannotCover(),
                        new QueuePolicy(QueueScore.ETHEREAL),
                        ExecutionPrice.MARK_CAPPED_AT_BANKRUPTCY)));
  }

  /**
   * Research presets: Hyperliquid's market with the allocation policies of recent papers in place
   * of its queue (RESEARCH.md). Money policies claw the uncovered shortfall back from winners' PnL;
   * size policies deleverage the bankrupt position at its bankruptcy price.
   */
  static {
    research("pro-rata", new Resolution.Haircut(new ProRataPolicy()));
    research("rap", new Resolution.Haircut(new RiskAwareProRataPolicy()));
    research("min-max", new Resolution.Haircut(new MinMaxBurdenPolicy()));
    research("contract-pro-rata", new Resolution.Deleverage(new ContractProRataPolicy()));
    research("water-filling", new Resolution.Deleverage(new WaterFillingPolicy()));
  }

  private static void research(String name, Resolution resolution) {
    Supplier<MarketConfig.Builder> base = PRESETS.get("hyperliquid");
    PRESETS.put(
        name,
        () ->
            base.get()
                .preset(name)
                .backstop(new BackstopSpec(new FundCannotCover(), resolution, BANKRUPTCY)));
  }

  private MarketPresets() {}

  /** The preset names, sorted. */
  public static List<String> names() {
    return List.copyOf(PRESETS.keySet());
  }

  /**
   * A builder holding the named preset, ready for overrides.
   *
   * @param insuranceFund name of the fund serving the market
   * @throws IllegalArgumentException for an unknown preset, listing the known ones
   */
  public static MarketConfig.Builder builder(String preset, String insuranceFund) {
    Supplier<MarketConfig.Builder> supplier = PRESETS.get(preset);
    if (supplier == null) {
      throw new IllegalArgumentException(
          "unknown preset '" + preset + "'; known presets: " + String.join(", ", names()));
    }
    return supplier.get().insuranceFund(insuranceFund);
  }

  /** The named preset with a fund of the given name. */
  public static MarketConfig get(String preset, String insuranceFund) {
    return builder(preset, insuranceFund).build();
  }

  private static MarketConfig.Builder base(String name) {
    return MarketConfig.builder().preset(name);
  }

  private static BackstopSpec deleverage(
      BackstopSpec.Trigger trigger, AllocationPolicy policy, ExecutionPrice price) {
    return new BackstopSpec(trigger, new Resolution.Deleverage(policy), price);
  }

  private static LiquiditySpec.OrderBook orderBook() {
    return LiquiditySpec.OrderBook.standard("book");
  }

  /**
   * Hyperliquid: a liquidation is a market order for the full size (10% slippage tolerance, the
   * default of its market orders; never beyond the bankruptcy price here), then the liquidator
   * vault below 2/3 of maintenance margin.
   */
  private static LiquiditySpec.OrderBook hyperliquidBook() {
    LiquiditySpec.OrderBook b = orderBook();
    return new LiquiditySpec.OrderBook(
        b.account(),
        b.halfSpreadRate(),
        b.depthAtOnePercent(),
        b.stepRate(),
        b.levels(),
        b.halfLifeMillis(),
        LiquiditySpec.LimitRule.MARK_SLIPPAGE,
        10 * PCT,
        new TakeoverSpec.Vault(HYPERLIQUID_VAULT, 2 * PCT * 100 / 3, PCT / 2));
  }

  private static RiskTier tier(long floorDollars, long maxLeverage, long mmr) {
    return new RiskTier(floorDollars * USD, maxLeverage, mmr, 0);
  }
}
