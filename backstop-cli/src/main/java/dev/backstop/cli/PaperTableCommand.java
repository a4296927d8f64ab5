package dev.backstop.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.paper.BurdenNormalisation;
import dev.backstop.sim.paper.HorizonSweep;
import dev.backstop.sim.paper.LoserWaves;
import dev.backstop.sim.paper.OnlineLearningMetrics;
import dev.backstop.sim.paper.PaperTable;
import dev.backstop.sim.paper.PolicyLoss;
import dev.backstop.sim.paper.WaveCounterfactual;
import dev.backstop.sim.paper.WaveFile;
import dev.backstop.sim.replay.RealPopulation;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstop paper-table}: Table 2 of Chitra, Thogiti, Trujillo Ramirez and Xu,
 * "Autodeleveraging as Online Learning" (arXiv 2602.15182), recomputed from a per-wave file, with
 * the figures behind the paper's robustness claims (path length, undershoot, Table 3, the horizon
 * band) recomputed from the files beside it ({@code docs/paper-table.md}).
 */
@Command(
    name = "paper-table",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the online-learning metrics of Chitra, Thogiti, Trujillo Ramirez and Xu"
          + " (arXiv 2602.15182, Table 2) per policy found in a per-wave file: tracking error"
          + " sum|H_t - B_t|, fairness cost sum B_t*|m_t - m_t(minmax)|, total loss"
          + " tracking + lambda*fairness and budget taken; the tracking error split into"
          + " overshoot sum[H_t - B_t]+ and undershoot V_T = sum[B_t - H_t]+ (eq. 21); then the"
          + " production overshoot sum(H_prod,t - B_t), the path length P recomputed from the"
          + " file and the dynamic-regret bound sqrt((1 + 2P) sum D_t^2), D_t being the wave's"
          + " deficit (column deficit_usd), with the given P and with P from the file.",
      "Beside the per-wave file, adl_waves_bad_debt_losers.csv (each loser once) and"
          + " adl_horizon_sweep.csv (production's overshoot by evaluation horizon) are read when"
          + " present.",
      "With --per-wave, each wave's needed budget is also shared again by Backstop's own"
          + " allocators over the wave's capacity split among the real winners of"
          + " adl_by_user.csv, beside the file's precomputed columns; the output says which"
          + " figures are read and which recomputed (docs/paper-table.md)."
    })
public final class PaperTableCommand implements Callable<Integer> {

  /** Where the real per-wave file comes from, and the made-up one that ships. */
  static final String WAVES_SOURCE =
      "the real 2025-10-10 file is out/policy_per_wave_metrics.csv of"
          + " pluriholonomic/autodeleveraging-analysis (MIT), kept beside a checkout in"
          + " ../shared/data/hyperliquid-2025-10-10/ (docs/paper-table.md); examples/waves.csv is"
          + " a made-up file in its layout";

  /** The seed of the random policy in the per-wave counterfactual, as in the replay. */
  static final long COUNTERFACTUAL_SEED = 0;

  @Spec CommandSpec spec;

  @Option(
      names = "--waves",
      required = true,
      paramLabel = "FILE.csv",
      description =
          "Per-wave file in the layout of adl_waves_policy_metrics.csv: budget_needed,"
              + " deficit_usd and, per policy X, budget_X and max_pct_X (prod and"
              + " fixed_point_ilp_integer required; total_cap and max_burden_X optional). Where the real 2025-10-10 file comes from:"
              + " docs/paper-table.md; examples/waves.csv is a made-up file in its layout.")
  Path waves;

  @Option(
      names = "--lambda",
      paramLabel = "LAMBDA",
      defaultValue = "1",
      description =
          "Weight of the fairness cost in the total loss, >= 0 (default: ${DEFAULT-VALUE}).")
  double lambda;

  @Option(
      names = "--path-length",
      paramLabel = "P",
      defaultValue = "7.06",
      description =
          "Path length P of the target severity in the regret bound, >= 0 (default: ${DEFAULT-VALUE},"
              + " the paper's estimate for 2025-10-10); the bound with P recomputed from the file"
              + " is printed too.")
  double pathLength;

  @Option(
      names = "--burden",
      paramLabel = "NORM",
      defaultValue = "equity",
      description =
          "What the largest burdens m_t are normalised by: equity (default: max_pct_X as the file"
              + " gives them, as the upstream code computes them and Table 2 uses them) or"
              + " capacity (max x_i/u_i as the papers define it, where the file determines it:"
              + " max_burden_X columns, continuous pro rata pr as H_t/U_t; the benchmark is then"
              + " B_t/U_t; needs total_cap).")
  String burden;

  @Option(
      names = "--losers",
      paramLabel = "FILE.csv",
      description =
          "Per-wave losers in the layout of adl_waves_bad_debt_losers.csv (deficit_usd,"
              + " max_loss_usd; default: that file beside --waves, if there).")
  Path losers;

  @Option(
      names = "--count-losers-once",
      description =
          "Count each loser's deficit once: a wave's largest loss equal to an earlier wave's is"
              + " the same loser, left out of D_t (needs the losers file).")
  boolean countLosersOnce;

  @Option(
      names = "--horizons",
      paramLabel = "FILE.csv",
      description =
          "Production's totals by evaluation horizon in the layout of adl_horizon_sweep.csv"
              + " (default: that file beside --waves, if there).")
  Path horizons;

  @Option(
      names = "--per-wave",
      description =
          "Also recompute each wave with Backstop's allocators (queue, queue-full, pro-rata, rap,"
              + " min-max, random): the wave's budget_needed shared over its total_cap, split"
              + " among the winners of --users in proportion to their capacities; printed beside"
              + " the file's columns, with the checks where the inputs are the same.")
  boolean perWave;

  @Option(
      names = "--users",
      paramLabel = "FILE.csv",
      description =
          "Winners in the layout of adl_by_user.csv for --per-wave (default: that file beside"
              + " --waves).")
  Path users;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(
      names = "--lambda-sweep",
      description =
          "Also print the total loss for lambda in 0.5, 1, 1.5, 2 (the paper's Table 3) and"
              + " production's total over each policy's.")
  boolean lambdaSweep;

  /**
   * What was read and computed: the table asked for, the losers file if any, the same table with
   * the other deficits (as in the file, or each loser once; null without a losers file) and the
   * horizon sweep if any.
   */
  private record Report(
      PaperTable table,
      LoserWaves losers,
      PaperTable otherDeficits,
      HorizonSweep horizons,
      WaveCounterfactual counterfactual) {}

  @Override
  public Integer call() {
    String output;
    try {
      CliInputs.readableFile("--waves", waves, WAVES_SOURCE);
      CliInputs.finiteNonNegative("--lambda", lambda);
      CliInputs.finiteNonNegative("--path-length", pathLength);
      Report report = compute();
      output = json ? json(report) : text(report);
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("backstop paper-table: " + CliErrors.describe(e));
      return 1;
    }
    spec.commandLine().getOut().print(output);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private Report compute() throws IOException {
    BurdenNormalisation normalisation = normalisation();
    WaveFile file = WaveFile.read(waves);
    LoserWaves loserFile = read(losers, LoserWaves.FILE_NAME, LoserWaves::read);
    if (countLosersOnce && loserFile == null) {
      throw new IllegalArgumentException(
          "--count-losers-once needs --losers or " + LoserWaves.FILE_NAME + " beside --waves");
    }
    PaperTable asInFile =
        OnlineLearningMetrics.compute(file, lambda, pathLength, normalisation, null);
    PaperTable eachOnce =
        loserFile == null
            ? null
            : OnlineLearningMetrics.compute(
                file,
                lambda,
                pathLength,
                normalisation,
                loserFile.deficitsCountingEachLoserOnce(file));
    return new Report(
        countLosersOnce ? eachOnce : asInFile,
        loserFile,
        countLosersOnce ? asInFile : eachOnce,
        read(horizons, HorizonSweep.FILE_NAME, HorizonSweep::read),
        perWave ? counterfactual(file) : null);
  }

  /** The per-wave counterfactual over the winners of --users, or of the file beside --waves. */
  private WaveCounterfactual counterfactual(WaveFile file) throws IOException {
    Path winners = users != null ? users : waves.resolveSibling(RealPopulation.FILE_NAME);
    CliInputs.readableFile(
        "--users",
        winners,
        "--per-wave shares each wave over the winners of "
            + RealPopulation.FILE_NAME
            + " (beside --waves, or --users)");
    RealPopulation population = RealPopulation.read(winners);
    return WaveCounterfactual.compute(
        file, population.book(), population.source(), COUNTERFACTUAL_SEED);
  }

  private BurdenNormalisation normalisation() {
    for (BurdenNormalisation b : BurdenNormalisation.values()) {
      if (b.wireName().equals(burden)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "--burden: expected equity or capacity, not '" + burden + "'");
  }

  /** A reader of one kind of file. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(Path file) throws IOException;
  }

  /** The file given, else the one of that name beside --waves if it exists, else null. */
  private <T> T read(Path given, String sibling, Reader<T> reader) throws IOException {
    if (given != null) {
      return reader.read(given);
    }
    Path beside = waves.resolveSibling(sibling);
    return Files.isRegularFile(beside) ? reader.read(beside) : null;
  }

  private String text(Report report) {
    PaperTable table = report.table();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Online-learning ADL metrics (arXiv 2602.15182, Table 2): %s, %d waves, lambda = %s%n%n",
            waves,
            table.waves(),
            Units.plainText(table.lambda())));
    List<String> policies = new ArrayList<>();
    for (PolicyLoss row : table.rows()) {
      policies.add(row.policy());
    }
    table(
        out,
        "policy",
        List.of("tracking", "fairness", "total", "taken", "total/bound"),
        policies,
        p -> {
          PolicyLoss row = table.row(p);
          return List.of(
              dollars(row.tracking()),
              dollars(row.fairness()),
              dollars(row.total()),
              dollars(row.taken()),
              percent(table.shareOfBound(row)));
        });
    out.append(
        String.format(
            Locale.ROOT,
            "%nburdens m_t: %s%n",
            table.burden() == BurdenNormalisation.EQUITY
                ? "max_pct_X as the file gives them, normalised by equity (max x_i/e_i, as the"
                    + " upstream policy_per_wave.py computes them), not by capacity as the papers"
                    + " define m_t; --burden capacity for max x_i/u_i"
                : "max x_i/u_i, normalised by capacity as the papers define m_t; benchmark"
                    + " B_t/U_t (the min-max optimum, pro rata); n/a where the file does not"
                    + " determine it (max_pct_X is normalised by equity)"));
    out.append(
        String.format(
            Locale.ROOT,
            "%ntracking error = overshoot + undershoot (arXiv 2602.15182, section 3.7 and eq. 21):%n"));
    table(
        out,
        "policy",
        List.of("overshoot [H-B]+", "undershoot V_T", "signed H-B"),
        policies,
        p -> {
          PolicyLoss row = table.row(p);
          return List.of(
              dollars(row.overshootPositive()),
              dollars(row.undershoot()),
              dollars(row.overshoot()));
        });
    PolicyLoss prod = table.row(WaveFile.PRODUCTION);
    out.append(
        String.format(
            Locale.ROOT,
            "%nproduction overshoot O = sum_t (H_prod,t - B_t): %s (positive part %s,"
                + " undershoot V_T %s)%n",
            dollars(table.productionOvershoot()),
            dollars(prod.overshootPositive()),
            dollars(prod.undershoot())));
    String deficits = table.eachLoserOnce() ? "deficit, each loser once" : "deficit";
    out.append(
        String.format(
            Locale.ROOT,
            "path length P = sum_t |theta_t - theta_{t-1}|, theta_t = min(1, B_t / D_t): %s from"
                + " the file; the paper's estimate 7.06%n",
            fourDecimals(table.pathLengthFromFile())));
    out.append(
        String.format(
            Locale.ROOT,
            "dynamic-regret bound sqrt((1 + 2P) sum_t D_t^2), P = %s, D_t = %s: %s%n",
            Units.plainText(table.pathLength()),
            deficits,
            dollars(table.regretBound())));
    out.append(
        String.format(
            Locale.ROOT,
            "dynamic-regret bound with P from the file (%s): %s%n",
            fourDecimals(table.pathLengthFromFile()),
            dollars(table.regretBoundFromFile())));
    deficitsLine(out, report);
    if (lambdaSweep) {
      sweep(out, table, policies);
    }
    if (report.horizons() != null) {
      horizons(out, report.horizons());
    }
    if (report.counterfactual() != null) {
      PerWaveText.append(out, report.counterfactual(), lambda);
    }
    return out.toString();
  }

  private static void deficitsLine(StringBuilder out, Report report) {
    PaperTable table = report.table();
    if (report.losers() == null) {
      out.append(
          String.format(
              Locale.ROOT,
              "deficit sum_t D_t: %s (no losers file to count each loser once)%n",
              dollars(table.totalDeficit())));
      return;
    }
    PaperTable other = report.otherDeficits();
    double asInFile = table.eachLoserOnce() ? other.totalDeficit() : table.totalDeficit();
    double once = table.eachLoserOnce() ? table.totalDeficit() : other.totalDeficit();
    out.append(
        String.format(
            Locale.ROOT,
            "deficit sum_t D_t: %s as in the file, %s counting each loser once (a wave's largest"
                + " loss recurs in %d later waves); D_t above: %s%n",
            dollars(asInFile),
            dollars(once),
            report.losers().repeats(),
            table.eachLoserOnce() ? "each loser once" : "as in the file (--count-losers-once)"));
    if (!table.eachLoserOnce()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  each loser once: P from the file %s, bound %s with P = %s, %s with P from the"
                  + " file%n",
              fourDecimals(other.pathLengthFromFile()),
              dollars(other.regretBound()),
              Units.plainText(other.pathLength()),
              dollars(other.regretBoundFromFile())));
    }
  }

  /** One cell per lambda of Table 3's sweep. */
  private static List<String> perLambda(java.util.function.DoubleFunction<String> cell) {
    List<String> cells = new ArrayList<>();
    for (double l : PaperTable.SWEEP_LAMBDAS) {
      cells.add(cell.apply(l));
    }
    return cells;
  }

  private static void sweep(StringBuilder out, PaperTable table, List<String> policies) {
    List<String> headings = new ArrayList<>();
    for (double l : PaperTable.SWEEP_LAMBDAS) {
      headings.add("lambda=" + Units.plainText(l));
    }
    out.append(String.format(Locale.ROOT, "%ntotal loss by lambda (Table 3):%n"));
    table(
        out, "policy", headings, policies, p -> perLambda(l -> dollars(table.row(p).totalLoss(l))));
    out.append(
        String.format(
            Locale.ROOT,
            "%nproduction's total loss over each policy's (Table 3: \"about 40-46x worse than"
                + " replay-oracle per-round references\"):%n"));
    table(
        out,
        "policy",
        headings,
        policies,
        p ->
            perLambda(
                l -> {
                  OptionalDouble ratio = table.productionRatio(table.row(p), l);
                  return ratio.isPresent()
                      ? String.format(Locale.ROOT, "%,.2fx", ratio.getAsDouble())
                      : "n/a";
                }));
  }

  private static void horizons(StringBuilder out, HorizonSweep sweep) {
    out.append(
        String.format(
            Locale.ROOT,
            "%nproduction overshoot by evaluation horizon (%s; arXiv 2602.15182, Figure 3):%n",
            sweep.source()));
    List<String> labels = new ArrayList<>();
    for (HorizonSweep.Horizon h : sweep.rows()) {
      labels.add(h.horizonMillis() + " ms");
    }
    table(
        out,
        "horizon",
        List.of("needed", "production took", "overshoot"),
        labels,
        label -> {
          HorizonSweep.Horizon h = sweep.rows().get(labels.indexOf(label));
          return List.of(dollars(h.needed()), dollars(h.production()), dollars(h.overshoot()));
        });
    out.append(
        String.format(
            Locale.ROOT,
            "band: %s (%d ms) to %s (%d ms)%n",
            dollars(sweep.lowest().overshoot()),
            sweep.lowest().horizonMillis(),
            dollars(sweep.highest().overshoot()),
            sweep.highest().horizonMillis()));
  }

  /** An aligned table: a label column, then right-aligned cells, every row as wide. */
  static void table(
      StringBuilder out,
      String labelHeading,
      List<String> headings,
      List<String> labels,
      Function<String, List<String>> cells) {
    int width = labelHeading.length();
    for (String label : labels) {
      width = Math.max(width, label.length());
    }
    List<List<String>> rows = new ArrayList<>();
    int[] widths = new int[headings.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = Math.max(16, headings.get(c).length());
    }
    for (String label : labels) {
      List<String> row = cells.apply(label);
      rows.add(row);
      for (int c = 0; c < widths.length; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder format = new StringBuilder("%-" + width + "s");
    for (int w : widths) {
      format.append("  %").append(w).append('s');
    }
    format.append("%n");
    List<Object> heading = new ArrayList<>();
    heading.add(labelHeading);
    heading.addAll(headings);
    out.append(String.format(Locale.ROOT, format.toString(), heading.toArray()));
    for (int r = 0; r < labels.size(); r++) {
      List<Object> line = new ArrayList<>();
      line.add(labels.get(r));
      line.addAll(rows.get(r));
      out.append(String.format(Locale.ROOT, format.toString(), line.toArray()));
    }
  }

  /**
   * Amounts of money as decimal strings rounded to the micro-dollar ({@link Units#dollarsText}), as
   * everywhere on the wire; the weights, path lengths, ratios and shares as plain JSON numbers.
   */
  private String json(Report report) throws IOException {
    PaperTable table = report.table();
    // plain decimals (53782490.53022081), not 5.378249053022081E7
    ObjectMapper mapper =
        JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    ObjectNode root = mapper.createObjectNode();
    root.put("waves", table.waves());
    root.put("lambda", decimal(table.lambda()));
    root.put("pathLength", decimal(table.pathLength()));
    root.put("burden", table.burden().wireName());
    root.put("deficits", table.eachLoserOnce() ? "each-loser-once" : "file");
    root.put("totalDeficit", money(table.totalDeficit()));
    ArrayNode rows = root.putArray("rows");
    for (PolicyLoss row : table.rows()) {
      ObjectNode node = rows.addObject();
      node.put("policy", row.policy());
      node.put("tracking", money(row.tracking()));
      node.put("fairness", money(row.fairness()));
      node.put("total", money(row.total()));
      node.put("taken", money(row.taken()));
      node.put("overshoot", money(row.overshoot()));
      node.put("overshootPositive", money(row.overshootPositive()));
      node.put("undershoot", money(row.undershoot()));
      node.put("waves", row.waves());
      OptionalDouble share = table.shareOfBound(row);
      node.put("shareOfBound", share.isPresent() ? decimal(share.getAsDouble()) : null);
    }
    PolicyLoss prod = table.row(WaveFile.PRODUCTION);
    root.put("overshoot", money(table.productionOvershoot()));
    root.put("overshootPositive", money(prod.overshootPositive()));
    root.put("undershoot", money(prod.undershoot()));
    root.put("regretBound", money(table.regretBound()));
    root.put("pathLengthFromFile", decimal(table.pathLengthFromFile()));
    root.put("regretBoundFromFile", money(table.regretBoundFromFile()));
    if (report.losers() != null) {
      PaperTable other = report.otherDeficits();
      ObjectNode alternative = root.putObject(table.eachLoserOnce() ? "asInFile" : "eachLoserOnce");
      alternative.put("totalDeficit", money(other.totalDeficit()));
      alternative.put("pathLengthFromFile", decimal(other.pathLengthFromFile()));
      alternative.put("regretBound", money(other.regretBound()));
      alternative.put("regretBoundFromFile", money(other.regretBoundFromFile()));
      alternative.put("repeatedLosers", report.losers().repeats());
    }
    if (lambdaSweep) {
      ArrayNode sweep = root.putArray("lambdaSweep");
      for (double sweepLambda : PaperTable.SWEEP_LAMBDAS) {
        ObjectNode point = sweep.addObject();
        point.put("lambda", decimal(sweepLambda));
        ObjectNode totals = point.putObject("total");
        ObjectNode ratios = point.putObject("productionRatio");
        for (PolicyLoss row : table.rows()) {
          totals.put(row.policy(), money(row.totalLoss(sweepLambda)));
          OptionalDouble ratio = table.productionRatio(row, sweepLambda);
          ratios.put(row.policy(), ratio.isPresent() ? decimal(ratio.getAsDouble()) : null);
        }
      }
    }
    if (report.counterfactual() != null) {
      root.set("perWave", PerWaveText.json(mapper, report.counterfactual(), lambda));
    }
    if (report.horizons() != null) {
      HorizonSweep sweep = report.horizons();
      ObjectNode node = root.putObject("horizons");
      node.put("source", sweep.source());
      ArrayNode list = node.putArray("rows");
      for (HorizonSweep.Horizon h : sweep.rows()) {
        ObjectNode r = list.addObject();
        r.put("horizonMs", h.horizonMillis());
        r.put("deficit", money(h.deficit()));
        r.put("needed", money(h.needed()));
        r.put("production", money(h.production()));
        r.put("overshoot", money(h.overshoot()));
      }
      node.put("lowestOvershoot", money(sweep.lowest().overshoot()));
      node.put("highestOvershoot", money(sweep.highest().overshoot()));
    }
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root)
        + System.lineSeparator();
  }

  private static String percent(OptionalDouble share) {
    return share.isPresent()
        ? String.format(Locale.ROOT, "%.2f%%", 100 * share.getAsDouble())
        : "n/a";
  }

  /** Money as a decimal string to the micro-dollar; null when unknown (NaN). */
  static String money(double amount) {
    return Double.isNaN(amount) ? null : Units.dollarsText(amount);
  }

  /** A statistic as a JSON decimal; null when unknown (NaN). */
  static BigDecimal decimal(double value) {
    return Double.isNaN(value) ? null : BigDecimal.valueOf(value);
  }

  private static String fourDecimals(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /** Dollars to the cent; float round-off below half a cent shows as 0.00, not -0.00. */
  static String dollars(double amount) {
    if (Double.isNaN(amount)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%,.2f", Math.abs(amount) < 0.005 ? 0 : amount);
  }
}
