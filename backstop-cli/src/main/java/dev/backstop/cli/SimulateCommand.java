package dev.backstop.cli;

import dev.backstop.sim.io.FileErrors;
import dev.backstop.sim.replay.PopulationReplay;
import dev.backstop.sim.replay.RealPopulation;
import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.report.HtmlReport;
import dev.backstop.sim.report.ReportWriter;
import dev.backstop.sim.report.RunInfo;
import dev.backstop.sim.report.SummaryJson;
import dev.backstop.sim.report.TerminalTable;
import dev.backstop.sim.run.Policies;
import dev.backstop.sim.run.SimulationResult;
import dev.backstop.sim.run.Simulator;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.ScenarioException;
import dev.backstop.sim.scenario.Scenarios;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstop simulate}: a crash scenario under every policy on the same book, path and seed,
 * with a terminal table, {@code summary.json}, {@code summary.csv} and {@code report.html}.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a crash scenario under each policy (a venue preset's backstop, a research policy, or"
          + " bad-debt) on the same book, price path and seed, one engine per policy over the"
          + " machine's cores; prints a comparison table and writes report.html (charts),"
          + " summary.json and summary.csv. Without arguments: the built-in default scenario"
          + " (a 2025-10-10-like crash on 10,000 accounts) and every policy. Also replays the"
          + " real 2025-10-10 Hyperliquid population when its data is found."
    })
public final class SimulateCommand implements Callable<Integer> {

  /** Where the shared data sits beside a clone of the project. */
  static final Path DEFAULT_REPLAY_DATA = Path.of("..", "shared", "data", "hyperliquid-2025-10-10");

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "NAME|FILE",
      defaultValue = Scenarios.DEFAULT,
      completionCandidates = BuiltInScenarios.class,
      description =
          "A built-in scenario (${COMPLETION-CANDIDATES}) or a scenario file"
              + " (.json, .yaml); see docs/scenarios.md (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--policies",
      paramLabel = "POLICY",
      split = ",",
      splitSynopsisLabel = ",",
      completionCandidates = SimulatedPolicies.class,
      description =
          "Policies to compare (default: the scenario's list, else all), any of"
              + " ${COMPLETION-CANDIDATES}: bad-debt, the baseline without a backstop, and the"
              + " backstops of the presets.")
  List<String> policies = List.of();

  /** The built-in scenarios, for the help and shell completion. */
  static final class BuiltInScenarios implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Scenarios.names().iterator();
    }
  }

  /** The policies simulate knows, for the help and shell completion. */
  static final class SimulatedPolicies implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Policies.all().iterator();
    }
  }

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "out/simulate",
      description =
          "Directory for report.html, summary.json and summary.csv (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--json",
      description = "Print summary.json to standard output instead of the table.")
  boolean json;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Override the scenario's seed (population and synthetic path).")
  Long seed;

  @Option(
      names = "--accounts",
      paramLabel = "N",
      description =
          "Override the number of accounts of a synthetic population, "
              + Scenario.MIN_ACCOUNTS
              + " to "
              + Scenario.MAX_ACCOUNTS
              + ".")
  Integer accounts;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads, one engine each, at least 1 (default: one per core).")
  Integer threads;

  @Option(
      names = "--replay-data",
      paramLabel = "DIR",
      description =
          "Folder with adl_by_user.csv and adl_waves_policy_metrics.csv for the real-population"
              + " replay (default: ../shared/data/hyperliquid-2025-10-10 when present).")
  Path replayData;

  @Option(names = "--no-replay", description = "Skip the real-population replay.")
  boolean noReplay;

  @Option(names = "--quiet", description = "No progress on standard error.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    SimulationResult result;
    RunInfo run = RunInfos.of(spec);
    try {
      checkOptions();
      Scenario s = Scenarios.load(scenario);
      if (seed != null) {
        s = s.withSeed(seed);
      }
      if (accounts != null) {
        s = s.withAccounts(accounts);
      }
      int workers = threads == null ? 0 : threads;
      result = Simulator.run(s, new Simulator.Options(policies, workers, replay(), progress(err)));
      ReportWriter.writeAll(result, run, out);
    } catch (ScenarioException | IllegalArgumentException e) {
      err.println("backstop simulate: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("backstop simulate: cannot write the report: " + CliErrors.describe(e));
      return 1;
    } catch (UncheckedIOException e) {
      err.println(
          "backstop simulate: cannot write the report: " + CliErrors.describe(e.getCause()));
      return 1;
    }
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      stdout.print(SummaryJson.render(result, run));
    } else {
      stdout.print(TerminalTable.render(result));
      stdout.println();
      stdout.println("Report: " + out.resolve(HtmlReport.FILE_NAME).toAbsolutePath().normalize());
    }
    stdout.flush();
    boolean conserved = result.policies().stream().allMatch(p -> p.metrics().conserved());
    if (!conserved) {
      err.println("backstop simulate: value was not conserved in a run; see the report");
      return 2;
    }
    return 0;
  }

  /** Every option's range and path, before anything runs. */
  private void checkOptions() {
    if (!Scenarios.names().contains(scenario)) {
      CliInputs.readableFile(
          "--scenario",
          Path.of(scenario),
          "nor a built-in scenario (built-in: " + String.join(", ", Scenarios.names()) + ")");
    }
    if (accounts != null) {
      CliInputs.between("--accounts", accounts, Scenario.MIN_ACCOUNTS, Scenario.MAX_ACCOUNTS);
    }
    if (threads != null) {
      CliInputs.atLeast("--threads", threads, 1, "leave it out for one per core");
    }
    if (replayData != null && !noReplay) {
      CliInputs.readableDirectory("--replay-data", replayData);
      for (String name : List.of(RealPopulation.FILE_NAME, PopulationReplay.WAVES_FILE)) {
        CliInputs.readableFile("--replay-data", replayData.resolve(name), "the replay reads it");
      }
    }
    CliInputs.writableDirectory("--out", out);
  }

  /** The real-population replay, when asked for or when the shared data sits beside us. */
  private Supplier<ReplayResult> replay() {
    if (noReplay) {
      return null;
    }
    Path folder = replayData != null ? replayData : DEFAULT_REPLAY_DATA;
    if (replayData == null && !Files.isDirectory(folder)) {
      return null;
    }
    return () -> {
      try {
        return PopulationReplay.run(folder);
      } catch (IOException e) {
        throw new ScenarioException("real-population replay: " + FileErrors.describe(e), e);
      }
    };
  }

  private Simulator.Progress progress(PrintWriter err) {
    if (quiet) {
      return new Simulator.Progress() {};
    }
    return new Simulator.Progress() {
      private int done;
      private int total;

      @Override
      public synchronized void started(int accounts, int points, int policies, int threads) {
        total = policies;
        err.printf(
            Locale.ROOT,
            "simulating %,d accounts over %,d marks under %d policies on %d threads%n",
            accounts,
            points,
            policies,
            threads);
        err.flush();
      }

      @Override
      public synchronized void finished(String policy, long millis) {
        done++;
        err.printf(
            Locale.ROOT,
            "[%d/%d] %-18s %6.1f s  (%s)%n",
            done,
            total,
            policy,
            millis / 1000.0,
            Policies.describe(policy));
        err.flush();
      }
    };
  }
}
