package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backstop sweep} on a small book: tables, files, progress, and refused options. */
class SweepCommandTest {

  @TempDir Path dir;

  @Test
  void sweepsAnEvenRangeAndWritesTheThreeFiles() throws IOException {
    Path out = dir.resolve("sweep");
    CliRun r =
        run(
            "sweep",
            "--param",
            "crash-depth",
            "--from",
            "0.1",
            "--to",
            "0.2",
            "--steps",
            "3",
            "--accounts",
            "400",
            "--policies",
            "bad-debt,pro-rata",
            "--threads",
            "2",
            "--metrics",
            "shortfall,bad debt",
            "--out",
            out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("sweeping crash-depth: 6 runs (3 values x 2 policies) on 2 threads")
        .contains("[6/6] crash-depth=");
    assertThat(r.out())
        .contains("Sweep of crash-depth (pricePath.synthetic.crash.depth) over 3 values")
        .contains("Shortfall (USD):")
        .contains("Residual bad debt (USD):")
        .containsPattern("policy \\\\ crash-depth\\s+0\\.1\\s+0\\.15\\s+0\\.2")
        .contains("Report: ");
    for (String name : new String[] {"sweep.html", "sweep.json", "sweep.csv"}) {
      assertThat(out.resolve(name)).isNotEmptyFile();
    }
    JsonNode json = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
    assertThat(json.get("run").get("commandLine").asText()).startsWith("backstop sweep --param");
    assertThat(json.get("rows")).hasSize(6);
    assertThat(Files.readString(out.resolve("sweep.csv")).lines()).hasSize(7);
  }

  @Test
  void refusesWhatItCannotRunBeforeRunning() {
    CliRun unknown = run("sweep", "--param", "nope", "--values", "1", "--out", dir.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown parameter 'nope'; expected one of: fund, depth");
    CliRun both = run("sweep", "--param", "fund", "--values", "1", "--from", "0", "--to", "2");
    assertThat(both.exitCode()).isEqualTo(1);
    assertThat(both.err()).contains("give either --values V,V,... or --from A --to B");
    CliRun bad = run("sweep", "--param", "crash-depth", "--values", "0.1,1.5", "--quiet");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("crash-depth", "1.5", "(0, 1)");
    assertThat(bad.out()).isEmpty();
    CliRun metric = run("sweep", "--param", "fund", "--values", "1", "--metrics", "x");
    assertThat(metric.exitCode()).isEqualTo(1);
    assertThat(metric.err()).contains("unknown metric 'x'");
    CliRun word = run("sweep", "--param", "fund", "--values", "1,two");
    assertThat(word.err()).contains("--values: 'two' is not a number");
  }

  @Test
  void helpListsTheParameters() {
    CliRun help = run("sweep", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--param=NAME").contains("--values=V").contains("--threads=N");
    // the help wraps lines anywhere: compare without white space
    assertThat(help.out().replaceAll("\\s", ""))
        .contains(
            "fund,depth,thinning,half-life,crash-depth,crash-minutes,crash-waves,rebound,leverage");
  }
}
