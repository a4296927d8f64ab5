package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import dev.backstop.sim.run.SimulationResult.PathSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html is one self-contained page with the five chart sections and every policy. */
class HtmlReportTest {

  private static final Pattern ATTRIBUTE =
      Pattern.compile("<(\\w+)[^>]*?\\s(src|href)\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

  @TempDir Path dir;

  @Test
  void isSelfContained() throws IOException {
    String html = written(ReportFixture.result());
    assertThat(html).doesNotContain("http://");
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link");
    assertThat(html).doesNotContain("@import").doesNotContain("url(");
    Matcher m = ATTRIBUTE.matcher(html);
    List<String> external = new ArrayList<>();
    int images = 0;
    while (m.find()) {
      String tag = m.group(1).toLowerCase();
      String attribute = m.group(2).toLowerCase();
      String value = m.group(3);
      if (attribute.equals("src")) {
        assertThat(value).startsWith("data:image/png;base64,");
        images++;
      } else if (!value.startsWith("#")) {
        assertThat(tag).as("only citation links leave the page").isEqualTo("a");
        assertThat(value).startsWith("https://arxiv.org/abs/");
        external.add(value);
      }
    }
    assertThat(external)
        .containsExactly(
            "https://arxiv.org/abs/2512.01112",
            "https://arxiv.org/abs/2602.15182",
            "https://arxiv.org/abs/2603.15963");
    // price and depth, fund, budget, burdens, Lorenz, concentration, accounts hit
    assertThat(images).isEqualTo(8);
  }

  @Test
  void hasTheFiveChartSectionsAndEveryPolicy() throws IOException {
    String html = written(ReportFixture.result());
    for (String id : HtmlReport.CHART_SECTIONS) {
      assertThat(html).contains("<section id=\"" + id + "\"");
    }
    assertThat(html).contains("How to read this.");
    for (String policy : ReportFixture.POLICIES) {
      assertThat(html).contains(">" + policy + "<");
    }
    for (String policy : ReportFixture.REPLAY_POLICIES) {
      assertThat(html).contains(">" + policy + "<");
    }
    // the representative policy is the first whose backstop acted
    assertThat(html).contains("Markers from binance, the first policy");
    // okx-fund took from no account
    assertThat(html).contains("Not shown (took from no account): okx-fund.");
    assertThat(html)
        .contains(
            "Overshoot: binance 1,402,117.9 USD (7.7% of needed); hyperliquid 1,402,117.9 USD"
                + " (7.7% of needed).");
    assertThat(html).contains("PTSR").contains("PMR").contains("x_i / u_i").contains("Gini");
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
    assertThat(html).contains("<strong>binance</strong>: conserved to the unit");
    assertThat(html).doesNotContain("class=\"check bad\"");

    SimulationResult result = ReportFixture.result();
    PolicyResult p = result.policies().get(1);
    PolicyMetrics m = p.metrics();
    PolicyMetrics broken =
        new PolicyMetrics(
            m.liquidations(),
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
            -3,
            m.stateHash());
    String brokenHtml =
        HtmlReport.render(
            ReportFixture.withPolicy(
                result, 1, new PolicyResult(p.policy(), p.description(), broken, p.timeline())));
    assertThat(brokenHtml)
        .contains(
            "<li class=\"check bad\"><strong>hyperliquid</strong>: NOT conserved: off by -3"
                + " micro-units");
    assertThat(brokenHtml).contains("<td class=\"bad\">no</td>");
  }

  @Test
  void withoutAReplayTheFifthSectionSaysSo() throws IOException {
    String html = written(ReportFixture.result(null));
    assertThat(html).contains("<section id=\"real-population\"");
    assertThat(html).contains("No real-population replay in this run");
    assertThat(html).doesNotContain("Lorenz curves of the clawback per policy");
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
    String html = HtmlReport.render(empty);
    assertThat(html).contains("The price path is empty.");
    assertThat(html).contains("No policy recorded an insurance-fund balance.");
    assertThat(html).contains("No policy&#39;s backstop had anything to recover.");
    assertThat(html).contains("No policy took anything from a winner");
    assertThat(html).doesNotContain("<img");
  }

  private String written(SimulationResult result) throws IOException {
    HtmlReport.write(result, dir);
    return Files.readString(dir.resolve("report.html"));
  }
}
