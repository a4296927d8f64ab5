package dev.backstop.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.ProRataPolicy;
import dev.backstop.core.adl.allocation.QueueFullPolicy;
import dev.backstop.core.adl.allocation.QueuePolicy;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RandomPolicy;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.LiquidationMode;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.market.RiskTier;
import dev.backstop.core.market.SurplusRule;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.option.OptionKind;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The JSONL command reader: each line type, the market overrides, and what it refuses. */
class CommandReaderTest {

  private final CommandReader reader = new CommandReader();

  private MarketConfig market(String json) throws BadCommandException {
    return ((Command.CreateMarket) reader.read(json)).config();
  }

  private BadCommandException bad(String json) {
    try {
      Command accepted = reader.read(json);
      throw new AssertionError("accepted " + json + " as " + accepted);
    } catch (BadCommandException e) {
      return e;
    }
  }

  @Test
  void aPresetMarketServedByAFundNamedAfterIt() throws BadCommandException {
    MarketConfig config =
        market("{\"type\":\"market\",\"market\":\"BTC-PERP\",\"preset\":\"bitmex\"}");
    assertThat(config).isEqualTo(MarketPresets.get("bitmex", "BTC-PERP"));
  }

  @Test
  void overridesReplaceThePresetsValues() throws BadCommandException {
    MarketConfig config =
        market(
            """
            {"type":"market","market":"ETH-PERP","preset":"bybit","insuranceFund":"shared",
             "sizeDecimals":3,"priceDecimals":2,"takerFee":"0.0004","makerFee":"0.0001",
             "liquidationPenalty":"0.005","liquidationMode":"full","surplus":"keep",
             "tiers":[{"notional":"0","maxLeverage":"50","maintenanceMarginRate":"0.01"},
                      {"notional":"100000","maxLeverage":"20","maintenanceMarginRate":"0.025"}],
             "liquidity":{"model":"book","depth":"2000000","halfLife":30000,"limit":"slippage",
                          "maxSlippage":"0.1","takeover":{"layer":"fund","cap":"1"}}}""");
    assertThat(config.preset()).isEqualTo("bybit");
    assertThat(config.insuranceFund()).isEqualTo("shared");
    assertThat(config.sizeDecimals()).isEqualTo(3);
    assertThat(config.takerFeeRate()).isEqualTo(40_000);
    assertThat(config.makerFeeRate()).isEqualTo(10_000);
    assertThat(config.liquidationPenaltyRate()).isEqualTo(500_000);
    assertThat(config.liquidationMode()).isEqualTo(LiquidationMode.FULL);
    assertThat(config.surplusRule()).isEqualTo(SurplusRule.KEEP);
    // 100000 * (2.5% - 1%) = 1500 of maintenance deduction in the second tier.
    assertThat(config.tiers().tiers())
        .containsExactly(
            new RiskTier(0, 50, 1_000_000, 0),
            new RiskTier(100_000_000_000L, 20, 2_500_000, 1_500_000_000L));
    // The book keeps the preset's maker, half spread, step and levels, with the new depth,
    // half-life, limit and takeover (the offload slippage the preset's).
    assertThat(config.liquidity())
        .isEqualTo(
            new LiquiditySpec.OrderBook(
                "book",
                10_000,
                2_000_000_000_000L,
                100_000,
                50,
                30_000,
                LiquiditySpec.LimitRule.MARK_SLIPPAGE,
                10_000_000,
                new dev.backstop.core.market.TakeoverSpec.Fund(100_000_000, 500_000)));
  }

  @Test
  void withoutAPresetTheBuildersDefaultsWithOneFlatTierAndAnLpCounterparty()
      throws BadCommandException {
    MarketConfig config =
        market(
            """
            {"type":"market","market":"X","maxLeverage":"10","maintenanceMarginRate":"0.05",
             "liquidity":{"model":"lp","account":"pool"}}""");
    assertThat(config.preset()).isEqualTo("custom");
    assertThat(config.insuranceFund()).isEqualTo("X");
    assertThat(config.tiers().tiers()).containsExactly(new RiskTier(0, 10, 5_000_000, 0));
    assertThat(config.liquidity()).isEqualTo(new LiquiditySpec.LpCounterparty("pool"));
  }

  @Test
  void marginReferencesOfDepositsAndTrades() throws BadCommandException {
    assertThat(
            reader.read("{\"type\":\"deposit\",\"account\":\"u\",\"amount\":\"5\",\"pool\":\"p\"}"))
        .isEqualTo(new Command.Deposit("u", Decimal.of(5), MarginRef.pool("p")));
    assertThat(
            reader.read(
                "{\"type\":\"withdraw\",\"account\":\"u\",\"amount\":\"0.5\",\"isolated\":\"M\"}"))
        .isEqualTo(new Command.Withdraw("u", Decimal.parse("0.5"), MarginRef.isolated("M")));
    assertThat(
            reader.read(
                """
                {"type":"trade","market":"M","buyer":"b","seller":"s","size":"1","price":"2",
                 "taker":"seller","sellerIsolated":true}"""))
        .isEqualTo(
            new Command.Trade(
                "M",
                "b",
                "s",
                Decimal.of(1),
                Decimal.of(2),
                false,
                MarginRef.cross(),
                MarginRef.isolated("M")));
    assertThat(
            reader.read(
                """
                {"type":"trade","market":"M","buyer":"b","seller":"s","size":"1","price":"2",
                 "taker":"buyer","pool":"p"}"""))
        .isEqualTo(
            new Command.Trade(
                "M",
                "b",
                "s",
                Decimal.of(1),
                Decimal.of(2),
                true,
                MarginRef.pool("p"),
                MarginRef.pool("p")));
  }

  @Test
  void optionCommands() throws BadCommandException {
    assertThat(
            reader.read(
                """
                {"type":"option","option":"C","underlying":"M","kind":"put","strike":"3000",
                 "expiry":1700086400000,"volatility":"0.6"}"""))
        .isEqualTo(
            new Command.CreateOption(
                "C",
                "M",
                OptionKind.PUT,
                Decimal.of(3000),
                1_700_086_400_000L,
                Decimal.parse("0.6")));
    assertThat(
            reader.read(
                """
                {"type":"option-trade","option":"C","buyer":"u","seller":"olp","size":"10",
                 "premium":"205.62","taker":"seller","pool":"p"}"""))
        .isEqualTo(
            new Command.OptionTrade(
                "C", "u", "olp", Decimal.of(10), Decimal.parse("205.62"), false, "p"));
    assertThat(reader.read("{\"type\":\"volatility\",\"option\":\"C\",\"volatility\":\"0.61\"}"))
        .isEqualTo(new Command.SetVolatility("C", Decimal.parse("0.61")));
    assertThat(reader.read("{\"type\":\"expiry\",\"option\":\"C\"}"))
        .isEqualTo(new Command.ExpireOption("C"));
    assertThatThrownBy(
            () ->
                reader.read(
                    """
                    {"type":"option","option":"C","underlying":"M","kind":"straddle",
                     "strike":"3000","expiry":1,"volatility":"0.6"}"""))
        .isInstanceOfSatisfying(
            BadCommandException.class, e -> assertThat(e.field()).isEqualTo("kind"))
        .hasMessageContaining("call, put");
    assertThatThrownBy(
            () ->
                reader.read(
                    """
                    {"type":"option-trade","option":"C","buyer":"u","seller":"olp","size":"1",
                     "premium":"2","taker":"buyer"}"""))
        .isInstanceOfSatisfying(
            BadCommandException.class, e -> assertThat(e.field()).isEqualTo("pool"));
  }

  @Test
  void pricesFundingTimeAndPools() throws BadCommandException {
    assertThat(reader.read("{\"type\":\"price\",\"market\":\"M\",\"mark\":\"95000\"}"))
        .isEqualTo(new Command.SetPrice("M", Decimal.of(95_000), null, null));
    assertThat(
            reader.read(
                "{\"type\":\"price\",\"market\":\"M\",\"mark\":\"1\",\"index\":\"2\",\"time\":7}"))
        .isEqualTo(new Command.SetPrice("M", Decimal.of(1), Decimal.of(2), 7L));
    assertThat(reader.read("{\"type\":\"funding\",\"market\":\"M\",\"rate\":\"-0.0001\"}"))
        .isEqualTo(new Command.ApplyFunding("M", Decimal.parse("-0.0001")));
    assertThat(reader.read("{\"type\":\"time\",\"time\":1700000000000}"))
        .isEqualTo(new Command.AdvanceTime(1_700_000_000_000L));
    assertThat(
            reader.read("{\"type\":\"pool\",\"pool\":\"p\",\"user\":\"u\",\"provider\":\"olp\"}"))
        .isEqualTo(new Command.CreatePool("p", "u", "olp"));
    assertThat(reader.read("{\"type\":\"insurance\",\"market\":\"M\",\"amount\":\"5000\"}"))
        .isEqualTo(new Command.FundInsurance("M", Decimal.of(5000)));
  }

  @Test
  void refusalsNameTheFieldAtFault() {
    assertThat(bad("{\"type\":\"trade\"").field()).isNull();
    assertThat(bad("[1]").getMessage()).isEqualTo("a command must be a JSON object");
    assertThat(bad("{\"type\":\"time\",\"time\":1} {}").getMessage()).startsWith("malformed JSON");
    assertThat(bad("{\"type\":\"time\",\"time\":1,\"time\":2}").getMessage())
        .contains("Duplicate field 'time'");
    BadCommandException number = bad("{\"type\":\"insurance\",\"market\":\"M\",\"amount\":5}");
    assertThat(number.command()).isEqualTo("insurance");
    assertThat(number.describe())
        .isEqualTo("field \"amount\": must be a decimal string such as \"0.5\", not 5");
    assertThat(bad("{\"type\":\"insurance\",\"market\":\"M\"}").describe())
        .isEqualTo("field \"amount\": missing");
    assertThat(bad("{\"type\":\"insurance\",\"market\":null,\"amount\":\"1\"}").field())
        .isEqualTo("market");
    assertThat(bad("{\"type\":\"price\",\"market\":\"M\",\"mark\":\"1\",\"time\":\"7\"}").field())
        .isEqualTo("time");
    assertThat(
            bad("""
                {"type":"trade","market":"M","buyer":"b","seller":"s","size":"1","price":"2",
                 "taker":"maker"}""")
                .describe())
        .isEqualTo("field \"taker\": unknown value 'maker'; expected one of buyer, seller");
    assertThat(bad("{\"type\":\"market\",\"market\":\"M\",\"preset\":\"nope\"}").field())
        .isEqualTo("preset");
    assertThat(
            bad("""
                {"type":"market","market":"M","tiers":[{"notional":"0","maxLeverage":"50",
                 "maintenanceMarginRate":"0.01"},{"notional":"1000","maxLeverage":"20",
                 "maintenanceMarginRate":"1.5"}]}""")
                .field())
        .isEqualTo("tiers[1].maintenanceMarginRate");
    assertThat(
            bad("""
                {"type":"market","market":"M","liquidity":{"model":"book","dpeth":"1"}}""")
                .field())
        .isEqualTo("liquidity.dpeth");
    assertThat(bad("{\"type\":\"market\",\"market\":\"M\",\"maxLeverage\":\"10\"}").field())
        .isEqualTo("maintenanceMarginRate");
    assertThat(bad("{\"type\":\"market\",\"market\":\"M\",\"takerFee\":\"0.000000001\"}").field())
        .isEqualTo("takerFee");
    assertThatThrownBy(() -> reader.read("{\"type\":\"time\",\"time\":1.0}"))
        .isInstanceOf(BadCommandException.class)
        .hasMessage("must be a JSON integer, not 1.0");
  }

  @Test
  void theBackstopCanBeOverridden() throws BadCommandException {
    MarketConfig proRata =
        market(
            """
            {"type":"market","market":"BTC","preset":"bitmex",
             "backstop":{"resolution":"haircut","policy":"pro-rata"}}""");
    assertThat(proRata.backstop().resolution())
        .isEqualTo(new BackstopSpec.Resolution.Haircut(new ProRataPolicy()));
    assertThat(proRata.backstop().trigger()).isEqualTo(new BackstopSpec.Trigger.FundCannotCover());

    MarketConfig queue =
        market(
            """
            {"type":"market","market":"BTC","preset":"drift-v2",
             "backstop":{"resolution":"deleverage","policy":"queue-full","score":"hyperliquid",
                         "price":"previous-mark","trigger":"drawdown","windowMillis":3600000,
                         "start":"0.3","stop":"0.2"}}""");
    assertThat(queue.backstop())
        .isEqualTo(
            new BackstopSpec(
                new BackstopSpec.Trigger.FundDrawdown(3_600_000L, 30_000_000L, 20_000_000L),
                new BackstopSpec.Resolution.Deleverage(new QueueFullPolicy(QueueScore.HYPERLIQUID)),
                BackstopSpec.ExecutionPrice.PREVIOUS_MARK));

    BadCommandException lottery =
        bad(
            """
            {"type":"market","market":"BTC","preset":"bitmex","backstop":{"policy":"lottery"}}""");
    assertThat(lottery.field()).isEqualTo("backstop.policy");
    assertThat(lottery.getMessage()).contains("unknown policy 'lottery'");
    assertThat(
            bad("""
                {"type":"market","market":"BTC","preset":"bitmex",
                 "backstop":{"resolution":"deleverage","policy":"pro-rata"}}""")
                .getMessage())
        .contains("cannot share a size");
  }

  private BackstopSpec backstop(String preset, String backstop) throws BadCommandException {
    return market(
            "{\"type\":\"market\",\"market\":\"M\",\"preset\":\""
                + preset
                + "\",\"backstop\":"
                + backstop
                + "}")
        .backstop();
  }

  private static BackstopSpec preset(String preset) {
    return MarketPresets.get(preset, "M").backstop();
  }

  private static AllocationPolicy policyOf(BackstopSpec spec) {
    return switch (spec.resolution()) {
      case BackstopSpec.Resolution.Deleverage d -> d.policy();
      case BackstopSpec.Resolution.Haircut h -> h.policy();
      default -> throw new AssertionError("no policy in " + spec);
    };
  }

  private BadCommandException badBackstop(String preset, String backstop) {
    return bad(
        "{\"type\":\"market\",\"market\":\"M\",\"preset\":\""
            + preset
            + "\",\"backstop\":"
            + backstop
            + "}");
  }

  @Test
  void aPolicyWithoutItsParametersKeepsThePresets() throws BadCommandException {
    // Binance's queue ranks by Binance's score, not BitMEX's.
    assertThat(backstop("binance", "{\"policy\":\"queue\"}"))
        .isEqualTo(preset("binance"))
        .extracting(BackstopSpec::resolution)
        .isEqualTo(new BackstopSpec.Resolution.Deleverage(new QueuePolicy(QueueScore.BINANCE)));
    // queue-full to queue keeps Hyperliquid's score.
    assertThat(policyOf(backstop("hyperliquid", "{\"policy\":\"queue\"}")))
        .isEqualTo(new QueuePolicy(QueueScore.HYPERLIQUID));
    // A new iteration limit keeps dYdX's seed.
    RandomPolicy dydx = (RandomPolicy) policyOf(preset("dydx-v4"));
    assertThat(policyOf(backstop("dydx-v4", "{\"policy\":\"random\",\"maxIterations\":100}")))
        .isEqualTo(new RandomPolicy(dydx.seed(), 100));
    // A parameter alone changes the preset's policy and keeps the rest.
    assertThat(policyOf(backstop("dydx-v4", "{\"seed\":7}")))
        .isEqualTo(new RandomPolicy(7, dydx.maxIterations()));
    assertThat(policyOf(backstop("binance", "{\"score\":\"tradoor\"}")))
        .isEqualTo(new QueuePolicy(QueueScore.TRADOOR));
    assertThat(policyOf(backstop("rap", "{\"riskWeight\":\"leverage-squared\"}")))
        .isEqualTo(new RiskAwareProRataPolicy(RiskWeight.LEVERAGE_SQUARED));
    assertThat(backstop("rap", "{\"policy\":\"rap\"}")).isEqualTo(preset("rap"));
  }

  @Test
  void documentedDefaultsFillOnlyTheParametersCoreDefines() throws BadCommandException {
    // RAP's default weight and dYdX's iteration limit, as RiskAwareProRataPolicy() and
    // RandomPolicy.DEFAULT_MAX_ITERATIONS define them.
    assertThat(policyOf(backstop("bitmex", "{\"resolution\":\"haircut\",\"policy\":\"rap\"}")))
        .isEqualTo(new RiskAwareProRataPolicy());
    assertThat(policyOf(backstop("bitmex", "{\"policy\":\"random\",\"seed\":7}")))
        .isEqualTo(new RandomPolicy(7, RandomPolicy.DEFAULT_MAX_ITERATIONS));
    // A seed has no default.
    BadCommandException seed = badBackstop("bitmex", "{\"policy\":\"random\"}");
    assertThat(seed.field()).isEqualTo("backstop.seed");
    assertThat(seed.getMessage())
        .isEqualTo("policy random needs a seed: the preset's policy queue:bitmex has none");
  }

  @Test
  void aQueueWithoutAScoreThePresetCannotSupplyIsRejected() {
    BadCommandException proRata =
        badBackstop("pro-rata", "{\"resolution\":\"deleverage\",\"policy\":\"queue\"}");
    assertThat(proRata.field()).isEqualTo("backstop.score");
    assertThat(proRata.getMessage())
        .startsWith(
            "policy queue needs a score: the preset's policy pro-rata has none; give one of")
        .contains("binance");
    BadCommandException none =
        badBackstop("drift-v2", "{\"resolution\":\"deleverage\",\"policy\":\"queue-full\"}");
    assertThat(none.field()).isEqualTo("backstop.score");
    assertThat(none.getMessage())
        .startsWith("policy queue-full needs a score: the preset has no policy");
  }

  @Test
  void aParameterThePolicyDoesNotTakeIsRejected() {
    BadCommandException score =
        badBackstop("pro-rata", "{\"policy\":\"pro-rata\",\"score\":\"binance\"}");
    assertThat(score.field()).isEqualTo("backstop.score");
    assertThat(score.getMessage()).isEqualTo("policy pro-rata takes no score");
    BadCommandException kept = badBackstop("pro-rata", "{\"score\":\"binance\"}");
    assertThat(kept.field()).isEqualTo("backstop.score");
    assertThat(kept.getMessage()).isEqualTo("the preset's policy pro-rata takes no score");
    assertThat(
            badBackstop("bitmex", "{\"policy\":\"queue\",\"riskWeight\":\"leverage\"}").describe())
        .isEqualTo("field \"backstop.riskWeight\": policy queue takes no riskWeight");
    assertThat(badBackstop("rap", "{\"seed\":1}").describe())
        .isEqualTo("field \"backstop.seed\": the preset's policy rap takes no seed");
    assertThat(
            badBackstop(
                    "dydx-v4", "{\"policy\":\"queue\",\"score\":\"bitmex\",\"maxIterations\":9}")
                .field())
        .isEqualTo("backstop.maxIterations");
    // A resolution without a policy takes none of a policy's fields.
    assertThat(
            badBackstop("bitmex", "{\"resolution\":\"socialize\",\"score\":\"bitmex\"}").describe())
        .isEqualTo("field \"backstop.score\": resolution socialize takes no policy, so no score");
    assertThat(badBackstop("drift-v2", "{\"policy\":\"queue\",\"score\":\"bitmex\"}").describe())
        .isEqualTo(
            "field \"backstop.policy\": the preset's resolution socialize takes no policy;"
                + " give resolution deleverage or haircut with it");
    assertThat(badBackstop("drift-v2", "{\"resolution\":\"haircut\"}").describe())
        .isEqualTo(
            "field \"backstop.policy\": resolution haircut needs a policy: the preset has none");
  }

  @Test
  void theResolutionNotGivenStaysThePresets() throws BadCommandException {
    // Drift's socialized loss stays when only the price changes.
    assertThat(backstop("drift-v2", "{\"price\":\"bankruptcy\"}"))
        .isEqualTo(
            new BackstopSpec(
                new BackstopSpec.Trigger.FundCannotCover(),
                new BackstopSpec.Resolution.Socialize(),
                BackstopSpec.ExecutionPrice.BANKRUPTCY));
    // A new resolution keeps the preset's policy.
    assertThat(backstop("bitmex", "{\"resolution\":\"haircut\"}").resolution())
        .isEqualTo(new BackstopSpec.Resolution.Haircut(new QueuePolicy(QueueScore.BITMEX)));
    // A policy that cannot serve the preset's resolution does not switch it.
    BadCommandException proRata = badBackstop("bitmex", "{\"policy\":\"pro-rata\"}");
    assertThat(proRata.field()).isEqualTo("backstop.policy");
    assertThat(proRata.getMessage())
        .isEqualTo(
            "policy pro-rata cannot share a size to close, which resolution deleverage (the"
                + " preset's) needs; give resolution haircut");
    BadCommandException rap = badBackstop("rap", "{\"resolution\":\"deleverage\"}");
    assertThat(rap.field()).isEqualTo("backstop.resolution");
    assertThat(rap.getMessage())
        .isEqualTo(
            "policy rap (the preset's) cannot share a size to close, which resolution deleverage"
                + " needs");
  }

  @Test
  void maxIterationsTakesAnyPositiveLimit() throws BadCommandException {
    assertThat(
            policyOf(
                backstop("bitmex", "{\"policy\":\"random\",\"seed\":1,\"maxIterations\":1000}")))
        .isEqualTo(new RandomPolicy(1, 1000));
    assertThat(badBackstop("dydx-v4", "{\"maxIterations\":0}").describe())
        .isEqualTo("field \"backstop.maxIterations\": must be positive, not 0");
  }

  @Test
  void triggerFieldsNotGivenKeepThePresetsOrAreRejected() throws BadCommandException {
    // Bybit's 8-hour drawdown with a new start keeps its window and stop.
    BackstopSpec.Trigger.FundDrawdown bybit =
        (BackstopSpec.Trigger.FundDrawdown) preset("bybit").trigger();
    assertThat(backstop("bybit", "{\"trigger\":\"drawdown\",\"start\":\"0.4\"}").trigger())
        .isEqualTo(
            new BackstopSpec.Trigger.FundDrawdown(
                bybit.windowMillis(), 40_000_000L, bybit.stopRate()));
    assertThat(backstop("bybit", "{\"stop\":\"0.1\"}").trigger())
        .isEqualTo(
            new BackstopSpec.Trigger.FundDrawdown(
                bybit.windowMillis(), bybit.startRate(), 10_000_000L));
    // OKX's balance and position levels (adlBal, adlRecBal; pos_adl_start), in money.
    BackstopSpec.Trigger.FundDrawdown okx =
        (BackstopSpec.Trigger.FundDrawdown) preset("okx").trigger();
    assertThat(
            backstop(
                    "okx",
                    "{\"balanceStart\":\"9500\",\"balanceStop\":\"9800\","
                        + "\"positionStart\":\"50000\"}")
                .trigger())
        .isEqualTo(okx.withBalance(9_500_000_000L, 9_800_000_000L).withPosition(50_000_000_000L));
    // a start without a stop is refused, naming the field given
    assertThat(badBackstop("okx", "{\"balanceStart\":\"9500\"}").field())
        .isEqualTo("backstop.balanceStart");
    assertThat(backstop("gmx-v2", "{\"min\":\"0.5\"}").trigger())
        .isEqualTo(new BackstopSpec.Trigger.PnlFactor(85_000_000L, 50_000_000L));
    // A field the preset cannot supply, or one the trigger does not take.
    assertThat(
            badBackstop("bitmex", "{\"trigger\":\"drawdown\",\"start\":\"0.3\",\"stop\":\"0.2\"}")
                .describe())
        .isEqualTo(
            "field \"backstop.windowMillis\": trigger drawdown needs windowMillis: the preset's"
                + " trigger fund has none");
    assertThat(badBackstop("bybit", "{\"trigger\":\"fund\",\"max\":\"0.5\"}").describe())
        .isEqualTo("field \"backstop.max\": trigger fund takes no max");
    assertThat(badBackstop("tradoor", "{\"start\":\"0.5\"}").describe())
        .isEqualTo("field \"backstop.start\": the preset's trigger lp-exposure takes no start");
    // Values the trigger refuses are a bad command, not a crash.
    assertThat(badBackstop("bybit", "{\"stop\":\"0.9\"}").field()).isEqualTo("backstop.stop");
    assertThat(
            badBackstop(
                    "bitmex",
                    "{\"trigger\":\"drawdown\",\"windowMillis\":0,\"start\":\"0.3\",\"stop\":\"0.2\"}")
                .field())
        .isEqualTo("backstop.trigger");
    assertThat(badBackstop("gmx-v2", "{\"trigger\":\"pnl-factor\",\"max\":\"0.1\"}").field())
        .isEqualTo("backstop.trigger");
  }

  @Test
  void liquidityFieldsNotGivenKeepThePresetsOrAreRejected() throws BadCommandException {
    // Without a model the preset's stays.
    assertThat(
            market(
                    "{\"type\":\"market\",\"market\":\"M\",\"preset\":\"bitmex\",\"liquidity\":{\"depth\":\"2\"}}")
                .liquidity())
        .isEqualTo(LiquiditySpec.OrderBook.standard("book").withDepth(2_000_000L));
    assertThat(
            market(
                    "{\"type\":\"market\",\"market\":\"M\",\"preset\":\"gmx-v2\",\"liquidity\":{\"account\":\"gm\"}}")
                .liquidity())
        .isEqualTo(new LiquiditySpec.LpCounterparty("gm"));
    assertThat(
            bad("{\"type\":\"market\",\"market\":\"M\",\"preset\":\"gmx-v2\",\"liquidity\":{\"depth\":\"2\"}}")
                .describe())
        .isEqualTo("field \"liquidity.depth\": the preset's liquidity model lp takes no depth");
    assertThat(
            bad("{\"type\":\"market\",\"market\":\"M\",\"preset\":\"bitmex\",\"liquidity\":{\"model\":\"lp\"}}")
                .describe())
        .isEqualTo(
            "field \"liquidity.account\": liquidity model lp needs an account: the preset's"
                + " liquidity model is book");
    // An LP preset turned into a book starts from the standard book.
    assertThat(
            market(
                    "{\"type\":\"market\",\"market\":\"M\",\"preset\":\"omni\",\"liquidity\":{\"model\":\"book\",\"account\":\"b\",\"depth\":\"1\"}}")
                .liquidity())
        .isEqualTo(LiquiditySpec.OrderBook.standard("b").withDepth(1_000_000L));
    assertThat(
            bad("{\"type\":\"market\",\"market\":\"M\",\"preset\":\"bitmex\",\"liquidity\":{\"takeover\":{\"layer\":\"bank\"}}}")
                .describe())
        .contains("unknown takeover layer 'bank'");
  }

  @Test
  void theMaintenanceMarginRateHasOneName() throws BadCommandException {
    BadCommandException tier =
        bad(
            """
            {"type":"market","market":"M","tiers":[{"notional":"0","maxLeverage":"50",
             "mmr":"0.01"}]}""");
    assertThat(tier.describe())
        .isEqualTo(
            "field \"tiers[0].mmr\": unknown field; the field is named maintenanceMarginRate");
    assertThat(
            bad("{\"type\":\"market\",\"market\":\"M\",\"maxLeverage\":\"10\",\"mmr\":\"0.1\"}")
                .field())
        .isEqualTo("mmr");
    assertThat(
            market(
                    """
                    {"type":"market","market":"M","tiers":[{"notional":"0","maxLeverage":"50",
                     "maintenanceMarginRate":"0.01"}]}""")
                .tiers()
                .tiers())
        .containsExactly(new RiskTier(0, 50, 1_000_000, 0));
    // A flat tier replaces the preset's tiers: it needs both of its fields.
    assertThat(
            bad("{\"type\":\"market\",\"market\":\"M\",\"preset\":\"bitmex\",\"maxLeverage\":\"50\"}")
                .describe())
        .isEqualTo(
            "field \"maintenanceMarginRate\": missing: maxLeverage and maintenanceMarginRate go"
                + " together, replacing the preset's risk tiers with one flat tier");
  }

  @Test
  void theTypesAreExactlyTheOnesRead() {
    for (String type : CommandReader.types()) {
      // each known type gets as far as its first missing field
      assertThat(bad("{\"type\":\"" + type + "\"}").getMessage()).as(type).isEqualTo("missing");
    }
    assertThat(bad("{\"type\":\"transfer\"}").getMessage())
        .isEqualTo(
            "unknown command type 'transfer'; known types: "
                + String.join(", ", CommandReader.types()));
  }

  /** The fields the reader takes for a policy are the components of the policy's record. */
  @Test
  void thePolicyParametersAreThePoliciesComponents() {
    for (String name : AllocationPolicies.NAMES) {
      AllocationPolicy policy =
          AllocationPolicies.byName(name, QueueScore.BITMEX, RiskWeight.LEVERAGE, 0, 1);
      assertThat(policy.getClass().isRecord()).as(name).isTrue();
      assertThat(
              Arrays.stream(policy.getClass().getRecordComponents())
                  .map(RecordComponent::getName)
                  .toList())
          .as(name)
          .isEqualTo(AllocationPolicies.parameters(name));
    }
  }

  /** Nesting deeper than Jackson's limit has no location: still one clear bad line, no crash. */
  @Test
  void aLineNestedTooDeeplyIsABadLine() {
    BadCommandException e = bad("[".repeat(5000));
    assertThat(e.getMessage()).startsWith("malformed JSON");
    assertThat(e.code()).isEqualTo(dev.backstop.core.event.RejectionCode.MALFORMED_COMMAND);
  }

  /** Only plain decimals: no plus sign, no bare point on either side, no leading zeros. */
  @Test
  void lenientNumbersAreRefusedNamingTheField() {
    String[][] cases = {
      {"+1", "amount"}, {"1.", "amount"}, {".5", "amount"}, {"007", "amount"},
    };
    for (String[] c : cases) {
      BadCommandException e =
          bad("{\"type\":\"insurance\",\"market\":\"M\",\"amount\":\"" + c[0] + "\"}");
      assertThat(e.field()).as(c[0]).isEqualTo(c[1]);
      assertThat(e.describe()).as(c[0]).contains("not a decimal number").contains("'" + c[0] + "'");
      assertThat(e.code()).isEqualTo(dev.backstop.core.event.RejectionCode.MALFORMED_COMMAND);
    }
    assertThat(
            bad("""
                {"type":"trade","market":"M","buyer":"b","seller":"s","size":"01","price":"2",
                 "taker":"buyer"}""")
                .field())
        .isEqualTo("size");
    assertThat(
            bad("""
                {"type":"trade","market":"M","buyer":"b","seller":"s","size":"1","price":"+2",
                 "taker":"buyer"}""")
                .field())
        .isEqualTo("price");
    assertThat(bad("{\"type\":\"funding\",\"market\":\"M\",\"rate\":\".0001\"}").field())
        .isEqualTo("rate");
    assertThat(bad("{\"type\":\"market\",\"market\":\"M\",\"takerFee\":\"0.\"}").field())
        .isEqualTo("takerFee");
  }

  /** A line longer than the reader reads is refused before Jackson sees it. */
  @Test
  void aLineTooLongIsABadLine() {
    String line =
        "{\"type\":\"deposit\",\"account\":\""
            + "a".repeat(CommandReader.MAX_LINE_LENGTH)
            + "\",\"amount\":\"1\"}";
    assertThat(bad(line).getMessage()).startsWith("line too long: ");
  }

  /**
   * A lone surrogate in a string reads; the engine refuses it as a name, and a reason quoting it is
   * written as an escape, so the event line stays UTF-8.
   */
  @Test
  void aLoneSurrogateReadsAndIsWrittenEscaped() throws Exception {
    assertThat(reader.read("{\"type\":\"deposit\",\"account\":\"\\ud800\",\"amount\":\"1\"}"))
        .isEqualTo(new Command.Deposit("\ud800", Decimal.of(1), MarginRef.cross()));
    BadCommandException e = bad("{\"type\":\"\\ud800\"}");
    assertThat(e.getMessage()).contains("'\ud800'");
    String line =
        new EngineJson()
            .eventLine(
                1,
                1,
                new dev.backstop.core.event.Event.Rejected(
                    0, 0, e.command(), e.code(), e.describe()));
    assertThat(line).contains("'\\ud800'").doesNotContain("\ud800");
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("reason").asText())
        .isEqualTo(e.describe());
    assertThat(EngineJson.escapeLoneSurrogates("\"\ud83d\ude00\udc00\ud83d\""))
        .isEqualTo("\"\ud83d\ude00\\udc00\\ud83d\"");
  }

  /** A reason quoting a huge value is cut short, so a bad line's event stays small. */
  @Test
  void aReasonQuotingAHugeValueIsCutShort() {
    String type = "t".repeat(100_000);
    BadCommandException e = bad("{\"type\":\"" + type + "\"}");
    assertThat(e.getMessage())
        .startsWith("unknown command type 'ttt")
        .containsPattern("\\.\\.\\. \\(\\d+ characters\\)$");
    assertThat(e.getMessage().length()).isLessThan(1_100);
    // Jackson reads names up to 50000 characters
    BadCommandException field =
        bad("{\"type\":\"time\",\"time\":1,\"" + "f".repeat(20_000) + "\":2}");
    assertThat(field.field()).hasSizeLessThan(1_100);
  }
}
