package dev.backstop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code backstop} command: the entry point of the launcher at the repository root. */
@Command(
    name = "backstop",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Backstop: margin, liquidation, insurance fund, auto-deleveraging, socialized loss and"
          + " counterparty liquidation for perpetual-futures venues.",
      ""
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      RunCommand.class,
      AllocateCommand.class,
      PaperTableCommand.class,
      SimulateCommand.class,
      SweepCommand.class,
      ServeCommand.class,
      ClusterCommand.class
    })
public final class BackstopCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Builds the command line with every subcommand registered. */
  public static CommandLine commandLine() {
    return new CommandLine(new BackstopCli());
  }

  /** Runs the CLI and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
