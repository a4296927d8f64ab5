package dev.backstop.sim.report;

import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.run.BurdenBins;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.PolicyResult.Timeline;
import dev.backstop.sim.run.SimulationResult.PathSeries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart and encoded as PNG at twice their size so they stay sharp
 * on high-density screens. Every chart has a title, axis titles with units and a legend (below the
 * plot, or beside it when one row would not hold it); policies keep the colour and dash {@link
 * PolicyColors} gave them.
 */
final class Charts {

  static {
    // charts are drawn off screen; a server or CI machine has no display
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Width of every chart in CSS pixels. */
  static final int WIDTH = 900;

  private static final int SCALE = 2;
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Color INK = new Color(0x2B2B2B);
  private static final Color GRID = new Color(0xE6E6E6);
  private static final Color MARK = new Color(0x2F3B4C);
  private static final Color LIQUIDATION = new Color(0x80, 0x80, 0x80, 0x90);
  private static final Color EQUALITY = new Color(0xB0B0B0);
  private static final BasicStroke LINE = new BasicStroke(1.8f);

  /** The x axis of every chart over the price path. */
  private static final String TIME_AXIS = "time from start of path (minutes)";

  /** Room an entry of a horizontal legend takes besides its text: swatch and paddings. */
  private static final int LEGEND_ENTRY_EXTRA = 50;

  private static final BasicStroke THIN = new BasicStroke(1f);

  private final PolicyColors colors;

  Charts(PolicyColors colors) {
    this.colors = colors;
  }

  /**
   * The mark over time, with the liquidation closes and backstop actions of {@code markers} (the
   * representative policy), or no markers when it is null.
   */
  XYChart pricePath(PathSeries path, PolicyResult markers) {
    XYChart chart =
        xyChart(
            440, "Mark price, liquidations and backstop actions", TIME_AXIS, "mark price (USD)");
    chart.getStyler().setyAxisTickLabelsFormattingFunction(Formats::amount);
    XYSeries mark = chart.addSeries("mark price", minutes(path.times()), path.marks());
    line(mark, MARK);
    roundTimeTicks(chart, path.times(), path.marks());
    if (markers != null) {
      Timeline t = markers.timeline();
      if (t.liquidationTimes().length > 0) {
        XYSeries liquidations =
            chart.addSeries(
                "liquidation close (" + Formats.count(t.liquidationTimes().length) + ")",
                minutes(t.liquidationTimes()),
                t.liquidationPrices());
        scatter(liquidations, LIQUIDATION, SeriesMarkers.CIRCLE);
      }
      if (t.adlTimes().length > 0) {
        XYSeries actions =
            chart.addSeries(
                "backstop action, "
                    + markers.policy()
                    + " ("
                    + Formats.count(t.adlTimes().length)
                    + ")",
                minutes(t.adlTimes()),
                t.adlPrices());
        scatter(actions, colors.of(markers.policy()), SeriesMarkers.DIAMOND);
      }
    }
    chart.getStyler().setMarkerSize(7);
    return chart;
  }

  /** The order book's depth within 1% of mark over time. */
  XYChart depth(PathSeries path) {
    XYChart chart = xyChart(260, "Order-book depth within 1% of mark", TIME_AXIS, "depth (USD)");
    chart.getStyler().setyAxisTickLabelsFormattingFunction(Charts::axisDollars);
    chart.getStyler().setYAxisMin(0.0);
    line(chart.addSeries("depth within 1% of mark", minutes(path.times()), path.depths()), MARK);
    roundTimeTicks(chart, path.times(), path.depths());
    return chart;
  }

  /** Each policy's insurance fund over time, as steps, held to the end of the path. */
  XYChart insuranceFund(List<PolicyResult> policies, long pathEnd) {
    XYChart chart =
        xyChart(440, "Insurance fund balance by policy", TIME_AXIS, "insurance fund (USD)");
    chart.getStyler().setyAxisTickLabelsFormattingFunction(Charts::axisDollars);
    for (PolicyResult policy : policies) {
      Timeline t = policy.timeline();
      int n = t.fundTimes().length;
      if (n == 0) {
        continue;
      }
      double[] x = new double[2 * n];
      double[] y = new double[2 * n];
      for (int i = 0; i < n; i++) {
        long until = i + 1 < n ? t.fundTimes()[i + 1] : Math.max(pathEnd, t.fundTimes()[i]);
        x[2 * i] = t.fundTimes()[i] / 60_000.0;
        x[2 * i + 1] = until / 60_000.0;
        y[2 * i] = t.fundBalances()[i];
        y[2 * i + 1] = t.fundBalances()[i];
      }
      policyLine(chart.addSeries(policy.policy(), x, y), policy.policy());
    }
    return chart;
  }

  /** Budget needed, taken and overshoot, one bar per policy in each group. */
  CategoryChart budget(List<PolicyResult> policies) {
    CategoryChart chart =
        categoryChart(
            420, "ADL budget needed, taken from winners, and overshoot", null, "amount (USD)");
    chart.getStyler().setyAxisTickLabelsFormattingFunction(Charts::axisDollars);
    List<String> groups =
        List.of("budget needed", "taken from winners", "overshoot = taken − needed");
    for (PolicyResult policy : policies) {
      PolicyMetrics m = policy.metrics();
      List<Number> values =
          List.of(
              m.budgetNeeded().toDouble(), m.budgetTaken().toDouble(), m.overshoot().toDouble());
      bars(chart.addSeries(policy.policy(), groups, values), colors.of(policy.policy()));
    }
    return chart;
  }

  /**
   * The distribution of burdens {@code x_i/u_i}, as the share of each policy's deleveraged accounts
   * in each {@link BurdenBins bin}; {@code policies} must all have burdens.
   */
  CategoryChart burdenHistogram(List<PolicyResult> policies) {
    CategoryChart chart =
        categoryChart(
            440,
            "Haircut distribution: burden x_i / u_i of each deleveraged account",
            "burden: amount taken over the account's positive PnL (%)",
            "share of the policy's deleveraged accounts (%)");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setyAxisTickLabelsFormattingFunction(Formats::amount);
    for (PolicyResult policy : policies) {
      long hit = policy.timeline().accountsHit();
      List<Number> shares = new ArrayList<>();
      for (long count : policy.timeline().burdenCounts()) {
        shares.add(100.0 * count / hit);
      }
      String name = policy.policy() + " (n = " + Formats.count(hit) + ")";
      bars(chart.addSeries(name, BurdenBins.LABELS, shares), colors.of(policy.policy()));
    }
    return chart;
  }

  /** The Lorenz curve of each replay policy's clawback, with the line of equal shares. */
  XYChart lorenz(ReplayResult replay) {
    XYChart chart =
        xyChart(
            560,
            "Lorenz curves of the clawback over real winners",
            "share of winners, smallest clawback first (%)",
            "cumulative share of the clawback (%)");
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(100.0);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    XYSeries equality =
        chart.addSeries("equal shares", new double[] {0, 100}, new double[] {0, 100});
    equality.setMarker(SeriesMarkers.NONE);
    equality.setLineColor(EQUALITY);
    equality.setLineStyle(THIN);
    for (ReplayRow row : replay.rows()) {
      double[] curve = row.lorenz();
      if (curve.length == 0) {
        continue;
      }
      double[] x = new double[curve.length];
      double[] y = new double[curve.length];
      for (int i = 0; i < curve.length; i++) {
        x[i] = curve.length == 1 ? 0 : 100.0 * i / (curve.length - 1);
        y[i] = 100.0 * curve[i];
      }
      policyLine(chart.addSeries(row.policy(), x, y), row.policy());
    }
    return chart;
  }

  /** Gini, top-10 share and largest burden of each replay policy. */
  CategoryChart concentration(ReplayResult replay) {
    CategoryChart chart =
        categoryChart(
            400,
            "Concentration of the clawback over real winners",
            null,
            "coefficient or share (0 to 1)");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    List<String> groups = List.of("Gini coefficient", "top-10 share", "largest burden x_i / u_i");
    for (ReplayRow row : replay.rows()) {
      List<Number> values = List.of(row.gini(), row.top10Share(), row.largestBurden());
      bars(chart.addSeries(row.policy(), groups, values), colors.of(row.policy()));
    }
    return chart;
  }

  /** The number of real winners each replay policy took from. */
  CategoryChart accountsHit(ReplayResult replay) {
    CategoryChart chart =
        categoryChart(320, "Real winners deleveraged, by policy", null, "accounts hit (count)");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setyAxisTickLabelsFormattingFunction(Formats::amount);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setAvailableSpaceFill(0.5);
    chart.getStyler().setLabelsFont(SMALL);
    chart.getStyler().setDecimalPattern("#,##0");
    for (ReplayRow row : replay.rows()) {
      bars(
          chart.addSeries(row.policy(), List.of("accounts hit"), List.of(row.accountsHit())),
          colors.of(row.policy()));
    }
    return chart;
  }

  /** A line or scatter chart of the report's width, styled. */
  private static XYChart xyChart(int height, String title, String xAxis, String yAxis) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(height)
            .title(title)
            .xAxisTitle(xAxis)
            .yAxisTitle(yAxis)
            .build();
    style(chart.getStyler());
    return chart;
  }

  /**
   * A bar chart of the report's width, styled; without an x-axis title ({@code xAxis} null) the
   * groups' names stand alone.
   */
  private static CategoryChart categoryChart(int height, String title, String xAxis, String yAxis) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(height)
            .title(title)
            .xAxisTitle(xAxis == null ? "" : xAxis)
            .yAxisTitle(yAxis)
            .build();
    style(chart.getStyler());
    if (xAxis == null) {
      chart.getStyler().setXAxisTitleVisible(false);
    }
    return chart;
  }

  /** The chart as a base64 PNG, drawn at twice its size. */
  static String png(Chart<?, ?> chart) {
    fitLegend(chart);
    int width = chart.getWidth();
    int height = chart.getHeight();
    BufferedImage image =
        new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.scale(SCALE, SCALE);
      chart.paint(g, width, height);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /**
   * Keeps the legend below the plot while its entries fit in one row (XChart does not wrap them),
   * else moves it to the right of the plot, one entry per line.
   */
  private static void fitLegend(Chart<?, ?> chart) {
    FontRenderContext context = new FontRenderContext(null, true, true);
    double row = 0;
    for (Series series : chart.getSeriesMap().values()) {
      if (series.isShowInLegend()) {
        row += SMALL.getStringBounds(series.getName(), context).getWidth() + LEGEND_ENTRY_EXTRA;
      }
    }
    if (row > chart.getWidth() - 40) {
      chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
      chart.getStyler().setLegendLayout(LegendLayout.Vertical);
    }
  }

  private static void style(XYStyler styler) {
    style((AxesChartStyler) styler);
    styler.setXAxisTickMarkSpacingHint(110);
  }

  private static void style(CategoryStyler styler) {
    style((AxesChartStyler) styler);
    styler.setAvailableSpaceFill(0.72);
  }

  private static void style(AxesChartStyler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderVisible(false);
    styler.setPlotGridLinesColor(GRID);
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setChartFontColor(INK);
    styler.setAxisTickLabelsColor(INK);
    styler.setChartTitleFont(TITLE);
    styler.setChartTitleBoxVisible(false);
    styler.setAxisTitleFont(TEXT);
    styler.setAxisTickLabelsFont(SMALL);
    styler.setLegendFont(SMALL);
    styler.setLegendPosition(LegendPosition.OutsideS);
    styler.setLegendLayout(LegendLayout.Horizontal);
    styler.setLegendBorderColor(Color.WHITE);
    styler.setChartPadding(12);
    styler.setLocale(Locale.ROOT);
    styler.setToolTipsEnabled(false);
  }

  private static void line(XYSeries series, Color color) {
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    series.setLineStyle(LINE);
  }

  private void policyLine(XYSeries series, String policy) {
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(colors.of(policy));
    series.setLineStyle(colors.stroke(policy));
  }

  private static void scatter(XYSeries series, Color color, Marker marker) {
    series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    series.setMarker(marker);
    series.setMarkerColor(color);
  }

  private static void bars(CategorySeries series, Color color) {
    series.setFillColor(color);
    series.setLineColor(color);
  }

  /**
   * XChart puts the ticks of an x axis whose points are equally spaced on the points themselves, at
   * steps such as 0.6 minutes; one invisible point between the first two gives the usual round
   * steps instead.
   */
  private static void roundTimeTicks(XYChart chart, long[] times, double[] values) {
    if (times.length < 2) {
      return;
    }
    double between = (times[0] + times[1]) / 2.0 / 60_000.0;
    XYSeries anchor = chart.addSeries(" ", new double[] {between}, new double[] {values[0]});
    anchor.setMarker(SeriesMarkers.NONE);
    anchor.setShowInLegend(false);
  }

  private static double[] minutes(long[] millis) {
    double[] minutes = new double[millis.length];
    for (int i = 0; i < millis.length; i++) {
      minutes[i] = millis[i] / 60_000.0;
    }
    return minutes;
  }

  /** An axis amount of dollars, shortened: {@code $950}, {@code $12.5k}, {@code $3.25M}. */
  static String axisDollars(double value) {
    double size = Math.abs(value);
    String sign = value < 0 ? "−" : "";
    if (size >= 1e9) {
      return sign + "$" + Formats.amount(size / 1e9) + "B";
    }
    if (size >= 1e6) {
      return sign + "$" + Formats.amount(size / 1e6) + "M";
    }
    if (size >= 1e3) {
      return sign + "$" + Formats.amount(size / 1e3) + "k";
    }
    return sign + "$" + Formats.amount(size);
  }
}
