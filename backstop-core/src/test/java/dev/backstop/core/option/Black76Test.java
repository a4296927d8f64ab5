package dev.backstop.core.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** Black-76 against published and hand-computed values. */
class Black76Test {

  /**
   * Hull, "Options, Futures, and Other Derivatives" (the example of Black's model for a futures
   * option): a European put on crude-oil futures, F = K = 20, r = 9%, T = 4 months, sigma = 25%;
   * "the put price is 1.12" with d1 = 0.07216 and d2 = -0.07216. Unrounded it is 1.11664145655894
   * and its delta -e^(-0.03) N(-0.07216878) = -0.45730673036028, both computed independently from
   * erfc.
   */
  @Test
  void hullsFuturesPutIsWorthOneTwelve() {
    double put = Black76.price(OptionKind.PUT, 20, 20, 4.0 / 12, 0.25, 0.09);
    assertThat(Math.round(put * 100) / 100.0).isEqualTo(1.12);
    assertThat(put).isCloseTo(1.11664145655894, within(1e-13));
    assertThat(Black76.delta(OptionKind.PUT, 20, 20, 4.0 / 12, 0.25, 0.09))
        .isCloseTo(-0.45730673036028, within(1e-13));
  }

  /** Put-call parity on a forward: {@code C - P = e^(-rT) (F - K)}. */
  @Test
  void callsAndPutsKeepParity() {
    for (double k : new double[] {50, 90, 100, 110, 200}) {
      double c = Black76.price(OptionKind.CALL, 100, k, 0.5, 0.4, 0.03);
      double p = Black76.price(OptionKind.PUT, 100, k, 0.5, 0.4, 0.03);
      assertThat(c - p).isCloseTo(StrictMath.exp(-0.015) * (100 - k), within(1e-11));
      double dc = Black76.delta(OptionKind.CALL, 100, k, 0.5, 0.4, 0.03);
      double dp = Black76.delta(OptionKind.PUT, 100, k, 0.5, 0.4, 0.03);
      assertThat(dc - dp).isCloseTo(StrictMath.exp(-0.015), within(1e-14));
    }
  }

  /** Vega is the price's derivative in volatility: a central difference agrees. */
  @Test
  void vegaIsTheDerivativeInVolatility() {
    double h = 1e-5;
    double difference =
        (Black76.price(OptionKind.CALL, 3000, 3100, 0.1, 0.6 + h, 0)
                - Black76.price(OptionKind.CALL, 3000, 3100, 0.1, 0.6 - h, 0))
            / (2 * h);
    assertThat(Black76.vega(3000, 3100, 0.1, 0.6, 0)).isCloseTo(difference, within(1e-5));
  }

  /** The normal distribution function against erfc values, to 1e-15. */
  @Test
  void theNormalDistributionIsAccurate() {
    assertThat(Black76.cumulativeNormal(0)).isEqualTo(0.5);
    assertThat(Black76.cumulativeNormal(1)).isCloseTo(0.8413447460685429, within(1e-15));
    assertThat(Black76.cumulativeNormal(-1.96)).isCloseTo(0.024997895148220435, within(1e-15));
    assertThat(Black76.cumulativeNormal(3)).isCloseTo(0.9986501019683699, within(1e-15));
    assertThat(Black76.cumulativeNormal(-8)).isCloseTo(6.220960574271819e-16, within(1e-20));
    assertThat(Black76.cumulativeNormal(40)).isEqualTo(1);
  }

  /** At expiry or without volatility an option is its intrinsic value, delta 0 or 1. */
  @Test
  void atExpiryAnOptionIsItsIntrinsicValue() {
    assertThat(Black76.price(OptionKind.CALL, 110, 100, 0, 0.5, 0)).isEqualTo(10);
    assertThat(Black76.price(OptionKind.PUT, 110, 100, 0, 0.5, 0)).isZero();
    assertThat(Black76.delta(OptionKind.CALL, 110, 100, -1, 0.5, 0)).isEqualTo(1);
    assertThat(Black76.delta(OptionKind.PUT, 110, 100, 0, 0.5, 0)).isZero();
    assertThat(Black76.vega(110, 100, 0, 0.5, 0)).isZero();
  }

  /**
   * The fixed-point premium rounds as asked and stays within its bounds: the seed's call (3000, 30
   * days, 60%) is 205.61822 per ETH, 20561.822 ticks: 20562 up, 20561 down; the payoff is exact.
   */
  @Test
  void thePremiumRoundsAsAskedWithinItsBounds() {
    long month = 30L * 24 * 60 * 60 * 1000;
    assertThat(
            OptionPricing.premium(
                OptionKind.CALL, 300000, 300000, month, 60_000_000, RoundingMode.CEILING))
        .isEqualTo(20562);
    assertThat(
            OptionPricing.premium(
                OptionKind.CALL, 300000, 300000, month, 60_000_000, RoundingMode.FLOOR))
        .isEqualTo(20561);
    assertThat(
            OptionPricing.premium(
                OptionKind.CALL, 1, 1_000_000, month, 1_000_000_000, RoundingMode.CEILING))
        .isBetween(0L, 1L);
    assertThat(OptionPricing.payoff(OptionKind.PUT, 325150, 340000)).isEqualTo(14850);
    assertThat(OptionPricing.payoff(OptionKind.CALL, 325150, 340000)).isZero();
  }

  /** The grids are as documented: 7 moves by 3 volatility factors each. */
  @Test
  void theScenarioGridsAreAsDocumented() {
    assertThat(ScenarioGrid.MAINTENANCE.moves())
        .containsExactly(
            -15_000_000, -10_000_000, -5_000_000, 0, 5_000_000, 10_000_000, 15_000_000);
    assertThat(ScenarioGrid.MAINTENANCE.volFactors())
        .containsExactly(75_000_000, 100_000_000, 125_000_000);
    assertThat(ScenarioGrid.INITIAL.moves())
        .containsExactly(
            -22_500_000, -15_000_000, -7_500_000, 0, 7_500_000, 15_000_000, 22_500_000);
    assertThat(ScenarioGrid.INITIAL.volFactors())
        .containsExactly(62_500_000, 100_000_000, 137_500_000);
  }
}
