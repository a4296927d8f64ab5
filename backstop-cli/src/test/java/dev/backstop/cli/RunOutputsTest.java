package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backstop run}'s outputs: never the command file, and moved into place together. */
class RunOutputsTest {

  private static final String COMMANDS =
      """
      {"type":"market","market":"BTC-PERP"}
      {"type":"deposit","account":"a1","amount":"10"}
      """;

  @TempDir Path dir;

  private Path commands() throws IOException {
    Path file = dir.resolve("in.jsonl");
    Files.writeString(file, COMMANDS);
    return file;
  }

  @Test
  void noOutputMayBeTheCommandFile() throws IOException {
    Path in = commands();
    for (String option : new String[] {"--events", "--state", "--ranking", "--snapshot"}) {
      for (String alias :
          new String[] {in.toString(), dir + "/./in.jsonl", dir + "/x/../in.jsonl"}) {
        CliRun r = run("run", "--commands", in.toString(), option, alias);
        assertThat(r.exitCode()).as(option + " " + alias).isEqualTo(1);
        assertThat(r.err())
            .as(option)
            .isEqualTo(
                "backstop run: "
                    + option
                    + " and --commands name the same file: "
                    + alias
                    + System.lineSeparator());
        assertThat(Files.readString(in)).isEqualTo(COMMANDS);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("in.jsonl");
    }
  }

  /**
   * An output that cannot be written fails the run before any other is moved into place, and the
   * error names the path asked for, not the temporary file beside it.
   */
  @Test
  void anOutputThatCannotBeWrittenLeavesTheOthersAsTheyWere() throws IOException {
    // no file can be created in /proc, not even by root
    Path proc = Path.of("/proc");
    assumeTrue(Files.isDirectory(proc) && !Files.exists(proc.resolve("backstop.snapshot")));
    Path in = commands();
    Path events = dir.resolve("out.events.jsonl");
    Files.writeString(events, "from an earlier run\n");

    CliRun r =
        run(
            "run",
            "--commands",
            in.toString(),
            "--events",
            events.toString(),
            "--state",
            dir.resolve("out.state.json").toString(),
            "--snapshot",
            "/proc/backstop.snapshot");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("backstop run: --snapshot /proc/backstop.snapshot: cannot be written: ")
        .doesNotContain(".tmp");
    assertThat(Files.readString(events)).isEqualTo("from an earlier run\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("in.jsonl", "out.events.jsonl");
    }
  }
}
