package dev.backstop.core.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RiskTiersTest {

  private static final long USD = 1_000_000L;

  /**
   * Regression: deriving the deductions multiplied a tier floor (money units) by an MMR step (rate
   * units) in a long, which overflows for Binance's upper brackets (200M * 10% = 2e14 * 1e7), so
   * the binance preset could not even be built.
   */
  @Test
  void binanceDeductionsAreThePublishedOnes() {
    List<RiskTier> tiers = MarketPresets.get("binance", "if").tiers().tiers();
    // Binance BTCUSDT maintenance amounts, in dollars: each is the previous one plus
    // floor x (MMR - previous MMR), e.g. 250,000 x (1% - 0.5%) = 1,250 and 50 + 1,250 = 1,300.
    long[] published = {
      0, 50, 1_300, 46_300, 421_300, 1_921_300, 3_921_300, 6_421_300, 26_421_300, 101_421_300
    };
    assertThat(tiers).hasSize(published.length);
    for (int i = 0; i < published.length; i++) {
      assertThat(tiers.get(i).maintenanceDeduction()).as("tier " + i).isEqualTo(published[i] * USD);
    }
  }

  /**
   * At every floor, MM computed in the tier below ({@code floor * MMR_below - deduction_below})
   * equals MM in the tier above; one money unit either side, MM moves by at most the rounding of
   * one unit (rounded up): MM(floor - 1) == MM(floor) and MM(floor + 1) == MM(floor) + 1.
   */
  @Test
  void binanceMaintenanceMarginIsContinuousAtEveryTierEdge() {
    RiskTiers tiers = MarketPresets.get("binance", "if").tiers();
    List<RiskTier> bands = tiers.tiers();
    for (int i = 1; i < bands.size(); i++) {
      RiskTier below = bands.get(i - 1);
      RiskTier band = bands.get(i);
      long floor = band.notionalFloor();
      // Floors are whole dollars and MMRs whole multiples of 0.01%, so floor * MMR is exact.
      long inBelow =
          floor / 100_000_000L * below.maintenanceMarginRate() - below.maintenanceDeduction();
      long inBand =
          floor / 100_000_000L * band.maintenanceMarginRate() - band.maintenanceDeduction();
      assertThat(inBand).as("MM at floor %d both ways", floor).isEqualTo(inBelow);
      assertThat(tiers.maintenanceMargin(floor)).isEqualTo(inBand);
      assertThat(tiers.maintenanceMargin(floor - 1)).isEqualTo(inBand);
      assertThat(tiers.maintenanceMargin(floor + 1)).isEqualTo(inBand + 1);
    }
  }

  @Test
  void aMaintenanceRateAboveTheInitialRateIsRefused() {
    // 20x is an initial margin rate of 5%: a 6% maintenance rate liquidates every new position.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RiskTiers.flat(20, 6_000_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above the initial margin rate 1/20");
    org.assertj.core.api.Assertions.assertThat(RiskTiers.flat(100, 1_000_000).maxLeverage())
        .isEqualTo(100);
  }
}
