package dev.backstop.sim.metrics;

import java.util.Arrays;

/**
 * How concentrated a distribution of amounts taken is: the Gini coefficient, the share of the
 * largest few, and the Lorenz curve. Amounts must be finite and non-negative; zeros count (a winner
 * that lost nothing is part of the population).
 */
public final class Concentration {

  private Concentration() {}

  /**
   * The Gini coefficient {@code sum_i sum_j |x_i - x_j| / (2 n^2 mean)}, computed on the sorted
   * amounts as {@code (2 sum_i i x_(i)) / (n sum x) - (n + 1) / n} with i from 1; 0 when every
   * amount is 0 or there are none.
   */
  public static double gini(double[] amounts) {
    double[] x = sorted(amounts);
    int n = x.length;
    double total = 0;
    double weighted = 0;
    for (int i = 0; i < n; i++) {
      total += x[i];
      weighted += (i + 1) * x[i];
    }
    if (n == 0 || total == 0) {
      return 0;
    }
    return 2 * weighted / (n * total) - (n + 1.0) / n;
  }

  /** The share of the total held by the {@code k} largest amounts; 0 when the total is 0. */
  public static double topShare(double[] amounts, int k) {
    double[] x = sorted(amounts);
    double total = 0;
    for (double v : x) {
      total += v;
    }
    if (total == 0) {
      return 0;
    }
    double top = 0;
    for (int i = x.length - 1; i >= Math.max(0, x.length - k); i--) {
      top += x[i];
    }
    return top / total;
  }

  /**
   * The Lorenz curve at {@code points} evenly spaced population shares from 0 to 1: the share of
   * the total held by the smallest {@code p} of the amounts, interpolated linearly between
   * accounts.
   */
  public static double[] lorenz(double[] amounts, int points) {
    if (points < 2) {
      throw new IllegalArgumentException("a Lorenz curve needs at least 2 points");
    }
    double[] x = sorted(amounts);
    int n = x.length;
    double[] cumulative = new double[n + 1];
    for (int i = 0; i < n; i++) {
      cumulative[i + 1] = cumulative[i] + x[i];
    }
    double total = cumulative[n];
    double[] curve = new double[points];
    for (int k = 0; k < points; k++) {
      double p = (double) k / (points - 1);
      if (n == 0 || total == 0) {
        curve[k] = p;
        continue;
      }
      double position = p * n;
      int whole = (int) Math.min(n, Math.floor(position));
      double part = whole < n ? (position - whole) * x[whole] : 0;
      curve[k] = (cumulative[whole] + part) / total;
    }
    return curve;
  }

  private static double[] sorted(double[] amounts) {
    double[] x = amounts.clone();
    for (double v : x) {
      if (!Double.isFinite(v) || v < 0) {
        throw new IllegalArgumentException("amounts must be finite and >= 0, got " + v);
      }
    }
    Arrays.sort(x);
    return x;
  }
}
