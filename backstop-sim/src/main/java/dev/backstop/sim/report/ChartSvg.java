package dev.backstop.sim.report;

import java.util.List;
import java.util.Locale;

/**
 * A chart drawn once, as static SVG, from the same {@link ChartSpec} that the page's script draws
 * interactively: what the report shows with scripts off, in print, or in a viewer that runs no
 * script. The script replaces it with the interactive chart. Axes with five ticks each (or the
 * categories), every series in its colour and dash (lines, steps, points, or bars side by side per
 * category), the title and a legend; no hover, toggling or zoom.
 */
final class ChartSvg {

  /** The drawing's width in SVG units; it scales to the page's width. */
  static final int WIDTH = 1200;

  private static final int LEFT = 90;
  private static final int RIGHT = 20;
  private static final int TOP = 34;
  private static final int BOTTOM = 50;
  private static final int LEGEND_ROW = 18;
  private static final int LEGEND_PER_ROW = 4;
  private static final int TICKS = 5;

  private ChartSvg() {}

  /** The SVG element for {@code chart}. */
  static String render(ChartSpec chart) {
    List<ChartSpec.Series> series = chart.series();
    int legendRows = (series.size() + LEGEND_PER_ROW - 1) / LEGEND_PER_ROW;
    int plotHeight = chart.height();
    int height = TOP + plotHeight + BOTTOM + legendRows * LEGEND_ROW;
    double[] x = chart.x();
    boolean bars = series.stream().anyMatch(s -> s.kind() == ChartSpec.Kind.BARS);
    double xMin = bars ? -0.5 : min(x);
    double xMax = bars ? x.length - 0.5 : max(x);
    if (!(xMax > xMin)) {
      xMax = xMin + 1;
    }
    double yMin = chart.yMinOrNull() != null ? chart.yMinOrNull() : Double.POSITIVE_INFINITY;
    double yMax = chart.yMaxOrNull() != null ? chart.yMaxOrNull() : Double.NEGATIVE_INFINITY;
    for (ChartSpec.Series s : series) {
      for (double v : s.values()) {
        if (Double.isFinite(v)) {
          if (chart.yMinOrNull() == null) {
            yMin = Math.min(yMin, v);
          }
          if (chart.yMaxOrNull() == null) {
            yMax = Math.max(yMax, v);
          }
        }
      }
    }
    if (bars) {
      yMin = Math.min(yMin, 0);
      yMax = Math.max(yMax, 0);
    }
    if (!Double.isFinite(yMin) || !Double.isFinite(yMax)) {
      yMin = 0;
      yMax = 1;
    }
    if (!(yMax > yMin)) {
      yMax = yMin + 1;
    }
    Scale sx = new Scale(xMin, xMax, LEFT, WIDTH - RIGHT);
    Scale sy = new Scale(yMin, yMax, TOP + plotHeight, TOP);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"static-chart\" viewBox=\"0 0 %d %d\""
                + " width=\"100%%\" role=\"img\"><title>",
            WIDTH,
            height));
    out.append(HtmlReport.escape(chart.title())).append("</title>\n");
    text(out, WIDTH / 2.0, 18, "middle", "bold", chart.title());
    axes(out, chart, sx, sy, x, bars, plotHeight);
    int bar = 0;
    int barSeries = (int) series.stream().filter(s -> s.kind() == ChartSpec.Kind.BARS).count();
    for (ChartSpec.Series s : series) {
      switch (s.kind()) {
        case BARS -> bars(out, s, sx, sy, bar++, barSeries);
        case POINTS -> points(out, s, x, sx, sy);
        case LINE, LINE_POINTS, STEP -> line(out, s, x, sx, sy);
      }
    }
    legend(out, series, TOP + plotHeight + BOTTOM);
    out.append("</svg>");
    return out.toString();
  }

  private static void axes(
      StringBuilder out,
      ChartSpec chart,
      Scale sx,
      Scale sy,
      double[] x,
      boolean bars,
      int plotHeight) {
    double bottom = TOP + plotHeight;
    out.append(
        String.format(
            Locale.ROOT,
            "<g stroke=\"#ccc\" stroke-width=\"1\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/></g>\n",
            LEFT,
            bottom,
            WIDTH - RIGHT,
            bottom,
            LEFT,
            TOP,
            LEFT,
            bottom));
    for (int k = 0; k <= TICKS; k++) {
      double v = sy.min + (sy.max - sy.min) * k / TICKS;
      double y = sy.at(v);
      out.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>",
              LEFT,
              y,
              WIDTH - RIGHT,
              y));
      text(out, LEFT - 6, y + 4, "end", "normal", tick(chart.yFormat(), v));
    }
    if (bars) {
      List<String> categories = chart.categoriesOrEmpty();
      for (int i = 0; i < categories.size(); i++) {
        text(out, sx.at(i), bottom + 16, "middle", "normal", categories.get(i));
      }
    } else {
      for (int k = 0; k <= TICKS; k++) {
        double v = sx.min + (sx.max - sx.min) * k / TICKS;
        text(out, sx.at(v), bottom + 16, "middle", "normal", tick(chart.xFormat(), v));
      }
    }
    text(out, (LEFT + WIDTH - RIGHT) / 2.0, bottom + 36, "middle", "normal", chart.xLabel());
    out.append(
        String.format(
            Locale.ROOT,
            "<text x=\"14\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 14 %.1f)\">%s</text>\n",
            TOP + plotHeight / 2.0,
            TOP + plotHeight / 2.0,
            HtmlReport.escape(chart.yLabel())));
  }

  private static void line(StringBuilder out, ChartSpec.Series s, double[] x, Scale sx, Scale sy) {
    StringBuilder points = new StringBuilder();
    double lastY = Double.NaN;
    for (int i = 0; i < x.length; i++) {
      double v = s.values()[i];
      if (!Double.isFinite(v)) {
        continue;
      }
      if (s.kind() == ChartSpec.Kind.STEP && Double.isFinite(lastY)) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.at(x[i]), sy.at(lastY)));
      }
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.at(x[i]), sy.at(v)));
      lastY = v;
    }
    out.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
        .append(s.color())
        .append('"')
        .append(dash(s.dash()))
        .append(" points=\"")
        .append(points.toString().trim())
        .append("\"/>\n");
  }

  private static void points(
      StringBuilder out, ChartSpec.Series s, double[] x, Scale sx, Scale sy) {
    out.append("<g fill=\"").append(s.color()).append("\">");
    for (int i = 0; i < x.length; i++) {
      double v = s.values()[i];
      if (Double.isFinite(v)) {
        out.append(
            String.format(
                Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>", sx.at(x[i]), sy.at(v)));
      }
    }
    out.append("</g>\n");
  }

  private static void bars(
      StringBuilder out, ChartSpec.Series s, Scale sx, Scale sy, int index, int count) {
    double slot = (sx.at(1) - sx.at(0)) * 0.8;
    double width = slot / Math.max(1, count);
    out.append("<g fill=\"").append(s.color()).append("\">");
    for (int i = 0; i < s.values().length; i++) {
      double v = s.values()[i];
      if (!Double.isFinite(v)) {
        continue;
      }
      double left = sx.at(i) - slot / 2 + index * width;
      double top = sy.at(Math.max(0, v));
      double h = Math.abs(sy.at(v) - sy.at(0));
      out.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
              left,
              top,
              Math.max(0.5, width - 1),
              h));
    }
    out.append("</g>\n");
  }

  private static void legend(StringBuilder out, List<ChartSpec.Series> series, int top) {
    double column = (WIDTH - LEFT - RIGHT) / (double) LEGEND_PER_ROW;
    for (int i = 0; i < series.size(); i++) {
      ChartSpec.Series s = series.get(i);
      double x = LEFT + (i % LEGEND_PER_ROW) * column;
      double y = top + (i / LEGEND_PER_ROW) * LEGEND_ROW;
      out.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>",
              x,
              y,
              s.color()));
      text(out, x + 18, y + 11, "start", "normal", s.label());
    }
  }

  private static String dash(float[] dash) {
    if (dash.length == 0) {
      return "";
    }
    StringBuilder d = new StringBuilder(" stroke-dasharray=\"");
    for (int i = 0; i < dash.length; i++) {
      d.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", dash[i]));
    }
    return d.append('"').toString();
  }

  private static void text(
      StringBuilder out, double x, double y, String anchor, String weight, String text) {
    out.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"%s\" font-weight=\"%s\">",
                x,
                y,
                anchor,
                weight))
        .append(HtmlReport.escape(text))
        .append("</text>\n");
  }

  /** A tick label in the axis's format. */
  static String tick(ChartSpec.Format format, double v) {
    return switch (format) {
      case USD -> "$" + Formats.amount(Math.round(v));
      case SHARE -> Formats.percent(v);
      case PERCENT -> String.format(Locale.ROOT, "%.0f%%", v);
      case COUNT -> Formats.count(Math.round(v));
      case MINUTES -> String.format(Locale.ROOT, "%.0f", v);
      case PLAIN -> Formats.amount(v);
    };
  }

  private static double min(double[] values) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : values) {
      m = Math.min(m, v);
    }
    return values.length == 0 ? 0 : m;
  }

  private static double max(double[] values) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      m = Math.max(m, v);
    }
    return values.length == 0 ? 1 : m;
  }

  /** A linear map from data to SVG coordinates. */
  private record Scale(double min, double max, double from, double to) {
    double at(double v) {
      return from + (v - min) / (max - min) * (to - from);
    }
  }
}
