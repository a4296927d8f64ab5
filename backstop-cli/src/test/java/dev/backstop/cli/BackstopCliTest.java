package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level {@code backstop}: its version and the shape of every help text. */
class BackstopCliTest {

  @Test
  void theVersionIsThePomsVersion() {
    String pomVersion = System.getProperty("backstop.version");
    assertThat(pomVersion).as("surefire passes ${project.version}").isNotBlank();
    CliRun r = run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip())
        .isEqualTo("backstop " + pomVersion + " (commit " + VersionProvider.commit() + ")");
  }

  /** The build writes the commit it ran on, or unknown without git; never the placeholder. */
  @Test
  void theCommitIsAHashOrUnknown() {
    assertThat(VersionProvider.commit()).matches("[0-9a-f]{7,40}(-dirty)?|unknown");
  }

  @Test
  void aCommandLineIsQuotedAsAShellReadsItBack() {
    assertThat(RunInfos.quoted("--scenario")).isEqualTo("--scenario");
    assertThat(RunInfos.quoted("out/a,b.csv")).isEqualTo("out/a,b.csv");
    assertThat(RunInfos.quoted("my crash.yaml")).isEqualTo("'my crash.yaml'");
    assertThat(RunInfos.quoted("it's")).isEqualTo("'it'\\''s'");
    assertThat(RunInfos.quoted("")).isEqualTo("''");
  }

  /** The line {@code backstop --help} shows for each command is a whole sentence. */
  @Test
  void everyCommandsSummaryIsAWholeSentence() {
    CommandLine cli = BackstopCli.commandLine();
    List<String> names = new ArrayList<>(cli.getSubcommands().keySet());
    assertThat(names).contains("run", "allocate", "paper-table", "simulate");
    // the help wraps lines anywhere, even inside a formula: compare without white space
    String help = run("--help").out().replaceAll("\\s", "");
    for (String name : names) {
      CommandLine.Model.UsageMessageSpec usage =
          cli.getSubcommands().get(name).getCommandSpec().usageMessage();
      String summary =
          usage.header().length > 0 ? String.join(" ", usage.header()) : usage.description()[0];
      String shown =
          summary
              .replace(
                  "${bundle:list.commandTypes}",
                  String.join(", ", dev.backstop.json.CommandReader.types()))
              .replaceAll("\\s", "");
      assertThat(shown).as(name).endsWith(".");
      assertThat(help).as(name).contains(shown);
    }
  }

  /** Every synopsis lists each option once, in a form a reader can copy. */
  @Test
  void theSynopsesAreReadable() {
    for (String command : List.of("run", "allocate", "paper-table", "simulate")) {
      String synopsis = run(command, "--help").out().split("\\R\\S", 2)[0].replaceAll("\\s+", " ");
      assertThat(synopsis)
          .as(command)
          .startsWith("Usage: backstop " + command)
          .doesNotContain("..,");
      assertThat(synopsis).as(command).doesNotContainPattern("\\.{4,}");
    }
    String simulate = run("simulate", "--help").out().replaceAll("\\s+", "");
    assertThat(simulate).contains("[--policies=POLICY[,POLICY...]]...");
  }
}
