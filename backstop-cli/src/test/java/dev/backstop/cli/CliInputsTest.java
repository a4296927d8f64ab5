package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option out of range and every unusable path is refused before the command starts: exit 1,
 * one line on standard error that names the option, the value or path and what is wrong, no stack
 * trace, nothing on standard output and no file written.
 */
class CliInputsTest {

  @TempDir static Path dir;

  private static Path file;

  @BeforeEach
  void files() throws IOException {
    file = Files.writeString(dir.resolve("plain.txt"), "not a snapshot\n");
    String scenario = Files.readString(Path.of("..", "examples", "crash.yaml"));
    String klines = scenario.substring(0, scenario.indexOf("pricePath:"));
    klines += "pricePath:\n  klines: absent-klines.csv\n";
    klines += scenario.substring(scenario.indexOf("liquidity:"));
    Files.writeString(dir.resolve("klines.yaml"), klines);
    Files.writeString(
        dir.resolve("commands.jsonl"),
        "{\"type\":\"deposit\",\"account\":\"a\",\"amount\":\"1\"}\n");
  }

  /** A bad command line and what its message must say. */
  record Case(String expected, String... args) {
    @Override
    public String toString() {
      return String.join(" ", args);
    }
  }

  static Stream<Case> cases() {
    String d = dir.toString();
    String out = dir.resolve("out").toString();
    String under = dir.resolve("plain.txt").resolve("x.json").toString();
    String cmds = dir.resolve("commands.jsonl").toString();
    String book = dir.resolve("absent.csv").toString();
    return Stream.of(
        new Case(
            "--accounts: must be between 2 and 2000000, not -5",
            "simulate",
            "--accounts",
            "-5",
            "--out",
            out),
        new Case(
            "--accounts: must be between 2 and 2000000, not 0",
            "simulate",
            "--accounts",
            "0",
            "--out",
            out),
        new Case(
            "--accounts: must be between 2 and 2000000, not 2000001",
            "simulate",
            "--accounts",
            "2000001",
            "--out",
            out),
        new Case(
            "--threads: must be at least 1, not 0", "simulate", "--threads", "0", "--out", out),
        new Case(
            "--threads: must be at least 1, not -2", "simulate", "--threads", "-2", "--out", out),
        new Case(
            "--scenario " + d + ": is a directory, not a file",
            "simulate",
            "--scenario",
            d,
            "--out",
            out),
        new Case(
            "--scenario nowhere.yaml: no such file; nor a built-in scenario",
            "simulate",
            "--scenario",
            "nowhere.yaml",
            "--out",
            out),
        new Case(
            "pricePath.klines " + d + "/absent-klines.csv: no such file",
            "simulate",
            "--scenario",
            d + "/klines.yaml",
            "--out",
            out),
        new Case(
            "--replay-data " + d + "/adl_by_user.csv: no such file",
            "simulate",
            "--replay-data",
            d,
            "--out",
            out),
        new Case(
            "--out " + d + "/plain.txt: is a file, not a directory",
            "simulate",
            "--out",
            d + "/plain.txt"),
        new Case(
            "--replay-data " + d + "/none: no such directory",
            "simulate",
            "--replay-data",
            d + "/none",
            "--out",
            out),
        new Case(
            "--max-iterations: must be at least 1, not 0",
            "allocate",
            "--policy",
            "random",
            "--budget",
            "1",
            "--book",
            cmds,
            "--max-iterations",
            "0"),
        new Case(
            "--budget: must not be negative, not -1",
            "allocate",
            "--policy",
            "pro-rata",
            "--budget",
            "-1",
            "--book",
            cmds),
        new Case(
            "--book " + book + ": no such file; examples/book.csv",
            "allocate",
            "--policy",
            "pro-rata",
            "--budget",
            "1",
            "--book",
            book),
        new Case(
            "--book " + d + ": is a directory, not a file",
            "allocate",
            "--policy",
            "pro-rata",
            "--budget",
            "1",
            "--book",
            d),
        new Case(
            "--lambda: must be a finite number >= 0, not NaN",
            "paper-table",
            "--waves",
            cmds,
            "--lambda",
            "NaN"),
        new Case(
            "--path-length: must be a finite number >= 0, not -1",
            "paper-table",
            "--waves",
            cmds,
            "--path-length",
            "-1"),
        new Case("--waves " + d + ": is a directory, not a file", "paper-table", "--waves", d),
        new Case("--commands " + d + ": is a directory, not a file", "run", "--commands", d),
        new Case(
            "--commands " + d + "/none.jsonl: no such file; examples/quickstart.jsonl",
            "run",
            "--commands",
            d + "/none.jsonl"),
        new Case(
            "--events " + d + ": is a directory, not a file",
            "run",
            "--commands",
            cmds,
            "--events",
            d),
        new Case(
            "--state " + under + ": " + d + "/plain.txt is a file, not a directory",
            "run",
            "--commands",
            cmds,
            "--state",
            under),
        new Case(
            "--events and --state name the same file",
            "run",
            "--commands",
            cmds,
            "--events",
            out,
            "--state",
            out),
        new Case(
            "--snapshot and --commands name the same file",
            "run",
            "--commands",
            cmds,
            "--snapshot",
            cmds),
        new Case(
            "--restore " + d + ": is a directory, not a file",
            "run",
            "--commands",
            cmds,
            "--restore",
            d),
        new Case(
            "--restore " + d + "/plain.txt: cannot be restored: ",
            "run",
            "--commands",
            cmds,
            "--restore",
            d + "/plain.txt"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithAMessageNamingTheOption(Case c) throws IOException {
    CliRun r = run(c.args());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("backstop " + c.args()[0] + ": ").contains(c.expected());
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
    assertThat(r.out()).isEmpty();
    assertThat(dir.resolve("out")).doesNotExist();
    assertThat(Files.readString(file)).isEqualTo("not a snapshot\n");
  }
}
