package dev.backstop.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.num.Fixed;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketPresetsTest {

  @Test
  void everyPresetBuildsAndEqualsItself() {
    assertThat(MarketPresets.names())
        .contains(
            "bitmex",
            "binance",
            "bybit",
            "okx",
            "hyperliquid",
            "dydx-v4",
            "gmx-v2",
            "drift-v2",
            "omni",
            "tradoor");
    for (String name : MarketPresets.names()) {
      assertThat(MarketPresets.get(name, "f")).isEqualTo(MarketPresets.get(name, "f"));
    }
  }

  /**
   * Binance USD-M BTCUSDT leverage brackets as published: the maintenance amounts (deductions) 0,
   * 50, 1300, 46300, 421300, 1921300, 3921300, 6421300, 26421300, 101421300 follow from the floors
   * and rates by continuity.
   */
  @Test
  void binanceDeductionsAreThePublishedMaintenanceAmounts() {
    List<Long> deductions =
        MarketPresets.get("binance", "f").tiers().tiers().stream()
            .map(t -> t.maintenanceDeduction() / 1_000_000L)
            .toList();
    assertThat(deductions)
        .containsExactly(
            0L,
            50L,
            1_300L,
            46_300L,
            421_300L,
            1_921_300L,
            3_921_300L,
            6_421_300L,
            26_421_300L,
            101_421_300L);
  }

  @Test
  void maintenanceMarginIsContinuousAtEveryTierEdge() {
    for (String name : MarketPresets.names()) {
      RiskTiers tiers = MarketPresets.get(name, "f").tiers();
      List<RiskTier> bands = tiers.tiers();
      for (int i = 1; i < bands.size(); i++) {
        long floor = bands.get(i).notionalFloor();
        RiskTier below = bands.get(i - 1);
        long fromBelow =
            Fixed.applyRate(floor, below.maintenanceMarginRate(), java.math.RoundingMode.CEILING)
                - below.maintenanceDeduction();
        assertThat(tiers.maintenanceMargin(floor)).as(name + " tier " + i).isEqualTo(fromBelow);
        assertThat(tiers.maintenanceMargin(floor - 1)).isLessThanOrEqualTo(fromBelow);
        assertThat(tiers.maintenanceMargin(floor + 1)).isGreaterThanOrEqualTo(fromBelow);
      }
    }
  }

  @Test
  void hyperliquidBtcTiersMatchTheDocs() {
    // 40x to 150M with MMR 1.25% (half the initial margin), then 20x with MMR 2.5%:
    // deduction 150M * 1.25% = 1.875M.
    RiskTiers tiers = MarketPresets.get("hyperliquid", "f").tiers();
    assertThat(tiers.tiers().get(1).maintenanceDeduction()).isEqualTo(1_875_000L * 1_000_000L);
    assertThat(tiers.maintenanceMargin(200_000_000L * 1_000_000L))
        .isEqualTo((5_000_000L - 1_875_000L) * 1_000_000L);
  }

  @Test
  void aDeductionThatBreaksContinuityIsRefused() {
    assertThatThrownBy(
            () ->
                RiskTiers.of(
                    List.of(
                        new RiskTier(0, 100, 500_000, 0),
                        new RiskTier(1_000_000_000L, 50, 1_000_000, 7))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("breaks continuity");
  }

  @Test
  void anUnknownPresetListsTheKnownOnes() {
    assertThatThrownBy(() -> MarketPresets.get("nope", "f"))
        .hasMessageContaining("known presets")
        .hasMessageContaining("bitmex");
  }
}
