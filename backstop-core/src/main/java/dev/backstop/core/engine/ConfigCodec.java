package dev.backstop.core.engine;

import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.BackstopSpec.ExecutionPrice;
import dev.backstop.core.market.BackstopSpec.Resolution;
import dev.backstop.core.market.BackstopSpec.Trigger;
import dev.backstop.core.market.LiquidationMode;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.RiskTier;
import dev.backstop.core.market.RiskTiers;
import dev.backstop.core.market.SurplusRule;
import dev.backstop.core.market.TakeoverSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical byte form of a {@link MarketConfig} inside a snapshot: every field, in declaration
 * order, variants of sealed types by a fixed tag, policies by their {@link
 * AllocationPolicy#spec()}. Risk tiers are stored without their deductions, which {@link
 * RiskTiers#of} derives again.
 */
final class ConfigCodec {

  private ConfigCodec() {}

  static void write(SnapshotWriter w, MarketConfig c) {
    w.putString(c.preset()).putInt(c.sizeDecimals()).putInt(c.priceDecimals());
    List<RiskTier> tiers = c.tiers().tiers();
    w.putInt(tiers.size());
    for (RiskTier t : tiers) {
      w.putLong(t.notionalFloor()).putLong(t.maxLeverage()).putLong(t.maintenanceMarginRate());
    }
    w.putLong(c.takerFeeRate()).putLong(c.makerFeeRate()).putLong(c.liquidationPenaltyRate());
    w.putEnum(c.liquidationMode()).putEnum(c.surplusRule()).putString(c.insuranceFund());
    switch (c.liquidity()) {
      case LiquiditySpec.OrderBook b -> {
        w.putString(b.wireName())
            .putString(b.account())
            .putLong(b.halfSpreadRate())
            .putLong(b.depthAtOnePercent())
            .putLong(b.stepRate())
            .putInt(b.levels())
            .putLong(b.halfLifeMillis())
            .putEnum(b.limit())
            .putLong(b.maxSlippageRate());
        TakeoverSpec t = b.takeover();
        w.putString(t.wireName());
        switch (t) {
          case TakeoverSpec.None n -> {}
          case TakeoverSpec.Fund f ->
              w.putLong(f.netNotionalCapRate()).putLong(f.offloadSlippageRate());
          case TakeoverSpec.Vault v ->
              w.putString(v.account()).putLong(v.triggerRate()).putLong(v.offloadSlippageRate());
        }
      }
      case LiquiditySpec.LpCounterparty lp ->
          w.putString(lp.wireName()).putString(lp.account()).putBoolean(lp.poolsOnly());
    }
    writeBackstop(w, c.backstop());
    w.putLong(c.factorLoading()).putLong(c.priceBandRate());
    w.putBoolean(c.unrealizedPnlWithdrawable()).putLong(c.maxInsurance());
  }

  private static void writeBackstop(SnapshotWriter w, BackstopSpec spec) {
    switch (spec.trigger()) {
      case Trigger.FundCannotCover t -> w.putString(t.wireName());
      case Trigger.FundDrawdown t ->
          w.putString(t.wireName())
              .putLong(t.windowMillis())
              .putLong(t.startRate())
              .putLong(t.stopRate())
              .putLong(t.balanceStart())
              .putLong(t.balanceStop())
              .putLong(t.positionStart());
      case Trigger.PnlFactor t ->
          w.putString(t.wireName()).putLong(t.maxRate()).putLong(t.minRate());
      case Trigger.LpExposure t ->
          w.putString(t.wireName()).putLong(t.premiumSlope()).putLong(t.maxPremium());
    }
    switch (spec.resolution()) {
      case Resolution.BadDebt r -> w.putString(r.wireName());
      case Resolution.Deleverage r -> w.putString(r.wireName()).putString(r.policy().spec());
      case Resolution.Haircut r -> w.putString(r.wireName()).putString(r.policy().spec());
      case Resolution.Socialize r -> w.putString(r.wireName());
    }
    w.putEnum(spec.price());
  }

  static MarketConfig read(SnapshotReader r) {
    MarketConfig.Builder b =
        MarketConfig.builder()
            .preset(r.getString("preset"))
            .sizeDecimals(r.getInt("sizeDecimals"))
            .priceDecimals(r.getInt("priceDecimals"));
    int n = r.getCount("tiers", 24);
    List<RiskTier> tiers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tiers.add(
          new RiskTier(r.getLong("tier floor"), r.getLong("tier leverage"), r.getLong("mmr"), 0));
    }
    b.tiers(RiskTiers.of(tiers))
        .takerFeeRate(r.getLong("takerFeeRate"))
        .makerFeeRate(r.getLong("makerFeeRate"))
        .liquidationPenaltyRate(r.getLong("liquidationPenaltyRate"))
        .liquidationMode(r.getEnum(LiquidationMode.class, "liquidationMode"))
        .surplusRule(r.getEnum(SurplusRule.class, "surplusRule"))
        .insuranceFund(r.getString("insuranceFund"));
    String liquidity = r.getString("liquidity");
    b.liquidity(
        switch (liquidity) {
          case "book" ->
              new LiquiditySpec.OrderBook(
                  r.getString("book account"),
                  r.getLong("halfSpreadRate"),
                  r.getLong("depthAtOnePercent"),
                  r.getLong("stepRate"),
                  r.getInt("levels"),
                  r.getLong("halfLifeMillis"),
                  r.getEnum(LiquiditySpec.LimitRule.class, "limit"),
                  r.getLong("maxSlippageRate"),
                  readTakeover(r));
          case "lp" ->
              new LiquiditySpec.LpCounterparty(
                  r.getString("lp account"), r.getBoolean("poolsOnly"));
          default -> throw new SnapshotException("unknown liquidity " + liquidity);
        });
    b.backstop(readBackstop(r));
    b.factorLoading(r.getLong("factorLoading"));
    b.priceBandRate(r.getLong("priceBandRate"));
    b.unrealizedPnlWithdrawable(r.getBoolean("unrealizedPnlWithdrawable"));
    b.maxInsurance(r.getLong("maxInsurance"));
    return b.build();
  }

  private static TakeoverSpec readTakeover(SnapshotReader r) {
    String takeover = r.getString("takeover");
    return switch (takeover) {
      case "none" -> new TakeoverSpec.None();
      case "fund" -> new TakeoverSpec.Fund(r.getLong("cap"), r.getLong("offload slippage"));
      case "vault" ->
          new TakeoverSpec.Vault(
              r.getString("vault account"), r.getLong("trigger"), r.getLong("offload slippage"));
      default -> throw new SnapshotException("unknown takeover " + takeover);
    };
  }

  private static BackstopSpec readBackstop(SnapshotReader r) {
    String trigger = r.getString("trigger");
    Trigger t =
        switch (trigger) {
          case "fund" -> new Trigger.FundCannotCover();
          case "drawdown" ->
              new Trigger.FundDrawdown(
                  r.getLong("window"),
                  r.getLong("start"),
                  r.getLong("stop"),
                  r.getLong("balance start"),
                  r.getLong("balance stop"),
                  r.getLong("position start"));
          case "pnl-factor" -> new Trigger.PnlFactor(r.getLong("max"), r.getLong("min"));
          case "lp-exposure" -> new Trigger.LpExposure(r.getLong("slope"), r.getLong("cap"));
          default -> throw new SnapshotException("unknown trigger " + trigger);
        };
    String resolution = r.getString("resolution");
    Resolution res =
        switch (resolution) {
          case "bad-debt" -> new Resolution.BadDebt();
          case "deleverage" -> new Resolution.Deleverage(policy(r));
          case "haircut" -> new Resolution.Haircut(policy(r));
          case "socialize" -> new Resolution.Socialize();
          default -> throw new SnapshotException("unknown resolution " + resolution);
        };
    return new BackstopSpec(t, res, r.getEnum(ExecutionPrice.class, "price"));
  }

  private static AllocationPolicy policy(SnapshotReader r) {
    return AllocationPolicies.parse(r.getString("policy"));
  }
}
