package dev.backstop.sim.report;

import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.report.ChartSpec.Format;
import dev.backstop.sim.report.ChartSpec.Kind;
import dev.backstop.sim.run.BurdenBins;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.PolicyResult.Timeline;
import dev.backstop.sim.run.SimulationResult.PathSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The report's charts, as {@link ChartSpec}s that the page draws with uPlot. Every chart has a
 * title, axis labels with units and a legend whose entries count what they say (a liquidation
 * marker's legend counts liquidation closes and the marks they fell on); policies keep the colour
 * and dash {@link PolicyColors} gave them.
 */
final class Charts {

  /** The haircut histogram's bins: burdens in (0, 10%], (10%, 20%], ..., (90%, 100%], above. */
  static final List<String> BURDEN_BINS = BurdenBins.LABELS;

  private static final String MARK = "#2f3b4c";
  private static final String LIQUIDATION = "rgba(128,128,128,0.55)";
  private static final String EQUALITY = "#b0b0b0";
  private static final float[] SOLID = new float[0];

  /** The x axis of every chart over the price path. */
  private static final String TIME_AXIS = "time from the start of the path (minutes)";

  private final PolicyColors colors;

  Charts(PolicyColors colors) {
    this.colors = colors;
  }

  /**
   * The mark over time, with the liquidation closes and backstop actions of {@code markers} (the
   * representative policy), or no markers when it is null.
   */
  ChartSpec pricePath(PathSeries path, PolicyResult markers) {
    long[] times = path.times();
    if (markers != null) {
      times = union(times, markers.timeline().liquidationTimes(), markers.timeline().adlTimes());
    }
    ChartSpec chart =
        ChartSpec.xy(
            "Mark price, liquidations and backstop actions",
            TIME_AXIS,
            Format.MINUTES,
            "mark price (USD)",
            Format.PLAIN,
            420,
            minutes(times));
    chart.add("mark price", MARK, SOLID, Kind.LINE, at(times, path.times(), path.marks()));
    if (markers != null) {
      Timeline t = markers.timeline();
      PolicyMetrics m = markers.metrics();
      if (t.liquidationTimes().length > 0) {
        chart.add(
            "liquidations of "
                + markers.policy()
                + ": "
                + Formats.count(m.liquidations())
                + " closes at "
                + Formats.count(distinct(t.liquidationTimes()))
                + " marks",
            LIQUIDATION,
            SOLID,
            Kind.POINTS,
            at(times, t.liquidationTimes(), t.liquidationPrices()));
      }
      if (t.adlTimes().length > 0) {
        chart.add(
            "backstop actions of "
                + markers.policy()
                + ": "
                + Formats.count(m.backstopActions())
                + " at "
                + Formats.count(distinct(t.adlTimes()))
                + " marks",
            colors.css(markers.policy()),
            SOLID,
            Kind.POINTS,
            at(times, t.adlTimes(), t.adlPrices()));
      }
    }
    return chart;
  }

  /** The order book's depth within 1% of mark over time. */
  ChartSpec depth(PathSeries path) {
    return ChartSpec.xy(
            "Order-book depth within 1% of mark",
            TIME_AXIS, Format.MINUTES, "depth (USD)", Format.USD, 240, minutes(path.times()))
        .yMin(0)
        .add("depth within 1% of mark", MARK, SOLID, Kind.LINE, path.depths());
  }

  /** Each policy's insurance fund over time, as steps, held to the end of the path. */
  ChartSpec insuranceFund(List<PolicyResult> policies, long[] pathTimes) {
    List<long[]> all = new ArrayList<>();
    all.add(pathTimes);
    for (PolicyResult p : policies) {
      all.add(p.timeline().fundTimes());
    }
    long[] times = union(all.toArray(long[][]::new));
    ChartSpec chart =
        ChartSpec.xy(
            "Insurance fund balance by policy",
            TIME_AXIS,
            Format.MINUTES,
            "insurance fund (USD)",
            Format.USD,
            420,
            minutes(times));
    for (PolicyResult policy : policies) {
      Timeline t = policy.timeline();
      if (t.fundTimes().length == 0) {
        continue;
      }
      double[] held = new double[times.length];
      int next = 0;
      double balance = Double.NaN;
      for (int k = 0; k < times.length; k++) {
        while (next < t.fundTimes().length && t.fundTimes()[next] <= times[k]) {
          balance = t.fundBalances()[next++];
        }
        held[k] = balance;
      }
      chart.add(
          policy.policy(),
          colors.css(policy.policy()),
          colors.dash(policy.policy()),
          Kind.STEP,
          held);
    }
    return chart;
  }

  /** Budget needed, taken and overshoot, one bar per policy in each group. */
  ChartSpec budget(List<PolicyResult> policies) {
    ChartSpec chart =
        ChartSpec.categories(
            "ADL budget needed, taken from winners, and overshoot",
            "figure",
            "amount (USD)",
            Format.USD,
            400,
            List.of("budget needed", "taken from winners", "overshoot = taken − needed"));
    for (PolicyResult policy : policies) {
      PolicyMetrics m = policy.metrics();
      chart.add(
          policy.policy(),
          colors.css(policy.policy()),
          SOLID,
          Kind.BARS,
          new double[] {
            m.budgetNeeded().toDouble(), m.budgetTaken().toDouble(), m.overshoot().toDouble()
          });
    }
    return chart;
  }

  /**
   * The distribution of burdens {@code x_i/u_i}, as the share of each policy's deleveraged accounts
   * in each {@link BurdenBins bin}; {@code policies} must all have burdens.
   */
  ChartSpec burdenHistogram(List<PolicyResult> policies) {
    ChartSpec chart =
        ChartSpec.categories(
                "Haircut distribution: burden x_i / u_i of each deleveraged account",
                "burden: amount taken over the account's positive PnL",
                "share of the policy's deleveraged accounts (%)",
                Format.PERCENT,
                420,
                BURDEN_BINS)
            .yMin(0);
    for (PolicyResult policy : policies) {
      long hit = policy.timeline().accountsHit();
      long[] counts = policy.timeline().burdenCounts();
      double[] shares = new double[counts.length];
      for (int i = 0; i < counts.length; i++) {
        shares[i] = hit == 0 ? 0 : 100.0 * counts[i] / hit;
      }
      chart.add(
          policy.policy() + " (" + Formats.count(hit) + " accounts)",
          colors.css(policy.policy()),
          SOLID,
          Kind.BARS,
          shares);
    }
    return chart;
  }

  /** The Lorenz curve of each replay policy's clawback, with the line of equal shares. */
  ChartSpec lorenz(ReplayResult replay) {
    int points = 0;
    for (ReplayRow row : replay.rows()) {
      points = Math.max(points, row.lorenz().length);
    }
    double[] x = new double[Math.max(points, 2)];
    for (int i = 0; i < x.length; i++) {
      x[i] = 100.0 * i / (x.length - 1);
    }
    ChartSpec chart =
        ChartSpec.xy(
                "Lorenz curves of the clawback over real winners",
                "share of winners, smallest clawback first (%)",
                Format.PLAIN,
                "cumulative share of the clawback (%)",
                Format.PERCENT,
                520,
                x)
            .yMin(0)
            .yMax(100);
    chart.add("equal shares", EQUALITY, SOLID, Kind.LINE, x);
    for (ReplayRow row : replay.rows()) {
      double[] curve = row.lorenz();
      if (curve.length != x.length) {
        continue;
      }
      double[] y = new double[curve.length];
      for (int i = 0; i < curve.length; i++) {
        y[i] = 100.0 * curve[i];
      }
      chart.add(row.policy(), colors.css(row.policy()), colors.dash(row.policy()), Kind.LINE, y);
    }
    return chart;
  }

  /** Gini, top-10 share and largest burden of each replay policy. */
  ChartSpec concentration(ReplayResult replay) {
    ChartSpec chart =
        ChartSpec.categories(
                "Concentration of the clawback over real winners",
                "measure",
                "coefficient or share (0 to 1)",
                Format.PLAIN,
                380,
                List.of("Gini coefficient", "top-10 share", "largest burden x_i / u_i"))
            .yMin(0)
            .yMax(1);
    for (ReplayRow row : replay.rows()) {
      chart.add(
          row.policy(),
          colors.css(row.policy()),
          SOLID,
          Kind.BARS,
          new double[] {row.gini(), row.top10Share(), row.largestBurden()});
    }
    return chart;
  }

  /** The number of real winners each replay policy took from. */
  ChartSpec accountsHit(ReplayResult replay) {
    ChartSpec chart =
        ChartSpec.categories(
                "Real winners deleveraged, by policy",
                "policy",
                "accounts hit (count)",
                Format.COUNT,
                300,
                List.of("accounts hit"))
            .yMin(0);
    for (ReplayRow row : replay.rows()) {
      chart.add(
          row.policy(),
          colors.css(row.policy()),
          SOLID,
          Kind.BARS,
          new double[] {row.accountsHit()});
    }
    return chart;
  }

  /** The sorted distinct times of all the arrays. */
  static long[] union(long[]... arrays) {
    TreeSet<Long> all = new TreeSet<>();
    for (long[] a : arrays) {
      for (long v : a) {
        all.add(v);
      }
    }
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  /** How many different values {@code times} holds. */
  static int distinct(long[] times) {
    return (int) Arrays.stream(times).distinct().count();
  }

  /**
   * {@code values} (one per {@code at}) placed on {@code times}: the last value given at each time,
   * NaN at the times without one.
   */
  static double[] at(long[] times, long[] at, double[] values) {
    double[] out = new double[times.length];
    Arrays.fill(out, Double.NaN);
    for (int i = 0; i < at.length; i++) {
      int k = Arrays.binarySearch(times, at[i]);
      if (k >= 0) {
        out[k] = values[i];
      }
    }
    return out;
  }

  static double[] minutes(long[] millis) {
    double[] minutes = new double[millis.length];
    for (int i = 0; i < millis.length; i++) {
      minutes[i] = millis[i] / 60_000.0;
    }
    return minutes;
  }
}
