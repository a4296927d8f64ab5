package dev.backstop.sim.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The built-in paths keep their calibration: without noise their crash envelopes hit the public
 * figures they cite, and with noise their drawdowns stay near them for every seed tried.
 */
class BuiltInPathsTest {

  /** The spec's crash with the noise (volatility and jumps) taken out. */
  static PricePath envelope(SyntheticPathSpec spec) {
    return SyntheticPath.generate(
        new SyntheticPathSpec(
            spec.start(), spec.minutes(), spec.stepSeconds(), 0, 0, 0, 0, 0, spec.crash()),
        0);
  }

  static double priceAtMinute(PricePath path, double minute) {
    long time = Math.round(minute * 60_000);
    for (int k = 0; k < path.size(); k++) {
      if (path.times()[k] == time) {
        return path.prices()[k];
      }
    }
    throw new AssertionError("no mark at minute " + minute);
  }

  static int legs(PricePath path) {
    double[] prices = path.prices();
    int legs = 0;
    for (int k = 1; k < prices.length; k++) {
      if (prices[k] < prices[k - 1] && (k == 1 || prices[k - 1] >= prices[k - 2])) {
        legs++;
      }
    }
    return legs;
  }

  @Test
  void october2025IsAnHourOfFiveSecondMarksWithThirteenPercentInFiveWaves() {
    SyntheticPathSpec spec = BuiltInPaths.crash20251010();
    PricePath path = envelope(spec);
    assertThat(path.size()).isEqualTo(721);
    assertThat(path.times()[1]).isEqualTo(5_000);
    assertThat(priceAtMinute(path, 20)).isEqualTo(121_000);
    assertThat(priceAtMinute(path, 32)).isCloseTo(105_270, within(1e-6));
    assertThat(priceAtMinute(path, 52)).isCloseTo(111_562, within(1e-6));
    assertThat(path.maxDrawdown()).isCloseTo(0.13, within(1e-9));
    assertThat(legs(path)).isEqualTo(5);
    for (long seed = 0; seed < 50; seed++) {
      assertThat(SyntheticPath.generate(spec, seed).maxDrawdown())
          .as("seed %d", seed)
          .isBetween(0.115, 0.15);
    }
  }

  @Test
  void march2020IsThirtyHoursOfMinutesWithFiftyOnePercentInTwoLegs() {
    SyntheticPathSpec spec = BuiltInPaths.crash20200312();
    PricePath path = envelope(spec);
    assertThat(path.size()).isEqualTo(1_801);
    assertThat(path.times()[1]).isEqualTo(60_000);
    // legs start at 10:00 and 23:00 UTC and last 3.9 hours; the bottom is at 02:54 on the 13th
    assertThat(priceAtMinute(path, 600)).isEqualTo(7_900);
    assertThat(priceAtMinute(path, 834)).isCloseTo(5_530, within(1e-6));
    assertThat(priceAtMinute(path, 1_380)).isCloseTo(5_530, within(1e-6));
    assertThat(priceAtMinute(path, 1_614)).isCloseTo(3_871, within(1e-6));
    assertThat(priceAtMinute(path, 1_794)).isCloseTo(3_871 + 0.3 * (7_900 - 3_871), within(1e-6));
    assertThat(legs(path)).isEqualTo(2);
    for (long seed = 0; seed < 50; seed++) {
      assertThat(SyntheticPath.generate(spec, seed).maxDrawdown())
          .as("seed %d", seed)
          .isBetween(0.38, 0.68);
    }
  }

  @Test
  void aCalmDayIsADayOfMinutesWithoutACrash() {
    SyntheticPathSpec spec = BuiltInPaths.calmDay();
    assertThat(spec.crash()).isNull();
    PricePath path = SyntheticPath.generate(spec, 0);
    assertThat(path.size()).isEqualTo(1_441);
    assertThat(path.times()[1440]).isEqualTo(24 * 3_600_000L);
    for (long seed = 0; seed < 50; seed++) {
      assertThat(SyntheticPath.generate(spec, seed).maxDrawdown())
          .as("seed %d", seed)
          .isLessThan(0.06);
    }
  }
}
