package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.sweep.SweepParameter;
import dev.backstop.sim.sweep.SweepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's files from a hand-made result: the fixture's policies at three fund sizes. */
class SweepReportTest {

  @TempDir Path dir;

  /** The fixture's four policies' metrics, the same at each of three values. */
  static SweepResult result() {
    List<PolicyMetrics> metrics =
        ReportFixture.result().policies().stream().map(p -> p.metrics()).toList();
    List<Double> values = List.of(0.0, 50_000.0, 1_000_000.0);
    return new SweepResult(
        "btc-cascade-12min",
        "a crash",
        SweepParameter.FUND,
        values,
        ReportFixture.POLICIES,
        values.stream().map(v -> new SweepResult.Point(v, metrics)).toList());
  }

  @Test
  void theTerminalHasATablePerMetricWithThePoliciesAsRows() {
    String text = SweepReport.terminal(result(), List.of("taken", "burden"));
    assertThat(text)
        .startsWith("Sweep of fund (insuranceFund) over 3 values, scenario btc-cascade-12min")
        .contains("Taken from winners (USD):")
        .contains("Largest burden:")
        .containsPattern("policy \\\\ fund\\s+0\\s+50000\\s+1000000")
        .containsPattern("binance\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9,]+")
        .contains("Every run conserved value to the micro-unit.");
    assertThatThrownBy(() -> SweepReport.checkMetrics(List.of("taken", "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown metric 'nope'");
  }

  @Test
  void theCsvHasARowPerValueAndPolicy() {
    List<String> lines = SweepReport.csv(result()).lines().toList();
    assertThat(lines).hasSize(1 + 3 * 4);
    assertThat(lines.get(0)).startsWith("parameter,value,policy,liquidations,");
    assertThat(lines.get(1)).startsWith("fund,0,binance,");
    assertThat(lines.get(12)).startsWith("fund,1000000,okx-fund,");
  }

  @Test
  void theJsonSaysWhereItCameFromAndHoldsEveryRun() throws IOException {
    JsonNode root = new ObjectMapper().readTree(SweepReport.json(result(), ReportFixture.RUN));
    assertThat(root.get("run").get("commit").asText()).isEqualTo("0123456789ab");
    assertThat(root.get("parameter").get("field").asText()).isEqualTo("insuranceFund");
    assertThat(root.get("values")).hasSize(3);
    assertThat(root.get("rows")).hasSize(12);
    assertThat(root.get("rows").get(0).get("metrics").get("budgetTaken").isTextual()).isTrue();
  }

  @Test
  void thePageHasAChartPerMetricWithALinePerPolicy() throws IOException {
    SweepReport.writeAll(result(), ReportFixture.RUN, dir);
    String html = Files.readString(dir.resolve(SweepReport.HTML));
    assertThat(dir.resolve(SweepReport.CSV)).isNotEmptyFile();
    assertThat(dir.resolve(SweepReport.JSON)).isNotEmptyFile();
    assertThat(html).contains(ChartLibrary.UPLOT_JS).doesNotContain("http://");
    Matcher m =
        Pattern.compile("<script type=\"application/json\" id=\"chart-\\d+\">(.*?)</script>")
            .matcher(html);
    int charts = 0;
    ObjectMapper mapper = new ObjectMapper();
    while (m.find()) {
      JsonNode chart = mapper.readTree(m.group(1));
      assertThat(chart.get("x")).hasSize(3);
      assertThat(chart.get("series")).hasSize(4);
      assertThat(chart.get("series").get(0).get("label").asText()).isEqualTo("binance");
      assertThat(chart.get("xLabel").asText()).isEqualTo("insurance fund at the start (USD)");
      charts++;
    }
    assertThat(charts).isEqualTo(MetricColumn.ALL.size() - 1);
    assertThat(html).contains("<dt>commit</dt><dd>0123456789ab</dd>");
  }
}
