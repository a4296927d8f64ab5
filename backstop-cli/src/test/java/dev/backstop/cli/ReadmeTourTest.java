package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick tour, command by command, as a fresh clone runs it: every input it names is in
 * {@code examples/}, every {@code run}, {@code allocate} and {@code paper-table} line succeeds, and
 * the summaries and figures the README quotes are what the commands print. The {@code simulate}
 * lines are checked to name a scenario that loads and policies it knows (running them is {@code
 * SimulateCommandTest}'s job, on smaller books).
 */
class ReadmeTourTest {

  private static final Path ROOT = Path.of("..");

  @TempDir Path dir;

  /** The {@code ./backstop} lines of the README's first code block after "## Quick tour". */
  static List<List<String>> tour() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## Quick tour"));
    String block = section.substring(section.indexOf("```sh\n") + 6, section.indexOf("```\n", 6));
    List<List<String>> lines = new ArrayList<>();
    for (String line : block.lines().toList()) {
      assertThat(line).startsWith("./backstop ").doesNotContain("#", "FILE", "MORE", "../shared");
      lines.add(Arrays.asList(line.substring("./backstop ".length()).split(" +")));
    }
    return lines;
  }

  @Test
  void everyCommandOfTheTourWorksOnTheExamplesAndPrintsWhatTheReadmeSays() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md")).replaceAll("\\s+", " ");
    List<List<String>> tour = tour();
    assertThat(tour).hasSizeGreaterThanOrEqualTo(8);
    for (List<String> line : tour) {
      String[] args = line.stream().map(this::relocate).toArray(String[]::new);
      if (args[0].equals("simulate")) {
        Scenario scenario = Scenarios.load(args[Arrays.asList(args).indexOf("--scenario") + 1]);
        assertThat(scenario.name()).isNotBlank();
        continue;
      }
      CliRun r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", line) + "\n" + r.err()).isZero();
      if (args[0].equals("run")) {
        String summary = r.out().strip();
        assertThat(readme.contains(summary)).as("the README quotes '%s'", summary).isTrue();
      }
    }
    CliRun allocate =
        run(
            "allocate",
            "--policy",
            "pro-rata",
            "--budget",
            "7.5",
            "--book",
            relocate("examples/book.csv"));
    assertThat(allocate.out())
        .contains("\"amount\" : \"4.8\"", "\"amount\" : \"1.8\"", "\"amount\" : \"0.9\"");
    assertThat(readme.contains("give 4.8, 1.8 and 0.9")).as("the README quotes them").isTrue();
  }

  /** Paths of the README, relative to the repository root, from the module's directory. */
  private String relocate(String arg) {
    if (arg.startsWith("examples/")) {
      return ROOT.resolve(arg).toString();
    }
    if (arg.startsWith("out/")) {
      return dir.resolve(arg).toString();
    }
    return arg;
  }
}
