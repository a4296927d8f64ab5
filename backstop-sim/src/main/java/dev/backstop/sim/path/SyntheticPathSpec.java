package dev.backstop.sim.path;

/**
 * A seeded synthetic price path: geometric Brownian motion with drift, Poisson jumps, and a crash
 * of a given shape laid over it. Rates are per day; the crash's fall is a share of the price when
 * it starts. See {@code docs/scenarios.md}.
 *
 * @param start the first price
 * @param minutes the path's length
 * @param stepSeconds seconds between marks
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
   * A crash: from {@code atMinute} the price falls by {@code depth} (0.13 = 13%) over {@code
   * minutes}, then recovers {@code rebound} of the fall (0.4 = 40%) over {@code reboundMinutes}.
   *
   * @param atMinute when the fall starts
   * @param depth the fall, a share of the price at the start, in (0, 1)
   * @param minutes how long the fall takes
   * @param shape {@code linear}, {@code exponential} (fastest at first) or {@code waves} (a
   *     staircase of {@code waves} sharp legs with pauses, as liquidation waves come)
   * @param waves the number of legs of a {@code waves} crash
   * @param rebound the share of the fall recovered afterwards, in [0, 1]
   * @param reboundMinutes how long the recovery takes
   */
  public record Crash(
      double atMinute,
      double depth,
      double minutes,
      String shape,
      int waves,
      double rebound,
      double reboundMinutes) {}
}
