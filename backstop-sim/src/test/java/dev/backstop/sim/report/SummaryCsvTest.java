package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.sim.csv.StrictCsv;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.csv has one header row and one RFC 4180 row per policy with every metric. */
class SummaryCsvTest {

  @TempDir Path dir;

  @Test
  void theHeaderNamesThePolicyAndEveryMetric() throws IOException {
    List<List<String>> rows = written(ReportFixture.result());
    List<String> expected = new ArrayList<>(List.of("policy", "description"));
    for (RecordComponent component : PolicyMetrics.class.getRecordComponents()) {
      expected.add(component.getName());
    }
    expected.add("conserved");
    assertThat(rows.get(0)).containsExactlyElementsOf(expected);
  }

  @Test
  void oneRowPerPolicyWithExactMoneyAndEmptyMissingRatios() throws IOException {
    SimulationResult result = ReportFixture.result();
    List<List<String>> rows = written(result);
    assertThat(rows).hasSize(1 + 4);
    List<String> header = rows.get(0);
    for (int i = 0; i < 4; i++) {
      PolicyResult policy = result.policies().get(i);
      List<String> row = rows.get(i + 1);
      assertThat(row).hasSameSizeAs(header);
      assertThat(cell(header, row, "policy")).isEqualTo(policy.policy());
      // commas, quotes and angle brackets survive the quoting
      assertThat(cell(header, row, "description")).isEqualTo(policy.description());
      PolicyMetrics m = policy.metrics();
      assertThat(cell(header, row, "budgetTaken")).isEqualTo(m.budgetTaken().toString());
      assertThat(cell(header, row, "fundLow")).isEqualTo(m.fundLow().toString());
      assertThat(cell(header, row, "liquidations")).isEqualTo(Long.toString(m.liquidations()));
      assertThat(Double.parseDouble(cell(header, row, "gini"))).isEqualTo(m.gini());
      assertThat(cell(header, row, "conserved")).isEqualTo("true");
    }
    List<String> okx = rows.get(4);
    assertThat(cell(header, okx, "ptsr")).isEmpty();
    assertThat(cell(header, okx, "pmr")).isEmpty();
    assertThat(cell(header, rows.get(1), "budgetNeeded")).isEqualTo("18204331.51725");
  }

  @Test
  void quotesOnlyWhatNeedsQuoting() {
    assertThat(SummaryCsv.quoted("binance")).isEqualTo("binance");
    assertThat(SummaryCsv.quoted("a, b")).isEqualTo("\"a, b\"");
    assertThat(SummaryCsv.quoted("one \"haircut\"")).isEqualTo("\"one \"\"haircut\"\"\"");
    assertThat(SummaryCsv.quoted("two\nlines")).isEqualTo("\"two\nlines\"");
  }

  @Test
  void rowsEndWithCrlf() {
    String csv = SummaryCsv.render(ReportFixture.result());
    assertThat(csv).endsWith("\r\n");
    assertThat(csv.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
  }

  private static String cell(List<String> header, List<String> row, String column) {
    return row.get(header.indexOf(column));
  }

  private List<List<String>> written(SimulationResult result) throws IOException {
    Path file = dir.resolve("summary.csv");
    SummaryCsv.write(result, file);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<List<String>> rows = new ArrayList<>();
    String[] lines = text.split("\r\n");
    for (int i = 0; i < lines.length; i++) {
      rows.add(StrictCsv.split(lines[i], "summary.csv line " + (i + 1)));
    }
    return rows;
  }
}
