package dev.backstop.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.adl.allocation.ContractProRataPolicy;
import dev.backstop.core.adl.allocation.ProRataPolicy;
import dev.backstop.core.adl.allocation.QueuePolicy;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.market.BackstopSpec.ExecutionPrice;
import dev.backstop.core.market.BackstopSpec.Resolution;
import dev.backstop.core.market.BackstopSpec.Trigger;
import dev.backstop.core.mechanism.Mechanisms;
import org.junit.jupiter.api.Test;

/**
 * A market specification is validated as a whole when it is built: every combination of trigger,
 * resolution, execution price and liquidity that the engine would ignore in part, or could not run
 * (each of these crashed on the first price tick before), is refused with a reason.
 */
class BackstopSpecTest {

  private static final Trigger PNL_FACTOR = new Trigger.PnlFactor(85_000_000, 77_000_000);
  private static final Trigger LP_EXPOSURE = new Trigger.LpExposure(10_000_000, 5_000_000);
  private static final Trigger DRAWDOWN = new Trigger.FundDrawdown(1000, 30_000_000, 25_000_000);

  @Test
  void aTickTimeTriggerNeedsDeleveraging() {
    // gmx-v2 with a haircut override: a ClassCastException on the first tick before.
    assertThatThrownBy(
            () ->
                new BackstopSpec(
                    PNL_FACTOR, new Resolution.Haircut(new ProRataPolicy()), ExecutionPrice.MARK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pnl-factor trigger reduces positions")
        .hasMessageContaining("not haircut");
    assertThatThrownBy(
            () ->
                new BackstopSpec(
                    LP_EXPOSURE, new Resolution.Socialize(), ExecutionPrice.PREMIUM_INDEX))
        .hasMessageContaining("lp-exposure trigger reduces positions");
  }

  @Test
  void thePnlFactorSharesAnAmountSoItsPolicyMustShareABudget() {
    assertThatThrownBy(
            () ->
                new BackstopSpec(
                    PNL_FACTOR,
                    new Resolution.Deleverage(new ContractProRataPolicy()),
                    ExecutionPrice.MARK))
        .hasMessageContaining("policy contract-pro-rata cannot share");
  }

  @Test
  void aMoneyResolutionTakesNoOtherTriggerAndNoPrice() {
    assertThatThrownBy(
            () ->
                new BackstopSpec(
                    DRAWDOWN,
                    new Resolution.Haircut(new ProRataPolicy()),
                    ExecutionPrice.BANKRUPTCY))
        .hasMessageContaining("drawdown trigger would be ignored");
    assertThatThrownBy(
            () ->
                new BackstopSpec(
                    new Trigger.FundCannotCover(), new Resolution.Socialize(), ExecutionPrice.MARK))
        .hasMessageContaining("executes no fills");
  }

  @Test
  void thePremiumIndexBelongsToTheLpExposureTrigger() {
    assertThatThrownBy(
            () ->
                new BackstopSpec(
                    new Trigger.FundCannotCover(),
                    new Resolution.Deleverage(new QueuePolicy(QueueScore.BITMEX)),
                    ExecutionPrice.PREMIUM_INDEX))
        .hasMessageContaining("premium-index price is defined by the lp-exposure trigger");
  }

  @Test
  void lpRulesNeedALiquidityProvider() {
    BackstopSpec gmx = MarketPresets.get("gmx-v2", "f").backstop();
    assertThatThrownBy(() -> MarketPresets.builder("bitmex", "f").backstop(gmx).build())
        .hasMessageContaining("need the lp liquidity");
  }

  @Test
  void everyPresetMapsToItsParts() {
    for (String name : MarketPresets.names()) {
      Mechanisms parts = Mechanisms.of(MarketPresets.get(name, "f"));
      assertThat(parts.liquidity()).as(name).isNotNull();
      assertThat(parts.resolution()).as(name).isNotNull();
      assertThat(parts.tickRule()).as(name).isNotNull();
    }
    assertThat(Mechanisms.of(MarketPresets.get("gmx-v2", "f")).tickRule())
        .isInstanceOf(dev.backstop.core.mechanism.TickRule.PnlFactorReduction.class);
    assertThat(Mechanisms.of(MarketPresets.get("bitmex", "f")).resolution())
        .isInstanceOf(dev.backstop.core.mechanism.Deleveraging.class);
    assertThat(Mechanisms.of(MarketPresets.get("drift-v2", "f")).resolution())
        .isInstanceOf(dev.backstop.core.mechanism.SizeSocialization.class);
    assertThat(Mechanisms.of(MarketPresets.get("pro-rata", "f")).resolution())
        .isInstanceOf(dev.backstop.core.mechanism.ProfitHaircut.class);
  }

  @Test
  void anExecutionPriceATriggerWouldIgnoreIsRefused() {
    var queue = new Resolution.Deleverage(new QueuePolicy(QueueScore.BITMEX));
    assertThatThrownBy(() -> new BackstopSpec(PNL_FACTOR, queue, ExecutionPrice.PREVIOUS_MARK))
        .hasMessageContaining("closes positions at mark")
        .hasMessageContaining("previous-mark would be ignored");
    assertThatThrownBy(() -> new BackstopSpec(LP_EXPOSURE, queue, ExecutionPrice.BANKRUPTCY))
        .hasMessageContaining("has no bankruptcy price");
    assertThat(new BackstopSpec(LP_EXPOSURE, queue, ExecutionPrice.MARK).price())
        .isEqualTo(ExecutionPrice.MARK);
  }
}
