package dev.backstop.cli;

import dev.backstop.sim.report.RunInfo;
import dev.backstop.sim.report.SweepReport;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.ScenarioException;
import dev.backstop.sim.scenario.Scenarios;
import dev.backstop.sim.sweep.Sweep;
import dev.backstop.sim.sweep.SweepParameter;
import dev.backstop.sim.sweep.SweepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstop sweep}: one scenario parameter over a range, every policy at every value, with a
 * table per metric on the terminal and {@code sweep.html} (a chart per metric against the
 * parameter), {@code sweep.json} and {@code sweep.csv} ({@code docs/scenarios.md}).
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a scenario once per value of one parameter (the insurance fund, the book's depth, its"
          + " thinning, the crash's depth, duration or waves, the rebound, the traders' leverage or"
          + " number, the volatility) under each policy, the runs spread over the machine's cores;"
          + " prints one table per metric (policies as rows, values as columns) and writes"
          + " sweep.html (a chart of each metric against the parameter), sweep.json and"
          + " sweep.csv. The result does not depend on the number of threads."
    })
public final class SweepCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "NAME|FILE",
      defaultValue = Scenarios.DEFAULT,
      completionCandidates = SimulateCommand.BuiltInScenarios.class,
      description =
          "A built-in scenario (${COMPLETION-CANDIDATES}) or a scenario file (default:"
              + " ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--param",
      required = true,
      paramLabel = "NAME",
      completionCandidates = Parameters.class,
      description = "The parameter to vary, one of ${COMPLETION-CANDIDATES} (docs/scenarios.md).")
  String param;

  @Option(
      names = "--values",
      paramLabel = "V",
      split = ",",
      splitSynopsisLabel = ",",
      description = "The values, in the parameter's unit (USD for fund and depth).")
  List<String> values = List.of();

  @Option(names = "--from", paramLabel = "A", description = "First value of an even range.")
  String from;

  @Option(names = "--to", paramLabel = "B", description = "Last value of an even range.")
  String to;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description = "Values of the range from --from to --to, at least 2 (default: 5).")
  Integer steps;

  @Option(
      names = "--policies",
      paramLabel = "POLICY",
      split = ",",
      splitSynopsisLabel = ",",
      completionCandidates = SimulateCommand.SimulatedPolicies.class,
      description = "Policies to compare (default: the scenario's list, else all).")
  List<String> policies = List.of();

  @Option(
      names = "--accounts",
      paramLabel = "N",
      description = "Override the number of accounts of a synthetic population.")
  Integer accounts;

  @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed.")
  Long seed;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads, one run each, at least 1 (default: one per core).")
  Integer threads;

  @Option(
      names = "--metrics",
      paramLabel = "HEADING",
      split = ",",
      splitSynopsisLabel = ",",
      completionCandidates = Headings.class,
      description =
          "The terminal's tables, by short heading, any of ${COMPLETION-CANDIDATES} (default:"
              + " shortfall, taken, overshoot, burden, bad debt); the files have every metric.")
  List<String> metrics = SweepReport.DEFAULT_METRICS;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "out/sweep",
      description =
          "Directory for sweep.html, sweep.json and sweep.csv (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--quiet", description = "No progress on standard error.")
  boolean quiet;

  /** The parameters, for the help and shell completion. */
  static final class Parameters implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return SweepParameter.names().iterator();
    }
  }

  /** The metrics' short headings, for the help and shell completion. */
  static final class Headings implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return SweepReport.headings().iterator();
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    RunInfo run = RunInfos.of(spec);
    SweepResult result;
    String table;
    try {
      SweepParameter parameter = SweepParameter.of(param);
      List<Double> points = points();
      if (threads != null) {
        CliInputs.atLeast("--threads", threads, 1, "leave it out for one per core");
      }
      if (accounts != null) {
        CliInputs.between("--accounts", accounts, Scenario.MIN_ACCOUNTS, Scenario.MAX_ACCOUNTS);
      }
      CliInputs.writableDirectory("--out", out);
      SweepReport.checkMetrics(metrics);
      Scenario s = Scenarios.load(scenario);
      if (seed != null) {
        s = s.withSeed(seed);
      }
      if (accounts != null) {
        s = s.withAccounts(accounts);
      }
      result =
          Sweep.run(s, parameter, points, policies, threads == null ? 0 : threads, progress(err));
      table = SweepReport.terminal(result, metrics);
      SweepReport.writeAll(result, run, out);
    } catch (ScenarioException | IllegalArgumentException e) {
      err.println("backstop sweep: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("backstop sweep: cannot write the report: " + CliErrors.describe(e));
      return 1;
    } catch (UncheckedIOException e) {
      err.println("backstop sweep: cannot write the report: " + CliErrors.describe(e.getCause()));
      return 1;
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(table);
    stdout.println();
    stdout.println("Report: " + out.resolve(SweepReport.HTML).toAbsolutePath().normalize());
    stdout.flush();
    if (!result.conserved()) {
      err.println("backstop sweep: value was not conserved in a run; see " + SweepReport.CSV);
      return 2;
    }
    return 0;
  }

  /** The values: --values, or --steps evenly spaced from --from to --to. */
  private List<Double> points() {
    boolean range = from != null || to != null || steps != null;
    if (range == !values.isEmpty()) {
      throw new IllegalArgumentException(
          "give either --values V,V,... or --from A --to B [--steps N]");
    }
    if (!range) {
      List<Double> out = new ArrayList<>();
      for (String v : values) {
        out.add(number("--values", v));
      }
      return out;
    }
    if (from == null || to == null) {
      throw new IllegalArgumentException("--from and --to go together");
    }
    int n = steps == null ? 5 : CliInputs.between("--steps", steps, 2, Sweep.MAX_VALUES);
    BigDecimal a = BigDecimal.valueOf(number("--from", from));
    BigDecimal b = BigDecimal.valueOf(number("--to", to));
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // exact decimal steps, so 0.1 to 0.5 gives 0.1, 0.2, ... and not 0.30000000000000004
      BigDecimal step = b.subtract(a).multiply(BigDecimal.valueOf(i));
      out.add(a.add(step.divide(BigDecimal.valueOf(n - 1), MathContext.DECIMAL64)).doubleValue());
    }
    return out;
  }

  private static double number(String option, String text) {
    try {
      double v = Double.parseDouble(text.strip());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + ": '" + text + "' is not a number");
  }

  private Sweep.Progress progress(PrintWriter err) {
    if (quiet) {
      return new Sweep.Progress() {};
    }
    return new Sweep.Progress() {
      @Override
      public void started(int points, int policyCount, int workers) {
        err.printf(
            Locale.ROOT,
            "sweeping %s: %d runs (%d values x %d policies) on %d threads%n",
            param,
            points * policyCount,
            points,
            policyCount,
            workers);
        err.flush();
      }

      @Override
      public void finished(double value, String policy, long millis, int done, int runs) {
        err.printf(
            Locale.ROOT,
            "[%d/%d] %s=%s %-18s %6.1f s%n",
            done,
            runs,
            param,
            SweepParameter.text(value),
            policy,
            millis / 1000.0);
        err.flush();
      }
    };
  }
}
