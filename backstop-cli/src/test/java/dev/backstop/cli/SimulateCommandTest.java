package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.sim.run.Policies;
import dev.backstop.sim.scenario.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backstop simulate} as CLI.md describes it, on small books. */
class SimulateCommandTest {

  @TempDir Path dir;

  @Test
  void writesTheReportTheSummariesAndPrintsTheTableWithProgress() throws IOException {
    Path out = dir.resolve("out");
    CliRun r =
        run(
            "simulate",
            "--accounts",
            "2000",
            "--policies",
            "bad-debt,bitmex,pro-rata",
            "--out",
            out.toString(),
            "--no-replay");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("[3/3]");
    assertThat(r.out()).contains("crash-2025-10-10", "bitmex", "pro-rata", "Report: ");
    assertThat(out.resolve("report.html")).isNotEmptyFile();
    assertThat(Files.readString(out.resolve("summary.csv")).lines()).hasSize(4);
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("accounts").asInt()).isEqualTo(2000);
    assertThat(summary.get("policies")).hasSize(3);
    for (JsonNode p : summary.get("policies")) {
      assertThat(p.get("metrics").get("conservationError").asLong()).isZero();
    }
    if (CliRun.posix()) {
      Set<PosixFilePermission> ordinary = CliRun.newFilePermissions(dir);
      for (String name : List.of("report.html", "summary.json", "summary.csv")) {
        assertThat(Files.getPosixFilePermissions(out.resolve(name))).as(name).isEqualTo(ordinary);
      }
    }
  }

  @Test
  void jsonGoesToStandardOutputAndIsTheSameForTheSameSeed() throws IOException {
    String[] args = {
      "simulate",
      "--scenario",
      "calm-day",
      "--accounts",
      "500",
      "--policies",
      "hyperliquid",
      "--out",
      dir.resolve("j").toString(),
      "--json",
      "--quiet",
      "--no-replay"
    };
    CliRun first = run(args);
    CliRun second = run(args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(first.out()).startsWith("{").contains("\"scenario\"");
    // the same bytes but for the date, which says when each ran
    JsonNode one = first.json();
    JsonNode two = second.json();
    JsonNode run = one.get("run");
    assertThat(run.get("tool").asText()).isEqualTo("backstop");
    assertThat(run.get("version").asText()).isEqualTo(System.getProperty("backstop.version"));
    assertThat(run.get("commit").asText()).isEqualTo(VersionProvider.commit());
    assertThat(run.get("commandLine").asText())
        .startsWith("backstop simulate --scenario calm-day --accounts 500");
    assertThat(java.time.Instant.parse(run.get("date").asText())).isNotNull();
    ((com.fasterxml.jackson.databind.node.ObjectNode) one.get("run")).remove("date");
    ((com.fasterxml.jackson.databind.node.ObjectNode) two.get("run")).remove("date");
    assertThat(two).isEqualTo(one);
    assertThat(second.out().replaceAll("\"date\" : \"[^\"]*\"", ""))
        .isEqualTo(first.out().replaceAll("\"date\" : \"[^\"]*\"", ""));
  }

  @Test
  void theHelpListsEveryPolicyAndBuiltInScenario() {
    CliRun help = run("simulate", "--help");
    assertThat(help.exitCode()).isZero();
    // the help wraps lines anywhere, even inside a name: compare without white space
    String text = help.out().replaceAll("\\s", "");
    assertThat(text).contains("anyof" + String.join(",", Policies.all()) + ":");
    assertThat(text).contains("Abuilt-inscenario(" + String.join(",", Scenarios.names()) + ")");
  }

  @Test
  void aBadScenarioOrPolicyIsAClearErrorAndWritesNothing() throws IOException {
    Path out = dir.resolve("none");
    CliRun unknown = run("simulate", "--scenario", "crash-1987", "--out", out.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("crash-1987", "built-in");
    CliRun omni = run("simulate", "--policies", "omni", "--out", out.toString(), "--no-replay");
    assertThat(omni.exitCode()).isEqualTo(1);
    assertThat(omni.err()).contains("settlement pools");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: x\nseed: [1]\n");
    CliRun malformed = run("simulate", "--scenario", bad.toString(), "--out", out.toString());
    assertThat(malformed.exitCode()).isEqualTo(1);
    assertThat(malformed.err()).contains("bad.yaml", "seed");
    assertThat(out).doesNotExist();
  }

  /**
   * A run that outgrows the heap (here 32 MiB for 30,000 accounts under contract pro rata, which
   * deleverages every winner in each round) stops the simulation with one line that names the
   * policy, the accounts and the heap and says what to do, exit 1, and writes no report.
   */
  @Test
  void aRunOutOfMemoryIsOneLineThatSaysWhatToDo() throws Exception {
    Path out = dir.resolve("out");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                BackstopCli.class.getName(),
                "simulate",
                "--accounts",
                "30000",
                "--policies",
                "contract-pro-rata",
                "--no-replay",
                "--quiet",
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(dir.resolve("child.log"));
    assertThat(child.exitValue()).as(log).isEqualTo(1);
    assertThat(log)
        .startsWith(
            "backstop simulate: policy contract-pro-rata ran out of memory with 30,000 accounts,"
                + " 1 run at once, in a Java heap of at most ")
        .contains("BACKSTOP_JAVA_OPTS=-Xmx18g")
        .doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }
}
