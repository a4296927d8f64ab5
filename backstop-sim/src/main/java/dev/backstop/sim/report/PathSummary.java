package dev.backstop.sim.report;

import dev.backstop.sim.run.SimulationResult.PathSeries;

/**
 * The few numbers that describe a price path in a header: its points, first, lowest and last mark,
 * its duration and its largest fall from a running peak.
 *
 * @param points the number of marks
 * @param durationMillis the time from the first mark to the last
 * @param start the first mark
 * @param low the lowest mark
 * @param end the last mark
 * @param maxDrawdown the largest fall from a running peak, as a share of that peak
 */
record PathSummary(
    int points, long durationMillis, double start, double low, double end, double maxDrawdown) {

  /** Summarises {@code path}; an empty path has no marks, so its marks are NaN. */
  static PathSummary of(PathSeries path) {
    double[] marks = path.marks();
    long[] times = path.times();
    if (marks.length == 0) {
      return new PathSummary(0, 0, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double peak = marks[0];
    double low = marks[0];
    double drawdown = 0;
    for (double mark : marks) {
      peak = Math.max(peak, mark);
      low = Math.min(low, mark);
      if (peak > 0) {
        drawdown = Math.max(drawdown, (peak - mark) / peak);
      }
    }
    long duration = times.length == 0 ? 0 : times[times.length - 1] - times[0];
    return new PathSummary(
        marks.length, duration, marks[0], low, marks[marks.length - 1], drawdown);
  }
}
