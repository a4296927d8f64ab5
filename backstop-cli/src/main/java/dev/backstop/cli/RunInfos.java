package dev.backstop.cli;

import dev.backstop.sim.report.RunInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The {@link RunInfo} of a command: this build's version and commit, its arguments, now. */
final class RunInfos {

  private RunInfos() {}

  /** The run of {@code spec}'s command as it was called, dated now (UTC, to the second). */
  static RunInfo of(CommandSpec spec) {
    List<String> words = new ArrayList<>();
    words.add("backstop");
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    for (String arg : args) {
      words.add(quoted(arg));
    }
    return new RunInfo(
        "backstop",
        VersionProvider.version(),
        VersionProvider.commit(),
        String.join(" ", words),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The argument as a POSIX shell reads it back: single-quoted when it holds anything special. */
  static String quoted(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=,@%+-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
