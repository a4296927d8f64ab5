package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json holds the scenario, the path summary, every metric and the replay rows. */
class SummaryJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void holdsTheScenarioAndThePathSummary() throws IOException {
    SimulationResult result = ReportFixture.result();
    JsonNode root = written(result);
    assertThat(root.get("scenario").asText()).isEqualTo("btc-cascade-12min");
    assertThat(root.get("description").asText()).startsWith("BTC-PERP falls about 15%");
    assertThat(root.get("seed").asLong()).isEqualTo(20251010L);
    assertThat(root.get("market").asText()).isEqualTo("BTC-PERP");
    assertThat(root.get("accounts").asInt()).isEqualTo(10_000);
    assertThat(root.get("openInterest").asText()).isEqualTo("18432.517");
    JsonNode path = root.get("path");
    assertThat(path.get("points").asInt()).isEqualTo(200);
    double[] marks = result.path().marks();
    assertThat(path.get("start").isTextual()).isTrue();
    assertThat(Double.parseDouble(path.get("start").asText())).isEqualTo(marks[0]);
    assertThat(Double.parseDouble(path.get("end").asText())).isEqualTo(marks[marks.length - 1]);
    double low = Double.MAX_VALUE;
    for (double mark : marks) {
      low = Math.min(low, mark);
    }
    assertThat(Double.parseDouble(path.get("low").asText())).isEqualTo(low);
    assertThat(path.get("maxDrawdown").isNumber()).isTrue();
    assertThat(path.get("maxDrawdown").asDouble()).isBetween(0.13, 0.17);
  }

  @Test
  void everyPolicyHasEveryMetricByName() throws IOException {
    SimulationResult result = ReportFixture.result();
    JsonNode policies = written(result).get("policies");
    assertThat(policies).hasSize(4);
    List<String> expected = new ArrayList<>();
    for (RecordComponent component : PolicyMetrics.class.getRecordComponents()) {
      expected.add(component.getName());
    }
    expected.add("conserved");
    for (int i = 0; i < policies.size(); i++) {
      PolicyResult policy = result.policies().get(i);
      JsonNode node = policies.get(i);
      assertThat(node.get("policy").asText()).isEqualTo(policy.policy());
      assertThat(node.get("description").asText()).isEqualTo(policy.description());
      List<String> names = new ArrayList<>();
      node.get("metrics").fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactlyElementsOf(expected);
      assertThat(node.has("timeline")).isFalse();
    }
  }

  @Test
  void moneyIsExactTextRatiosAreNumbersAndMissingRatiosAreNull() throws IOException {
    SimulationResult result = ReportFixture.result();
    JsonNode policies = written(result).get("policies");
    PolicyMetrics binance = result.policies().get(0).metrics();
    JsonNode m = policies.get(0).get("metrics");
    assertThat(m.get("budgetNeeded").isTextual()).isTrue();
    assertThat(m.get("budgetNeeded").asText()).isEqualTo("18204331.51725");
    assertThat(m.get("overshoot").asText()).isEqualTo("1402117.9");
    assertThat(m.get("liquidatedNotional").asText())
        .isEqualTo(binance.liquidatedNotional().toString());
    assertThat(m.get("liquidations").isIntegralNumber()).isTrue();
    assertThat(m.get("liquidations").asLong()).isEqualTo(binance.liquidations());
    assertThat(m.get("gini").isNumber()).isTrue();
    assertThat(m.get("gini").asDouble()).isEqualTo(binance.gini());
    assertThat(m.get("ptsr").asDouble()).isEqualTo(0.36);
    assertThat(m.get("conservationError").asLong()).isZero();
    assertThat(m.get("conserved").asBoolean()).isTrue();
    assertThat(m.get("stateHash").asText()).isEqualTo("1f3a9c0e5b7d2a64");
    JsonNode okx = policies.get(3).get("metrics");
    assertThat(okx.get("ptsr").isNull()).isTrue();
    assertThat(okx.get("pmr").isNull()).isTrue();
    assertThat(okx.get("budgetTaken").asText()).isEqualTo("0");
  }

  @Test
  void theReplayHasItsRowsButNotTheirLorenzCurves() throws IOException {
    SimulationResult result = ReportFixture.result();
    JsonNode replay = written(result).get("replay");
    assertThat(replay.get("source").asText()).isEqualTo("hyperliquid-2025-10-10/adl_positions.csv");
    assertThat(replay.get("winners").asInt()).isEqualTo(2_000);
    assertThat(replay.get("budget").asText()).isEqualTo(result.replay().budget().toString());
    assertThat(replay.get("capacity").asText()).isEqualTo(result.replay().capacity().toString());
    JsonNode rows = replay.get("rows");
    assertThat(rows).hasSize(3);
    assertThat(replay.get("perWave")).hasSize(1);
    assertThat(replay.get("perWave").get(0).get("rounds").asInt()).isEqualTo(3);
    assertThat(replay.get("neededBudget").asText())
        .isEqualTo(result.replay().neededBudget().toString());
    for (int i = 0; i < 3; i++) {
      var row = result.replay().rows().get(i);
      JsonNode node = rows.get(i);
      assertThat(node.get("policy").asText()).isEqualTo(ReportFixture.REPLAY_POLICIES.get(i));
      assertThat(node.get("taken").asText()).isEqualTo(row.taken().toString());
      assertThat(node.get("accountsHit").asInt()).isEqualTo(row.accountsHit());
      assertThat(node.get("largestBurden").asDouble()).isEqualTo(row.largestBurden());
      assertThat(node.get("top10Share").asDouble()).isEqualTo(row.top10Share());
      assertThat(node.get("gini").asDouble()).isEqualTo(row.gini());
      assertThat(node.get("basis").asText()).isEqualTo("production's total, 1 round");
      assertThat(node.has("lorenz")).isFalse();
    }
  }

  @Test
  void saysWhereItCameFromFirst() throws IOException {
    JsonNode root = written(ReportFixture.result());
    assertThat(root.fieldNames().next()).isEqualTo("run");
    JsonNode run = root.get("run");
    assertThat(run.get("tool").asText()).isEqualTo("backstop");
    assertThat(run.get("version").asText()).isEqualTo("0.1.0-test");
    assertThat(run.get("commit").asText()).isEqualTo("0123456789ab");
    assertThat(run.get("commandLine").asText())
        .isEqualTo("backstop simulate --scenario 'my crash.yaml'");
    assertThat(run.get("date").asText()).isEqualTo("2026-12-01T00:00:00Z");
    RunInfo blank = new RunInfo(null, " ", "", null, null);
    assertThat(blank.commit()).isEqualTo(RunInfo.UNKNOWN);
    assertThat(blank.toolLine()).isEqualTo("unknown unknown (commit unknown)");
  }

  @Test
  void noReplayIsWrittenAsNull() throws IOException {
    JsonNode root = written(ReportFixture.result(null));
    assertThat(root.has("replay")).isTrue();
    assertThat(root.get("replay").isNull()).isTrue();
  }

  @Test
  void numbersAreNeverInExponentForm() {
    String json = SummaryJson.render(ReportFixture.result(), ReportFixture.RUN);
    assertThat(json).doesNotContainPattern("[0-9]E[-+]?[0-9]");
    assertThat(json).endsWith("}\n").doesNotContain("\r");
  }

  private JsonNode written(SimulationResult result) throws IOException {
    Path file = dir.resolve("summary.json");
    SummaryJson.write(result, ReportFixture.RUN, file);
    return MAPPER.readTree(Files.readString(file));
  }
}
