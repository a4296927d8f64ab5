package dev.backstop.sim.path;

import dev.backstop.sim.path.SyntheticPathSpec.Crash;
import java.util.SplittableRandom;

/**
 * Draws a {@link SyntheticPathSpec} as a {@link PricePath}: the same spec and seed give the same
 * path, bit for bit.
 *
 * <p>Marks fall every {@code stepSeconds} from 0 to {@code minutes}. Between two marks, {@code dt}
 * days apart, the log-price moves by {@code drift * dt + volatility * sqrt(dt) * Z} with {@code Z}
 * standard normal (the drift is already a log drift, so no Itô correction is added), plus one
 * normal({@code jumpMean}, {@code jumpStd}) log jump for every jump of a Poisson process of
 * intensity {@code jumpsPerDay} that falls between them (Merton's jump diffusion, sampled). The
 * diffusion and the jumps draw from two streams split off one {@link SplittableRandom} seeded with
 * the seed, so switching jumps on or off leaves the diffusion's draws unchanged.
 *
 * <p>The crash multiplies the price by a deterministic envelope, laid on the log-price. The fall
 * starts at the mark nearest {@code atMinute} and reaches its bottom, {@code 1 - depth} times the
 * undisturbed price, at the mark nearest {@code atMinute + minutes}, so the path always touches the
 * bottom: with no volatility, drift or jumps its largest drawdown is {@code depth} exactly. In
 * between, the share of the log fall done after a share {@code u} of the crash's time is:
 *
 * <ul>
 *   <li>{@code linear}: {@code u}, a constant percentage rate;
 *   <li>{@code exponential}: {@code (1 - e^(-5u)) / (1 - e^(-5))}, fastest at first: about two
 *       thirds of the fall in the first fifth of the time;
 *   <li>{@code waves}: {@code waves} legs of equal log fall (each takes the same share of the price
 *       it starts from, as successive liquidation waves do), each leg lasting {@value #LEG_SHARE}
 *       of its slot and followed by a flat pause for the rest; the last leg ends at the bottom and
 *       is followed by the rebound instead. One wave is the linear shape.
 * </ul>
 *
 * <p>From the bottom, the log envelope climbs linearly over {@code reboundMinutes} (rounded to
 * whole steps, at least one) to {@code 1 - depth * (1 - rebound)}, so that {@code rebound} of the
 * fall is recovered in price, and stays there. A rebound running past the path's end is cut short.
 */
public final class SyntheticPath {

  /** The share of its slot that a leg of a {@code waves} crash takes; the rest is a pause. */
  public static final double LEG_SHARE = 0.3;

  /** The rate of the {@code exponential} shape, in units of the crash's duration. */
  static final double EXPONENTIAL_RATE = 5;

  private static final double SECONDS_PER_DAY = 86_400;

  private SyntheticPath() {}

  /**
   * Draws the path of {@code spec} with {@code seed}.
   *
   * @throws IllegalArgumentException if the volatility or jumps are so large that a price overflows
   *     or vanishes
   */
  public static PricePath generate(SyntheticPathSpec spec, long seed) {
    int marks = (int) Math.rint(spec.minutes() * 60 / spec.stepSeconds()) + 1;
    double stepDays = spec.stepSeconds() / SECONDS_PER_DAY;
    double driftPerStep = spec.drift() * stepDays;
    double volatilityPerStep = spec.volatility() * Math.sqrt(stepDays);
    double[] crash = crashEnvelope(spec.crash(), marks, spec.stepSeconds());

    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom diffusion = root.split();
    SplittableRandom jumps = root.split();
    double nextJumpDay = nextJump(jumps, spec.jumpsPerDay(), 0);

    long[] times = new long[marks];
    double[] prices = new double[marks];
    double logPrice = 0;
    prices[0] = spec.start();
    for (int k = 1; k < marks; k++) {
      times[k] = Math.round(k * spec.stepSeconds() * 1000);
      logPrice += driftPerStep + volatilityPerStep * diffusion.nextGaussian();
      double day = k * stepDays;
      while (nextJumpDay <= day) {
        logPrice += spec.jumpMean() + spec.jumpStd() * jumps.nextGaussian();
        nextJumpDay = nextJump(jumps, spec.jumpsPerDay(), nextJumpDay);
      }
      prices[k] = spec.start() * Math.exp(logPrice + crash[k]);
    }
    return new PricePath("synthetic, seed " + seed + ": " + spec, times, prices);
  }

  /** The time of the jump after {@code day}: exponential waiting times of mean 1 / intensity. */
  private static double nextJump(SplittableRandom jumps, double perDay, double day) {
    return perDay == 0 ? Double.POSITIVE_INFINITY : day + jumps.nextExponential() / perDay;
  }

  /** The crash's log envelope at every mark: 0 before the fall, {@code ln(1 - depth)} at bottom. */
  private static double[] crashEnvelope(Crash crash, int marks, double stepSeconds) {
    double[] envelope = new double[marks];
    if (crash == null) {
      return envelope;
    }
    double marksPerMinute = 60 / stepSeconds;
    // the spec keeps the fall within the path and at least one step long; rounding is clamped
    long last = marks - 1;
    long start = Math.min(Math.round(crash.atMinute() * marksPerMinute), last - 1);
    long bottom =
        Math.clamp(
            Math.round((crash.atMinute() + crash.minutes()) * marksPerMinute), start + 1, last);
    long recovered = bottom + Math.max(1, Math.round(crash.reboundMinutes() * marksPerMinute));
    double low = Math.log1p(-crash.depth());
    double high = Math.log1p(-crash.depth() * (1 - crash.rebound()));
    for (long k = start + 1; k < marks; k++) {
      envelope[(int) k] =
          k < bottom
              ? low * fall(crash, (double) (k - start) / (bottom - start))
              : low + (high - low) * Math.min(1, (double) (k - bottom) / (recovered - bottom));
    }
    return envelope;
  }

  /** The share of the log fall done after a share {@code u} in [0, 1) of the crash's time. */
  private static double fall(Crash crash, double u) {
    return switch (crash.shape()) {
      case Crash.LINEAR -> u;
      case Crash.EXPONENTIAL -> Math.expm1(-EXPONENTIAL_RATE * u) / Math.expm1(-EXPONENTIAL_RATE);
      default -> waves(crash.waves(), u); // the spec admits no other shape
    };
  }

  /** Legs of a {@value #LEG_SHARE} of a slot, each followed by a pause; the last leg ends at 1. */
  private static double waves(int waves, double u) {
    double slot = 1 / (waves - 1 + LEG_SHARE);
    int leg = Math.min(waves - 1, (int) (u / slot));
    double withinLeg = Math.min(1, (u - leg * slot) / (LEG_SHARE * slot));
    return (leg + withinLeg) / waves;
  }
}
