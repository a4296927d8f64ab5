package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backstop run}'s outputs: never the command file, moved into place together, and never a
 * half-written file or a stray temporary one, even when the run is killed.
 */
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

  /**
   * When one output cannot be moved into place after another already was, the one moved gets its
   * earlier content back: the run's outputs land together or not at all. The commands come through
   * a named pipe, so that the test can make the --state target unusable (a directory with a file in
   * it) after the run has checked its options and before it commits.
   */
  @Test
  void anOutputThatFailsToMoveAfterAnotherPutsTheOtherBack() throws Exception {
    Path fifo = dir.resolve("commands.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "no mkfifo");
    Path events = dir.resolve("events.jsonl");
    Path state = dir.resolve("state.json");
    Files.writeString(events, "from an earlier run\n");
    CompletableFuture<Void> feeder =
        CompletableFuture.runAsync(
            () -> {
              try (var pipe = Files.newBufferedWriter(fifo)) {
                pipe.write(COMMANDS);
                pipe.flush();
                Files.createDirectories(state);
                Files.writeString(state.resolve("keep"), "x");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });

    CliRun r =
        run(
            "run",
            "--commands",
            fifo.toString(),
            "--events",
            events.toString(),
            "--state",
            state.toString());
    feeder.get(30, TimeUnit.SECONDS);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("backstop run: --state " + state + ": cannot be written: ");
    assertThat(Files.readString(events)).isEqualTo("from an earlier run\n");
    assertThat(names(dir)).containsExactlyInAnyOrder("commands.fifo", "events.jsonl", "state.json");
    assertThat(names(state)).containsExactly("keep");
  }

  /**
   * A run killed (SIGKILL) while it writes its events leaves the earlier outputs exactly as they
   * were and nothing beside them but the staging directory, which the next run removes; that run's
   * outputs are complete.
   */
  @Test
  void aRunKilledMidWriteLeavesTheEarlierOutputsAndTheNextRunCleansUp() throws Exception {
    Path in = commands();
    Path out = dir.resolve("out");
    Path events = out.resolve("events.jsonl");
    Path state = out.resolve("state.json");
    String[] outputs = {"--events", events.toString(), "--state", state.toString()};
    CliRun first = run(with("run", "--commands", in.toString(), outputs));
    assertThat(first.exitCode()).as(first.err()).isZero();
    byte[] earlierEvents = Files.readAllBytes(events);
    byte[] earlierState = Files.readAllBytes(state);

    // enough deposits to be killed well before the end
    Path big = dir.resolve("big.jsonl");
    List<String> lines = new ArrayList<>();
    lines.add("{\"type\":\"market\",\"market\":\"BTC-PERP\"}");
    for (int i = 0; i < 300_000; i++) {
      lines.add("{\"type\":\"deposit\",\"account\":\"a" + i + "\",\"amount\":\"1\"}");
    }
    Files.write(big, lines);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path")));
    command.add(BackstopCli.class.getName());
    command.addAll(List.of(with("run", "--commands", big.toString(), outputs)));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      Path staging = out.resolve(".backstop-staging");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (stagedBytes(staging) < 256 * 1024) {
        assertThat(child.isAlive()).as("the run is still writing").isTrue();
        assertThat(System.nanoTime()).as("the run starts writing in time").isLessThan(deadline);
        Thread.sleep(5);
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(names(out))
        .containsExactlyInAnyOrder("events.jsonl", "state.json", ".backstop-staging");
    assertThat(Files.readAllBytes(events)).isEqualTo(earlierEvents);
    assertThat(Files.readAllBytes(state)).isEqualTo(earlierState);

    CliRun next = run(with("run", "--commands", in.toString(), outputs));
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(names(out)).containsExactlyInAnyOrder("events.jsonl", "state.json");
    assertThat(Files.readAllBytes(events)).isEqualTo(earlierEvents);
    assertThat(Files.readAllBytes(state)).isEqualTo(earlierState);
  }

  private static String[] with(String a, String b, String c, String[] rest) {
    List<String> all = new ArrayList<>(List.of(a, b, c));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  /** The bytes staged so far in the staging directory's areas. */
  private static long stagedBytes(Path staging) throws IOException {
    if (!Files.isDirectory(staging)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(staging)) {
      return files.filter(Files::isRegularFile).mapToLong(RunOutputsTest::size).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // an area appeared or went meanwhile
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // moved or deleted meanwhile
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
