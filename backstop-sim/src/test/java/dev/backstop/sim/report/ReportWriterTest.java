package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.PolicyResult.Timeline;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three files land together, the same result gives the same bytes, a failure leaves none. */
class ReportWriterTest {

  @TempDir Path dir;

  @Test
  void writesTheThreeFilesIntoANewDirectory() throws IOException {
    Path out = dir.resolve("runs/first");
    ReportWriter.writeAll(ReportFixture.result(), ReportFixture.RUN, out);
    assertThat(names(out)).containsExactlyInAnyOrder("report.html", "summary.json", "summary.csv");
  }

  @Test
  void theSameResultGivesTheSameBytes() throws IOException {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    ReportWriter.writeAll(ReportFixture.result(), ReportFixture.RUN, first);
    ReportWriter.writeAll(ReportFixture.result(), ReportFixture.RUN, second);
    for (String name : List.of("summary.json", "summary.csv", "report.html")) {
      assertThat(Files.readAllBytes(second.resolve(name)))
          .as(name)
          .isEqualTo(Files.readAllBytes(first.resolve(name)));
    }
  }

  @Test
  void aFailureLeavesTheEarlierFilesAndNoTemporaryOnes() throws IOException {
    ReportWriter.writeAll(ReportFixture.result(), ReportFixture.RUN, dir);
    byte[] json = Files.readAllBytes(dir.resolve("summary.json"));
    SimulationResult result = ReportFixture.result();
    PolicyResult p = result.policies().get(0);
    Timeline t = p.timeline();
    // a fund series with more times than balances cannot be drawn
    Timeline ragged =
        new Timeline(
            t.fundTimes(),
            new double[] {1.0},
            t.liquidationTimes(),
            t.liquidationPrices(),
            t.adlTimes(),
            t.adlPrices(),
            t.burdenCounts());
    // renamed, so that a write that went through would change summary.json
    SimulationResult bad =
        ReportFixture.withPolicy(
            result, 0, new PolicyResult("changed", p.description(), p.metrics(), ragged));
    assertThatThrownBy(() -> ReportWriter.writeAll(bad, ReportFixture.RUN, dir))
        .isInstanceOf(RuntimeException.class);
    assertThat(names(dir)).containsExactlyInAnyOrder("report.html", "summary.json", "summary.csv");
    assertThat(Files.readAllBytes(dir.resolve("summary.json"))).isEqualTo(json);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
