package dev.backstop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same command file gives byte-identical events, state and snapshot in two fresh JVMs, one of
 * them with the JIT's most aggressive compiler off and another garbage collector: nothing the
 * engine writes depends on the process (hash codes, JIT-dropped messages, collection order).
 */
class FreshJvmDeterminismTest {

  private static final Path ROOT = Path.of("..");

  @TempDir Path dir;

  @Test
  void twoFreshJvmsWriteTheSameBytes() throws IOException, InterruptedException {
    Path commands = dir.resolve("all.jsonl");
    List<String> lines = new ArrayList<>();
    lines.addAll(Files.readAllLines(ROOT.resolve("examples/quickstart.jsonl")));
    // the same stream again under other names, with a bad line between: more events, a rejection
    for (String line : Files.readAllLines(ROOT.resolve("examples/quickstart.jsonl"))) {
      lines.add(line.replace("BTC-PERP", "BTC-2").replace("\"alice\"", "\"alice2\""));
    }
    lines.add("{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\"NaN\"}");
    Files.write(commands, lines);
    Path a = run(commands, "a", List.of());
    Path b = run(commands, "b", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    for (String file : List.of("events.jsonl", "state.json", "engine.snapshot")) {
      assertThat(Files.readAllBytes(b.resolve(file)))
          .as(file)
          .isNotEmpty()
          .isEqualTo(Files.readAllBytes(a.resolve(file)));
    }
  }

  private Path run(Path commands, String name, List<String> jvmFlags)
      throws IOException, InterruptedException {
    Path out = dir.resolve(name);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BackstopCli.class.getName(),
            "run",
            "--commands",
            commands.toString(),
            "--events",
            out.resolve("events.jsonl").toString(),
            "--state",
            out.resolve("state.json").toString(),
            "--snapshot",
            out.resolve("engine.snapshot").toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the run ends in time").isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve(name + ".log"))).isZero();
    return out;
  }
}
