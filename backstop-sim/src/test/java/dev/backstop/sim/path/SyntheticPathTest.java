package dev.backstop.sim.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backstop.sim.path.SyntheticPathSpec.Crash;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Synthetic paths: reproducible from the seed, volatility scaled per day, and a crash envelope
 * whose fall is exactly its depth when there is no noise.
 */
class SyntheticPathTest {

  /** One hour of 5-second marks at 100, with the given volatility, jumps and crash. */
  static SyntheticPathSpec hour(
      double volatility, double jumpsPerDay, double jumpMean, double jumpStd, Crash crash) {
    return new SyntheticPathSpec(100, 60, 5, 0, volatility, jumpsPerDay, jumpMean, jumpStd, crash);
  }

  /** A crash of 20% from minute 10 over 12 minutes, recovering half the fall over 10 minutes. */
  static Crash crash(String shape, int waves) {
    return new Crash(10, 0.2, 12, shape, waves, 0.5, 10);
  }

  @Test
  void marksEveryStepFromZero() {
    PricePath path = SyntheticPath.generate(hour(0.03, 0, 0, 0, null), 1);
    assertThat(path.size()).isEqualTo(721);
    for (int k = 0; k < path.size(); k++) {
      assertThat(path.times()[k]).isEqualTo(5_000L * k);
    }
    assertThat(path.prices()[0]).isEqualTo(100);
    assertThat(path.description()).startsWith("synthetic, seed 1: SyntheticPathSpec[start=100.0");
  }

  @Test
  void theSameSeedGivesTheSamePathAndAnotherSeedAnother() {
    SyntheticPathSpec spec = hour(0.03, 24, -0.01, 0.005, crash("waves", 4));
    PricePath a = SyntheticPath.generate(spec, 42);
    PricePath b = SyntheticPath.generate(spec, 42);
    PricePath c = SyntheticPath.generate(spec, 43);
    assertThat(b.times()).isEqualTo(a.times());
    assertThat(b.prices()).isEqualTo(a.prices());
    assertThat(c.times()).isEqualTo(a.times());
    assertThat(c.prices()).isNotEqualTo(a.prices());
  }

  @Test
  void withoutNoiseTheDriftIsAnExactLogTrend() {
    // drift -0.24 per day over one hour: -0.01 in log
    SyntheticPathSpec spec = new SyntheticPathSpec(100, 60, 5, -0.24, 0, 0, 0, 0, null);
    PricePath path = SyntheticPath.generate(spec, 7);
    assertThat(path.prices()[360]).isCloseTo(100 * Math.exp(-0.005), within(1e-9));
    assertThat(path.prices()[720]).isCloseTo(100 * Math.exp(-0.01), within(1e-9));
  }

  @Test
  void theVolatilityIsPerDayScaledToTheStep() {
    // 100 days of 1-minute marks: 144,000 log returns of standard deviation 0.03 * sqrt(1/1440)
    SyntheticPathSpec spec = new SyntheticPathSpec(100, 144_000, 60, 0, 0.03, 0, 0, 0, null);
    double[] prices = SyntheticPath.generate(spec, 3).prices();
    double sum = 0;
    double squares = 0;
    for (int k = 1; k < prices.length; k++) {
      double r = Math.log(prices[k] / prices[k - 1]);
      sum += r;
      squares += r * r;
    }
    int n = prices.length - 1;
    double std = Math.sqrt(squares / n - (sum / n) * (sum / n));
    assertThat(std).isCloseTo(0.03 / Math.sqrt(1440), within(0.03 / Math.sqrt(1440) * 0.01));
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "exponential", "waves"})
  void withoutNoiseTheCrashFallsByExactlyItsDepthThenRecoversItsRebound(String shape) {
    PricePath path = SyntheticPath.generate(hour(0, 0, 0, 0, crash(shape, 5)), 1);
    assertThat(path.maxDrawdown()).isCloseTo(0.2, within(1e-9));
    double[] prices = path.prices();
    // marks 120 (minute 10) to 264 (minute 22) are the fall, 384 (minute 32) the end of the rebound
    assertThat(prices[120]).isEqualTo(100);
    assertThat(prices[264]).isCloseTo(80, within(1e-9));
    assertThat(min(prices)).isCloseTo(80, within(1e-9));
    assertThat(prices[384]).isCloseTo(90, within(1e-9));
    assertThat(prices[720]).isCloseTo(90, within(1e-9));
    for (int k = 1; k < prices.length; k++) {
      if (k <= 264) {
        assertThat(prices[k]).as("mark %d", k).isLessThanOrEqualTo(prices[k - 1]);
      } else {
        assertThat(prices[k]).as("mark %d", k).isGreaterThanOrEqualTo(prices[k - 1]);
      }
    }
  }

  @Test
  void theShapesDifferInPace() {
    // a quarter of the fall's 144 steps
    int quarter = 120 + 36;
    double logFall = Math.log(0.8);
    double linear =
        SyntheticPath.generate(hour(0, 0, 0, 0, crash("linear", 0)), 1).prices()[quarter];
    double exponential =
        SyntheticPath.generate(hour(0, 0, 0, 0, crash("exponential", 0)), 1).prices()[quarter];
    assertThat(Math.log(linear / 100) / logFall).isCloseTo(0.25, within(1e-9));
    assertThat(Math.log(exponential / 100) / logFall)
        .isCloseTo((1 - Math.exp(-1.25)) / (1 - Math.exp(-5)), within(1e-9));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 6})
  void aWavesCrashFallsInThatManyEqualLegs(int waves) {
    double[] prices = SyntheticPath.generate(hour(0, 0, 0, 0, crash("waves", waves)), 1).prices();
    int legs = 0;
    double legStart = prices[0];
    for (int k = 1; k < prices.length; k++) {
      boolean falling = prices[k] < prices[k - 1] - 1e-9;
      boolean wasFalling = k > 1 && prices[k - 1] < prices[k - 2] - 1e-9;
      if (falling && !wasFalling) {
        legs++;
        legStart = prices[k - 1];
      }
      if (!falling && wasFalling) {
        // every leg takes the same share of the price it starts from
        assertThat(prices[k - 1] / legStart)
            .as("leg %d", legs)
            .isCloseTo(Math.pow(0.8, 1.0 / waves), within(1e-9));
      }
    }
    assertThat(legs).isEqualTo(waves);
  }

  @Test
  void aReboundPastTheEndIsCutShort() {
    // the fall ends at minute 58; the rebound would need 10 more
    Crash late = new Crash(46, 0.2, 12, "linear", 0, 0.5, 10);
    double[] prices = SyntheticPath.generate(hour(0, 0, 0, 0, late), 1).prices();
    assertThat(prices[696]).isCloseTo(80, within(1e-9));
    assertThat(prices[720]).isGreaterThan(80).isLessThan(90);
    assertThat(prices[720]).isCloseTo(80 * Math.pow(90.0 / 80, 0.2), within(1e-9));
  }

  @Test
  void jumpsAreACountOfLogJumpsDrawnFromTheirOwnStream() {
    // jumps of exactly -1% in log, 100 a day for 10 days: a staircase of about 1,000 steps
    SyntheticPathSpec staircase = new SyntheticPathSpec(100, 14_400, 60, 0, 0, 100, -0.01, 0, null);
    double[] prices = SyntheticPath.generate(staircase, 5).prices();
    for (int k = 1; k < prices.length; k++) {
      double jumps = Math.log(prices[k] / prices[k - 1]) / -0.01;
      assertThat(jumps).as("mark %d", k).isCloseTo(Math.rint(jumps), within(1e-6));
      assertThat(Math.rint(jumps)).isGreaterThanOrEqualTo(0);
    }
    double count = Math.log(prices[prices.length - 1] / 100) / -0.01;
    assertThat(count).isBetween(1000 - 5 * Math.sqrt(1000), 1000 + 5 * Math.sqrt(1000));

    // the same seed with and without jumps: the diffusion is the same, the difference the jumps
    double[] diffusion = SyntheticPath.generate(hour(0.05, 0, 0, 0, null), 9).prices();
    double[] jumped = SyntheticPath.generate(hour(0.05, 500, -0.01, 0, null), 9).prices();
    double previous = 0;
    for (int k = 0; k < diffusion.length; k++) {
      double jumps = Math.log(jumped[k] / diffusion[k]) / -0.01;
      assertThat(jumps).as("mark %d", k).isCloseTo(Math.rint(jumps), within(1e-6));
      assertThat(jumps).isGreaterThanOrEqualTo(previous - 1e-6);
      previous = jumps;
    }
    assertThat(previous).isGreaterThan(5);
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            (Runnable) () -> new SyntheticPathSpec(0, 60, 5, 0, 0, 0, 0, 0, null),
            "start must be finite and positive, not 0.0"),
        Arguments.of(
            (Runnable) () -> new SyntheticPathSpec(Double.NaN, 60, 5, 0, 0, 0, 0, 0, null),
            "start must be finite and positive, not NaN"),
        Arguments.of(
            (Runnable) () -> new SyntheticPathSpec(100, -1, 5, 0, 0, 0, 0, 0, null),
            "minutes must be finite and positive, not -1.0"),
        Arguments.of(
            (Runnable) () -> new SyntheticPathSpec(100, 60, 0, 0, 0, 0, 0, 0, null),
            "stepSeconds must be at least 0.001 (one millisecond), not 0.0"),
        Arguments.of(
            (Runnable) () -> new SyntheticPathSpec(100, 60, 7, 0, 0, 0, 0, 0, null),
            "minutes (60.0) must be a whole number of steps of stepSeconds (7.0 s)"),
        Arguments.of(
            (Runnable) () -> new SyntheticPathSpec(100, 1e9, 1, 0, 0, 0, 0, 0, null),
            "minutes (1.0E9) and stepSeconds (1.0) give 60000000001 marks, more than 10000000"),
        Arguments.of(
            (Runnable)
                () -> new SyntheticPathSpec(100, 60, 5, Double.POSITIVE_INFINITY, 0, 0, 0, 0, null),
            "drift must be finite, not Infinity"),
        Arguments.of(
            (Runnable) () -> hour(-0.01, 0, 0, 0, null),
            "volatility must be finite and non-negative, not -0.01"),
        Arguments.of(
            (Runnable) () -> hour(0, -1, 0, 0, null),
            "jumpsPerDay must be finite and non-negative, not -1.0"),
        Arguments.of(
            (Runnable) () -> hour(0, 1e9, 0, 0, null),
            "jumpsPerDay (1.0E9) expects more than 1000000.0 jumps over the path"),
        Arguments.of(
            (Runnable) () -> hour(0, 1, Double.NaN, 0, null), "jumpMean must be finite, not NaN"),
        Arguments.of(
            (Runnable) () -> hour(0, 1, 0, -0.1, null),
            "jumpStd must be finite and non-negative, not -0.1"),
        Arguments.of(
            (Runnable) () -> new Crash(-1, 0.2, 12, "linear", 0, 0.5, 10),
            "crash.atMinute must be finite and non-negative, not -1.0"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 0, 12, "linear", 0, 0.5, 10),
            "crash.depth must be in (0, 1), not 0.0"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 1, 12, "linear", 0, 0.5, 10),
            "crash.depth must be in (0, 1), not 1.0"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 0.2, 0, "linear", 0, 0.5, 10),
            "crash.minutes must be finite and positive, not 0.0"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 0.2, 12, "cliff", 0, 0.5, 10),
            "crash.shape must be linear, exponential or waves, not 'cliff'"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 0.2, 12, null, 0, 0.5, 10),
            "crash.shape must be linear, exponential or waves, not null"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 0.2, 12, "waves", 0, 0.5, 10),
            "crash.waves must be at least 1 for a waves crash, not 0"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 0.2, 12, "linear", 0, 1.5, 10),
            "crash.rebound must be in [0, 1], not 1.5"),
        Arguments.of(
            (Runnable) () -> new Crash(10, 0.2, 12, "linear", 0, 0.5, 0),
            "crash.reboundMinutes must be positive when crash.rebound is, not 0"),
        Arguments.of(
            (Runnable) () -> hour(0, 0, 0, 0, new Crash(50, 0.2, 12, "linear", 0, 0.5, 10)),
            "crash.atMinute + crash.minutes = 62.0 ends after the path's minutes (60.0)"),
        Arguments.of(
            (Runnable)
                () ->
                    new SyntheticPathSpec(
                        100, 60, 60, 0, 0, 0, 0, 0, new Crash(10, 0.2, 0.5, "waves", 3, 0.5, 10)),
            "crash.minutes (0.5) is shorter than one step of stepSeconds (60.0 s)"));
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void anInvalidSpecIsRefusedNamingTheField(Runnable construct, String message) {
    assertThatThrownBy(construct::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aCrashMayStartAtTheFirstMarkAndEndAtTheLast() {
    Crash whole = new Crash(0, 0.3, 60, "exponential", 0, 0.5, 10);
    PricePath path = SyntheticPath.generate(hour(0, 0, 0, 0, whole), 1);
    assertThat(path.prices()[0]).isEqualTo(100);
    assertThat(path.prices()[720]).isCloseTo(70, within(1e-9));
  }

  private static double min(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
    }
    return min;
  }
}
