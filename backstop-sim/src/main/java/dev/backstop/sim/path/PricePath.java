package dev.backstop.sim.path;

/**
 * A path of mark prices: strictly increasing times (milliseconds from the path's start, the first
 * at 0) and finite positive prices, one per time.
 *
 * @param description where the path comes from (a file name, or the synthetic parameters)
 * @param times milliseconds from the start, strictly increasing, the first 0
 * @param prices mark prices, finite and positive
 */
public record PricePath(String description, long[] times, double[] prices) {

  /** Validates the shape. */
  public PricePath {
    if (times.length != prices.length || times.length < 2) {
      throw new IllegalArgumentException("a price path needs at least two points, one per time");
    }
    if (times[0] != 0) {
      throw new IllegalArgumentException("a price path starts at time 0, not " + times[0]);
    }
    for (int i = 0; i < times.length; i++) {
      if (i > 0 && times[i] <= times[i - 1]) {
        throw new IllegalArgumentException("times must increase: point " + i);
      }
      if (!Double.isFinite(prices[i]) || prices[i] <= 0) {
        throw new IllegalArgumentException("price " + prices[i] + " at point " + i);
      }
    }
  }

  /** The number of points. */
  public int size() {
    return times.length;
  }

  /** The largest fall from a running peak, as a share of the peak (0.13 for -13%). */
  public double maxDrawdown() {
    double peak = prices[0];
    double worst = 0;
    for (double p : prices) {
      peak = Math.max(peak, p);
      worst = Math.max(worst, 1 - p / peak);
    }
    return worst;
  }
}
