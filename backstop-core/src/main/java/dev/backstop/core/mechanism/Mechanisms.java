package dev.backstop.core.mechanism;

import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.BackstopSpec.Resolution;
import dev.backstop.core.market.BackstopSpec.Trigger;
import dev.backstop.core.market.MarketConfig;

/**
 * The parts a market's specification maps to: how its liquidations meet the market, what happens to
 * a bankrupt position beyond the insurance fund, and what runs after each of its price updates.
 * {@link #of} is the one place that turns a {@link MarketConfig} (data, validated as a whole when
 * it is built) into behaviour; the engine calls only these interfaces. A new venue is a preset; a
 * new venue idea is one new implementation of one of them.
 *
 * @param liquidity the order book or the liquidity provider that takes liquidation closes
 * @param resolution deleveraging, profit haircuts, socialization or bad debt
 * @param tickRule GMX's PnL factor, Tradoor's LP exposure, or none
 * @param rankingPolicy the policy by which positions are ranked for traders (the ADL lights), or
 *     null where the backstop ranks nobody
 * @param ranksBySize whether that policy takes lots (deleveraging) rather than money (haircuts)
 */
public record Mechanisms(
    Liquidity liquidity,
    BankruptcyResolution resolution,
    TickRule tickRule,
    AllocationPolicy rankingPolicy,
    boolean ranksBySize) {

  /** The parts of a market. */
  public static Mechanisms of(MarketConfig config) {
    BackstopSpec spec = config.backstop();
    Liquidity liquidity = Liquidity.of(config.liquidity());
    ExecutionPriceRule price = ExecutionPriceRule.of(spec.price(), spec.trigger());
    TickRule none = new TickRule.None();
    return switch (spec.resolution()) {
      case Resolution.Deleverage d ->
          switch (spec.trigger()) {
            case Trigger.PnlFactor t ->
                new Mechanisms(
                    liquidity,
                    new BankruptcyResolution.BadDebtOnly(),
                    new TickRule.PnlFactorReduction(t, d.policy()),
                    d.policy(),
                    true);
            case Trigger.LpExposure t ->
                new Mechanisms(
                    liquidity,
                    new BankruptcyResolution.BadDebtOnly(),
                    new TickRule.LpExposureReduction(d.policy(), price),
                    d.policy(),
                    true);
            case Trigger.FundCannotCover t ->
                new Mechanisms(
                    liquidity, new Deleveraging(t, d.policy(), price), none, d.policy(), true);
            case Trigger.FundDrawdown t ->
                new Mechanisms(
                    liquidity, new Deleveraging(t, d.policy(), price), none, d.policy(), true);
          };
      case Resolution.Haircut h ->
          new Mechanisms(liquidity, new ProfitHaircut(h.policy()), none, h.policy(), false);
      case Resolution.Socialize s ->
          new Mechanisms(liquidity, new SizeSocialization(), none, null, false);
      case Resolution.BadDebt b ->
          new Mechanisms(liquidity, new BankruptcyResolution.BadDebtOnly(), none, null, false);
    };
  }
}
