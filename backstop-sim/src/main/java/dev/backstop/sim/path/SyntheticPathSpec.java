package dev.backstop.sim.path;

/**
 * A seeded synthetic price path: geometric Brownian motion with drift, Poisson jumps, and a crash
 * of a given shape laid over it. Rates are per day; the crash's fall is a share of the price when
 * it starts. See {@code docs/scenarios.md}; {@link SyntheticPath#generate} draws the path.
 *
 * <p>The path is marked every {@code stepSeconds}, from 0 to {@code minutes}, which must be a whole
 * number of steps. A crash's fall must end within the path; its rebound may run past the end and is
 * then cut short (the path ends mid-recovery). Invalid values are refused on construction with an
 * {@link IllegalArgumentException} naming the field.
 *
 * @param start the first price
 * @param minutes the path's length
 * @param stepSeconds seconds between marks, at least one millisecond
 * @param drift log drift per day
 * @param volatility standard deviation of the log return per day
 * @param jumpsPerDay Poisson intensity of jumps
 * @param jumpMean mean log jump
 * @param jumpStd standard deviation of the log jump
 * @param crash the crash laid over the path, or null for none
 */
public record SyntheticPathSpec(
    double start,
    double minutes,
    double stepSeconds,
    double drift,
    double volatility,
    double jumpsPerDay,
    double jumpMean,
    double jumpStd,
    Crash crash) {

  /**
   * The most marks a path may have, so that a typo in {@code stepSeconds} cannot exhaust memory.
   */
  public static final long MAX_MARKS = 10_000_000;

  /** The most jumps a path may expect ({@code jumpsPerDay} times its days). */
  public static final double MAX_EXPECTED_JUMPS = 1_000_000;

  private static final double MINUTES_PER_DAY = 24 * 60;

  /** Validates every field and that the crash's fall ends within the path. */
  public SyntheticPathSpec {
    positive("start", start);
    positive("minutes", minutes);
    if (!(stepSeconds >= 0.001) || stepSeconds == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(
          "stepSeconds must be at least 0.001 (one millisecond), not " + stepSeconds);
    }
    double steps = minutes * 60 / stepSeconds;
    if (Math.abs(steps - Math.rint(steps)) > 1e-9 * Math.max(1, steps)) {
      throw new IllegalArgumentException(
          "minutes ("
              + minutes
              + ") must be a whole number of steps of stepSeconds ("
              + stepSeconds
              + " s)");
    }
    if (steps > MAX_MARKS - 1) {
      throw new IllegalArgumentException(
          "minutes ("
              + minutes
              + ") and stepSeconds ("
              + stepSeconds
              + ") give "
              + ((long) Math.rint(steps) + 1)
              + " marks, more than "
              + MAX_MARKS);
    }
    finite("drift", drift);
    nonNegative("volatility", volatility);
    nonNegative("jumpsPerDay", jumpsPerDay);
    finite("jumpMean", jumpMean);
    nonNegative("jumpStd", jumpStd);
    if (jumpsPerDay * minutes / MINUTES_PER_DAY > MAX_EXPECTED_JUMPS) {
      throw new IllegalArgumentException(
          "jumpsPerDay ("
              + jumpsPerDay
              + ") expects more than "
              + MAX_EXPECTED_JUMPS
              + " jumps over the path");
    }
    if (crash != null) {
      double end = crash.atMinute() + crash.minutes();
      if (end > minutes) {
        throw new IllegalArgumentException(
            "crash.atMinute + crash.minutes = "
                + end
                + " ends after the path's minutes ("
                + minutes
                + ")");
      }
      if (crash.minutes() * 60 < stepSeconds) {
        throw new IllegalArgumentException(
            "crash.minutes ("
                + crash.minutes()
                + ") is shorter than one step of stepSeconds ("
                + stepSeconds
                + " s)");
      }
    }
  }

  /**
   * A crash: from {@code atMinute} the price falls by {@code depth} (0.13 = 13%) over {@code
   * minutes}, then recovers {@code rebound} of the fall (0.4 = 40%) over {@code reboundMinutes}.
   *
   * @param atMinute when the fall starts
   * @param depth the fall, a share of the price at the start, in (0, 1)
   * @param minutes how long the fall takes
   * @param shape {@value #LINEAR}, {@value #EXPONENTIAL} (fastest at first) or {@value #WAVES} (a
   *     staircase of {@code waves} sharp legs with pauses, as liquidation waves come)
   * @param waves the number of legs of a {@code waves} crash, at least 1; ignored by the other
   *     shapes
   * @param rebound the share of the fall recovered afterwards, in [0, 1]
   * @param reboundMinutes how long the recovery takes, positive when {@code rebound} is
   */
  public record Crash(
      double atMinute,
      double depth,
      double minutes,
      String shape,
      int waves,
      double rebound,
      double reboundMinutes) {

    /** The fall at a constant percentage rate. */
    public static final String LINEAR = "linear";

    /** The fall fastest at first, slowing as it ends. */
    public static final String EXPONENTIAL = "exponential";

    /** The fall in {@code waves} sharp legs separated by pauses. */
    public static final String WAVES = "waves";

    /** Validates every field. */
    public Crash {
      nonNegative("crash.atMinute", atMinute);
      if (!(depth > 0 && depth < 1)) {
        throw new IllegalArgumentException("crash.depth must be in (0, 1), not " + depth);
      }
      positive("crash.minutes", minutes);
      if (!LINEAR.equals(shape) && !EXPONENTIAL.equals(shape) && !WAVES.equals(shape)) {
        throw new IllegalArgumentException(
            "crash.shape must be linear, exponential or waves, not "
                + (shape == null ? "null" : "'" + shape + "'"));
      }
      if (WAVES.equals(shape) && waves < 1) {
        throw new IllegalArgumentException(
            "crash.waves must be at least 1 for a waves crash, not " + waves);
      }
      if (!(rebound >= 0 && rebound <= 1)) {
        throw new IllegalArgumentException("crash.rebound must be in [0, 1], not " + rebound);
      }
      nonNegative("crash.reboundMinutes", reboundMinutes);
      if (rebound > 0 && reboundMinutes == 0) {
        throw new IllegalArgumentException(
            "crash.reboundMinutes must be positive when crash.rebound is, not 0");
      }
    }
  }

  private static void finite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be finite, not " + value);
    }
  }

  private static void positive(String field, double value) {
    if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(field + " must be finite and positive, not " + value);
    }
  }

  private static void nonNegative(String field, double value) {
    if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(field + " must be finite and non-negative, not " + value);
    }
  }
}
