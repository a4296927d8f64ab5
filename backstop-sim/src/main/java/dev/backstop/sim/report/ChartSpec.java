package dev.backstop.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One interactive chart of a report, as the JSON that {@code charts.js} draws with uPlot: a title,
 * axis labels with their units, the x values (numbers, or categories), and the series, each with
 * its label, colour, dash and kind. Every series has one value per x ({@code null} where it has
 * none). Numbers are written as JSON numbers; {@code <} is escaped so the spec can sit in a {@code
 * <script type="application/json">} element.
 */
final class ChartSpec {

  /** How a series is drawn. */
  enum Kind {
    /** A line through its points. */
    LINE,
    /** A line with a marker at each point: few points, each measured. */
    LINE_POINTS,
    /** A step line, holding each value until the next. */
    STEP,
    /** Markers only. */
    POINTS,
    /** One bar per category, beside the other bar series. */
    BARS
  }

  /** How the numbers of an axis read: dollars, a share as a percent, a count, minutes... */
  enum Format {
    USD,
    SHARE,
    PERCENT,
    COUNT,
    PLAIN,
    MINUTES;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One series.
   *
   * @param label its legend entry, which counts what it says
   * @param color CSS colour
   * @param dash the dash pattern in pixels, empty for solid
   * @param kind how it is drawn
   * @param values one per x; NaN where there is none
   */
  record Series(String label, String color, float[] dash, Kind kind, double[] values) {}

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final String title;
  private final String xLabel;
  private final Format xFormat;
  private final String yLabel;
  private final Format yFormat;
  private final int height;
  private final double[] x;
  private final List<String> categories;
  private final List<Series> series = new ArrayList<>();
  private Double yMin;
  private Double yMax;

  private ChartSpec(
      String title,
      String xLabel,
      Format xFormat,
      String yLabel,
      Format yFormat,
      int height,
      double[] x,
      List<String> categories) {
    this.title = title;
    this.xLabel = xLabel;
    this.xFormat = xFormat;
    this.yLabel = yLabel;
    this.yFormat = yFormat;
    this.height = height;
    this.x = x;
    this.categories = categories;
  }

  /** A chart over numeric x values. */
  static ChartSpec xy(
      String title,
      String xLabel,
      Format xFormat,
      String yLabel,
      Format yFormat,
      int height,
      double[] x) {
    return new ChartSpec(title, xLabel, xFormat, yLabel, yFormat, height, x.clone(), null);
  }

  /** A chart over categories (bars). */
  static ChartSpec categories(
      String title,
      String xLabel,
      String yLabel,
      Format yFormat,
      int height,
      List<String> categories) {
    double[] x = new double[categories.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    return new ChartSpec(
        title, xLabel, Format.PLAIN, yLabel, yFormat, height, x, List.copyOf(categories));
  }

  /** Adds a series; {@code values} has one value per x. */
  ChartSpec add(String label, String color, float[] dash, Kind kind, double[] values) {
    if (values.length != x.length) {
      throw new IllegalArgumentException(
          "series " + label + " has " + values.length + " values for " + x.length + " x");
    }
    series.add(new Series(label, color, dash, kind, values.clone()));
    return this;
  }

  /** Fixes the y axis's lower end (0 for amounts that cannot be negative). */
  ChartSpec yMin(double min) {
    this.yMin = min;
    return this;
  }

  /** Fixes the y axis's upper end. */
  ChartSpec yMax(double max) {
    this.yMax = max;
    return this;
  }

  String title() {
    return title;
  }

  String xLabel() {
    return xLabel;
  }

  Format xFormat() {
    return xFormat;
  }

  String yLabel() {
    return yLabel;
  }

  Format yFormat() {
    return yFormat;
  }

  int height() {
    return height;
  }

  double[] x() {
    return x.clone();
  }

  /** The categories of a bar chart; empty for a chart over numbers. */
  List<String> categoriesOrEmpty() {
    return categories == null ? List.of() : categories;
  }

  /** The fixed lower end of the y axis, or null. */
  Double yMinOrNull() {
    return yMin;
  }

  /** The fixed upper end of the y axis, or null. */
  Double yMaxOrNull() {
    return yMax;
  }

  List<Series> series() {
    return List.copyOf(series);
  }

  /** The spec as JSON text, safe inside a script element. */
  String json() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("title", title);
    root.put("xLabel", xLabel);
    root.put("xFormat", xFormat.wire());
    root.put("yLabel", yLabel);
    root.put("yFormat", yFormat.wire());
    root.put("height", height);
    if (yMin != null) {
      root.put("yMin", yMin);
    }
    if (yMax != null) {
      root.put("yMax", yMax);
    }
    if (categories != null) {
      ArrayNode c = root.putArray("categories");
      categories.forEach(c::add);
    }
    numbers(root.putArray("x"), x);
    ArrayNode list = root.putArray("series");
    for (Series s : series) {
      ObjectNode node = list.addObject();
      node.put("label", s.label());
      node.put("color", s.color());
      node.put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT));
      if (s.dash().length > 0) {
        ArrayNode dash = node.putArray("dash");
        for (float d : s.dash()) {
          dash.add(d);
        }
      }
      numbers(node.putArray("values"), s.values());
    }
    try {
      return MAPPER.writeValueAsString(root).replace("<", "\\u003c");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void numbers(ArrayNode array, double[] values) {
    for (double v : values) {
      if (Double.isFinite(v)) {
        array.add(v);
      } else {
        array.addNull();
      }
    }
  }
}
