package dev.backstop.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
