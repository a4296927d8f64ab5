package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.num.Decimal;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import dev.backstop.sim.run.SimulationResult.PathSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html is one self-contained page: the chart library and every chart's data inlined, the
 * five chart sections, every policy, tables with the policies as rows, legends that count what they
 * say, the headline finding and where the report came from.
 */
class HtmlReportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final Pattern ATTRIBUTE =
      Pattern.compile("<(\\w+)[^>]*?\\s(src|href)\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

  private static final Pattern SCRIPT =
      Pattern.compile("<script([^>]*)>", Pattern.CASE_INSENSITIVE);

  private static final Pattern CHART_DATA =
      Pattern.compile(
          "<script type=\"application/json\" id=\"(chart-\\d+)\">(.*?)</script>", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void isSelfContainedWithTheChartLibraryInlined() throws IOException {
    String html = written(ReportFixture.result());
    assertThat(html).doesNotContain("http://");
    assertThat(html).doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("<img");
    assertThat(html).doesNotContain("@import").doesNotContain("url(");
    Matcher m = ATTRIBUTE.matcher(html);
    List<String> external = new ArrayList<>();
    while (m.find()) {
      assertThat(m.group(2).toLowerCase()).as("nothing is loaded from elsewhere").isEqualTo("href");
      String value = m.group(3);
      if (!value.startsWith("#")) {
        assertThat(m.group(1).toLowerCase())
            .as("only citation links leave the page")
            .isEqualTo("a");
        assertThat(value).startsWith("https://arxiv.org/abs/");
        external.add(value);
      }
    }
    assertThat(external)
        .containsExactly(
            "https://arxiv.org/abs/2512.01112",
            "https://arxiv.org/abs/2602.15182",
            "https://arxiv.org/abs/2603.15963");
    // every script is inline: the library, the drawing code, and the charts' data
    Matcher scripts = SCRIPT.matcher(html);
    int code = 0;
    int data = 0;
    while (scripts.find()) {
      String attributes = scripts.group(1).trim();
      if (attributes.isEmpty()) {
        code++;
      } else {
        assertThat(attributes).startsWith("type=\"application/json\" id=\"chart-");
        data++;
      }
    }
    assertThat(code).isEqualTo(2);
    assertThat(html).contains(ChartLibrary.UPLOT_JS).contains(ChartLibrary.CHARTS_JS);
    assertThat(html).contains("uPlot " + ChartLibrary.UPLOT_VERSION + ", MIT licence");
    assertThat(html).contains(ChartLibrary.UPLOT_CSS);
    // price and depth, fund, budget, burdens, Lorenz, concentration, accounts hit
    assertThat(data).isEqualTo(8);
    assertThat(html.split("data-chart=\"chart-", -1)).hasSize(9);
  }

  @Test
  void everyChartHasItsDataOneSeriesPerPolicy() throws IOException {
    List<JsonNode> charts = charts(written(ReportFixture.result()));
    JsonNode fund = chart(charts, "Insurance fund balance by policy");
    assertThat(labels(fund)).containsExactlyElementsOf(ReportFixture.POLICIES);
    JsonNode budget = chart(charts, "ADL budget needed, taken from winners, and overshoot");
    assertThat(labels(budget)).containsExactlyElementsOf(ReportFixture.POLICIES);
    assertThat(budget.get("categories")).hasSize(3);
    for (JsonNode chart : charts) {
      int points = chart.get("x").size();
      for (JsonNode series : chart.get("series")) {
        assertThat(series.get("values")).as(series.get("label").asText()).hasSize(points);
        assertThat(series.get("color").asText()).matches("#[0-9a-f]{6}|rgba\\(.*\\)");
      }
      assertThat(chart.get("yLabel").asText()).as("every y axis names its unit").contains("(");
    }
    JsonNode lorenz = chart(charts, "Lorenz curves of the clawback over real winners");
    List<String> replay = new ArrayList<>(List.of("equal shares"));
    replay.addAll(ReportFixture.REPLAY_POLICIES);
    assertThat(labels(lorenz)).containsExactlyElementsOf(replay);
    // the fund holds each balance until the next change, so the last value is the fund's end
    JsonNode binance = fund.get("series").get(0).get("values");
    PolicyMetrics m = ReportFixture.result().policies().get(0).metrics();
    assertThat(binance.get(binance.size() - 1).asDouble()).isEqualTo(m.fundEnd().toDouble());
  }

  @Test
  void legendsCountWhatTheySay() throws IOException {
    SimulationResult result = ReportFixture.result();
    List<JsonNode> charts = charts(written(result));
    PolicyResult binance = result.policies().get(0);
    long marks = java.util.Arrays.stream(binance.timeline().liquidationTimes()).distinct().count();
    assertThat(marks).isLessThan(binance.metrics().liquidations());
    JsonNode price = chart(charts, "Mark price, liquidations and backstop actions");
    assertThat(labels(price))
        .containsExactly(
            "mark price",
            "liquidations of binance: "
                + Formats.count(binance.metrics().liquidations())
                + " closes at "
                + marks
                + " marks",
            "backstop actions of binance: "
                + Formats.count(binance.metrics().backstopActions())
                + " at "
                + java.util.Arrays.stream(binance.timeline().adlTimes()).distinct().count()
                + " marks");
    JsonNode burdens =
        chart(charts, "Haircut distribution: burden x_i / u_i of each deleveraged account");
    assertThat(labels(burdens))
        .containsExactly(
            "binance (37 accounts)", "hyperliquid (52 accounts)", "percolator (1,850 accounts)");
  }

  @Test
  void hasTheFiveChartSectionsAndEveryPolicy() throws IOException {
    String html = written(ReportFixture.result());
    for (String id : HtmlReport.CHART_SECTIONS) {
      assertThat(html).contains("<section id=\"" + id + "\"");
    }
    assertThat(html).contains("How to read this.");
    for (String policy : ReportFixture.POLICIES) {
      assertThat(html).contains("</span>" + policy + "</td>");
    }
    for (String policy : ReportFixture.REPLAY_POLICIES) {
      assertThat(html).contains("</span>" + policy + "</td>");
    }
    // the representative policy is the first whose backstop acted
    assertThat(html).contains("Markers from binance, the first policy");
    // okx-fund took from no account
    assertThat(html).contains("Not shown (took from no account): okx-fund.");
    assertThat(html)
        .contains(
            "Overshoot: binance 1,402,118 USD (7.7% of needed); hyperliquid 1,402,118 USD"
                + " (7.7% of needed).");
    assertThat(html).contains("PTSR").contains("PMR").contains("x_i / u_i").contains("Gini");
  }

  @Test
  void theTablesHaveThePoliciesAsRowsAndMoneyInWholeDollars() throws IOException {
    String html = written(ReportFixture.result());
    assertThat(html).doesNotContain("class=\"scroll\"").contains("max-width: 1240px");
    for (String group :
        List.of(
            MetricColumn.LIQUIDATION,
            MetricColumn.WATERFALL,
            MetricColumn.BACKSTOP,
            MetricColumn.SHARING)) {
      int start = html.indexOf("<caption>" + HtmlReport.escape(group) + "</caption>");
      assertThat(start).as(group).isPositive();
      String table = html.substring(start, html.indexOf("</table>", start));
      assertThat(table.split("<tr>", -1)).as(group).hasSize(1 + 1 + ReportFixture.POLICIES.size());
      assertThat(table.split("</th>", -1)).hasSize(2 + MetricColumn.group(group).size());
      // no amount with thousands separators and decimals: money in whole dollars
      assertThat(table).doesNotContainPattern(",\\d{3}\\.\\d");
    }
    // every metric column is in one of the three tables, the conservation check in the first
    assertThat(
            MetricColumn.group(MetricColumn.LIQUIDATION).size()
                + MetricColumn.group(MetricColumn.WATERFALL).size()
                + MetricColumn.group(MetricColumn.BACKSTOP).size()
                + MetricColumn.group(MetricColumn.SHARING).size()
                + 1)
        .isEqualTo(MetricColumn.ALL.size());
    PolicyMetrics binance = ReportFixture.result().policies().get(0).metrics();
    assertThat(html)
        .contains("<td class=\"num\">" + Formats.wholeDollars(binance.liquidatedNotional()) + "<")
        .contains("Notional filled by the liquidity (USD)")
        .contains("Size sent to the backstop")
        .contains("Liquidity provider&#39;s equity at the end (USD)")
        .contains("Money is in whole US dollars (USD)");
  }

  @Test
  void opensWithTheFindingAndWhereTheReportCameFrom() throws IOException {
    String html = written(ReportFixture.result());
    int finding = html.indexOf("<strong>Finding.</strong>");
    assertThat(finding).isPositive().isLessThan(html.indexOf("<section"));
    assertThat(html)
        .contains(
            "Of the 3 policies whose backstop took from winners, percolator spread the clawback most"
                + " evenly (largest burden 7.1%, 1,850 accounts deleveraged) and binance concentrated it"
                + " most (largest burden 100.0%, 37 accounts).")
        .contains("binance took the most beyond what was needed: 1,402,118 USD, where ")
        .contains("Every run conserved value to the micro-unit.");
    assertThat(html)
        .contains("<dt>written by</dt><dd>backstop 0.1.0-test</dd>")
        .contains("<dt>commit</dt><dd>0123456789ab</dd>")
        .contains(
            "<dt>command line</dt><dd>backstop simulate --scenario &#39;my crash.yaml&#39;</dd>")
        .contains("<dt>date</dt><dd>2026-12-01T00:00:00Z</dd>")
        .contains("Written by backstop 0.1.0-test (commit 0123456789ab)");
  }

  @Test
  void escapesTheTextOfTheResult() throws IOException {
    String html = written(ReportFixture.result());
    assertThat(html).contains("PnL% x leverage &lt;score&gt;, fills");
    assertThat(html).doesNotContain("<score>");
    assertThat(html).contains("one global &quot;haircut&quot; on withdrawable profit");
    assertThat(HtmlReport.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
  }

  @Test
  void conservationIsGreenWhenExactAndRedOtherwise() throws IOException {
    String html = written(ReportFixture.result());
    assertThat(html).contains("<td class=\"ok\">yes, to the unit</td>");
    assertThat(html).doesNotContain("class=\"bad\"");

    SimulationResult result = ReportFixture.result();
    PolicyResult p = result.policies().get(1);
    PolicyMetrics m = p.metrics();
    PolicyMetrics broken =
        new PolicyMetrics(
            m.liquidations(),
            m.liquidatedSize(),
            m.liquidatedNotional(),
            m.fundStart(),
            m.fundEnd(),
            m.fundLow(),
            m.fundDrawdown(),
            m.shortfall(),
            m.budgetNeeded(),
            m.budgetTaken(),
            m.overshoot(),
            m.backstopActions(),
            m.accountsDeleveraged(),
            m.largestBurden(),
            m.gini(),
            m.top10Share(),
            m.ptsr(),
            m.pmr(),
            m.rankingInversions(),
            m.inversionRate(),
            m.monotonicityViolations(),
            m.monotonicityRate(),
            m.residualBadDebt(),
            m.ordersFilledByBook(),
            m.ordersLeftUnfilled(),
            m.takenOver(),
            m.takenOverSize(),
            m.takenOverNotional(),
            m.backstopSize(),
            m.backstopNotional(),
            m.adlNotional(),
            m.adlFills(),
            m.adlShareOfLiquidated(),
            m.firstAdlSeconds(),
            m.backstopWaves(),
            m.makersEquity(),
            m.lpEquity(),
            -3,
            m.stateHash());
    String brokenHtml =
        HtmlReport.render(
            ReportFixture.withPolicy(
                result, 1, new PolicyResult(p.policy(), p.description(), broken, p.timeline())),
            ReportFixture.RUN);
    assertThat(brokenHtml).contains("<td class=\"bad\">NO: off by -3 micro-units</td>");
    assertThat(brokenHtml).contains("1 of the 4 runs did NOT conserve value");
  }

  /**
   * The per-wave counterfactual of {@code paper-table --per-wave} is in the report when the replay
   * has it: each wave's B_t and U_t read, each policy's budget and burden recomputed, the file's
   * own pro rata read beside them. Wave 3: B_t 10 of U_t 1,000, pro rata takes 10 (burden 1.0%);
   * wave 8: B_t 2,000 of 1,000, pro rata takes all 1,000 (100%); totals 2,010, 2,000 and 1,010.
   */
  @Test
  void theRealPopulationSectionHasThePerWaveCounterfactual() throws IOException {
    String html = written(ReportFixture.result());
    int start = html.indexOf("<h3>Per-wave counterfactual</h3>");
    assertThat(start).isPositive();
    String section = html.substring(start, html.indexOf("</section>", start));
    assertThat(section)
        .contains("Read from adl_waves_policy_metrics.csv")
        .contains("Recomputed by Backstop&#39;s allocators")
        .contains("<th>B_t (read)</th><th>U_t (read)</th><th>budget_pr (read)</th>");
    String budgets = section.substring(0, section.indexOf("</table>"));
    String wave8 = budgets.substring(budgets.indexOf("<td class=\"name\">8</td>"));
    assertThat(wave8.substring(0, wave8.indexOf("</tr>")))
        .startsWith(
            "<td class=\"name\">8</td><td class=\"num\">2,000</td><td class=\"num\">1,000</td>"
                + "<td class=\"num\">1,000</td>");
    assertThat(budgets)
        .contains(
            "<td class=\"name\">total</td><td class=\"num\">2,010</td><td"
                + " class=\"num\">2,000</td><td class=\"num\">1,010</td>");
    String burdens = section.substring(section.indexOf("largest burden m_t"));
    assertThat(burdens)
        .contains(
            "<td class=\"name\">3</td><td class=\"num\">1.0%</td><td class=\"num\">1.0%</td>");
    String without = written(ReportFixture.result(ReportFixture.replay().withCounterfactual(null)));
    assertThat(without).doesNotContain("Per-wave counterfactual");
  }

  /** Every chart carries its static drawing, which the script replaces; it says so without one. */
  @Test
  void everyChartHasAStaticDrawingForReadersWithoutScripts() throws IOException {
    String html = written(ReportFixture.result());
    int charts = html.split("<div class=\"chart\"", -1).length - 1;
    assertThat(charts).isPositive();
    assertThat(html.split("<svg class=\"static-chart\"", -1)).hasSize(charts + 1);
    assertThat(html).contains("with scripts off each shows as a static drawing");
    assertThat(html).contains("host.textContent = \"\";");
  }

  @Test
  void withoutAReplayTheFifthSectionSaysSo() throws IOException {
    String html = written(ReportFixture.result(null));
    assertThat(html).contains("<section id=\"real-population\"");
    assertThat(html).contains("No real-population replay in this run");
    assertThat(html).doesNotContain("Lorenz curves of the clawback over real winners");
  }

  @Test
  void aRunWithNothingToDrawStillRenders() {
    SimulationResult empty =
        new SimulationResult(
            "empty",
            null,
            1,
            "BTC-PERP",
            0,
            Decimal.ZERO,
            new PathSeries(new long[0], new double[0], new double[0]),
            List.of(),
            null);
    String html = HtmlReport.render(empty, ReportFixture.RUN);
    assertThat(html).contains("The price path is empty.");
    assertThat(html).contains("No policy recorded an insurance-fund balance.");
    assertThat(html).contains("No policy&#39;s backstop had anything to recover.");
    assertThat(html).contains("No policy took anything from a winner");
    assertThat(html).contains("No policy ran.");
    assertThat(html).doesNotContain("data-chart=");
  }

  @Test
  void burdensAreBinnedWithTheUpperEdgeInTheBin() {
    long[] counts =
        dev.backstop.sim.run.BurdenBins.count(
            new double[] {0.0712, 0.1, 0.30000000000000004, 0.95, 1.0, 1.2});
    assertThat(counts).containsExactly(2, 0, 1, 0, 0, 0, 0, 0, 0, 2, 1);
  }

  @Test
  void twentyPoliciesGetTwentyColoursAndNeighboursDifferInDash() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      names.add("policy-" + i);
    }
    PolicyColors colors = new PolicyColors(names);
    Set<String> seen = new HashSet<>();
    Set<String> pairs = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String css = colors.css(names.get(i));
      assertThat(css).matches("#[0-9a-f]{6}");
      seen.add(css);
      pairs.add(css + java.util.Arrays.toString(colors.dash(names.get(i))));
      if (i > 0) {
        assertThat(colors.dash(names.get(i))).isNotEqualTo(colors.dash(names.get(i - 1)));
      }
    }
    assertThat(seen).hasSize(20);
    assertThat(pairs).hasSize(20);
    assertThatThrownBy(() -> colors.css("other")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChartSpecEscapesItsTextAndWritesMissingValuesAsNull() throws IOException {
    ChartSpec spec =
        ChartSpec.xy(
                "a </script> title",
                "x",
                ChartSpec.Format.PLAIN,
                "y (USD)",
                ChartSpec.Format.USD,
                200,
                new double[] {0, 1})
            .add("s", "#000000", new float[0], ChartSpec.Kind.LINE, new double[] {1, Double.NaN});
    String json = spec.json();
    assertThat(json).doesNotContain("<").contains("\\u003c/script>");
    JsonNode node = MAPPER.readTree(json);
    assertThat(node.get("title").asText()).isEqualTo("a </script> title");
    assertThat(node.get("series").get(0).get("values").get(1).isNull()).isTrue();
    assertThatThrownBy(
            () -> spec.add("t", "#000000", new float[0], ChartSpec.Kind.LINE, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 values for 2 x");
  }

  private static List<JsonNode> charts(String html) throws IOException {
    List<JsonNode> charts = new ArrayList<>();
    Matcher m = CHART_DATA.matcher(html);
    while (m.find()) {
      charts.add(MAPPER.readTree(m.group(2)));
    }
    return charts;
  }

  private static JsonNode chart(List<JsonNode> charts, String title) {
    return charts.stream()
        .filter(c -> c.get("title").asText().equals(title))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no chart '" + title + "'"));
  }

  private static List<String> labels(JsonNode chart) {
    List<String> labels = new ArrayList<>();
    chart.get("series").forEach(s -> labels.add(s.get("label").asText()));
    return labels;
  }

  private String written(SimulationResult result) throws IOException {
    HtmlReport.write(result, ReportFixture.RUN, dir);
    return Files.readString(dir.resolve("report.html"));
  }
}
