package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The static drawing of a chart, for readers without scripts: coordinates worked out by hand. */
class ChartSvgTest {

  /**
   * A line from (0, 0) to (10, 100) on a plot 200 high: x maps 0..10 onto 90..1180 (the drawing's
   * 1,200 less the margins of 90 and 20), y maps 0..100 onto 234..34 (the top margin of 34 plus the
   * height, up to 34). A step series holds 50 until x = 10, then 80: it goes (90, 134), (1180,
   * 134), (1180, 74).
   */
  @Test
  void drawsLinesAndStepsAtTheirCoordinates() {
    ChartSpec chart =
        ChartSpec.xy(
                "Fund",
                "minutes",
                ChartSpec.Format.MINUTES,
                "USD",
                ChartSpec.Format.USD,
                200,
                new double[] {0, 10})
            .add("line", "#0072b2", new float[0], ChartSpec.Kind.LINE, new double[] {0, 100})
            .add(
                "step", "#d55e00", new float[] {9f, 4f}, ChartSpec.Kind.STEP, new double[] {50, 80})
            .yMin(0)
            .yMax(100);
    String svg = ChartSvg.render(chart);
    assertThat(svg)
        .startsWith("<svg class=\"static-chart\"")
        .contains("<title>Fund</title>")
        .contains("stroke=\"#0072b2\" points=\"90.0,234.0 1180.0,34.0\"")
        .contains(
            "stroke=\"#d55e00\" stroke-dasharray=\"9 4\" points=\"90.0,134.0 1180.0,134.0"
                + " 1180.0,74.0\"")
        .contains(">$100</text>")
        .contains(">line</text>")
        .endsWith("</svg>");
  }

  /**
   * Two bar series over two categories: slots 0 and 1 centred at 362.5 and 907.5 (x from -0.5 to
   * 1.5 over 90..1180), each 80% of the 545 between them wide (436), shared by the two series (218
   * each, drawn 217 wide). The first series' bar of 50 in the first slot starts at 362.5 - 218 =
   * 144.5 and rises from y = 234 (0) to 134 (50).
   */
  @Test
  void drawsBarsSideBySidePerCategoryFromZero() {
    ChartSpec chart =
        ChartSpec.categories(
                "Budget", "figure", "USD", ChartSpec.Format.USD, 200, List.of("a", "b"))
            .add("p", "#0072b2", new float[0], ChartSpec.Kind.BARS, new double[] {50, 100})
            .add("q", "#d55e00", new float[0], ChartSpec.Kind.BARS, new double[] {100, 25});
    String svg = ChartSvg.render(chart);
    assertThat(svg)
        .contains("<rect x=\"144.5\" y=\"134.0\" width=\"217.0\" height=\"100.0\"/>")
        .contains("<rect x=\"362.5\" y=\"34.0\" width=\"217.0\" height=\"200.0\"/>")
        .contains(">a</text>")
        .contains(">b</text>");
  }
}
