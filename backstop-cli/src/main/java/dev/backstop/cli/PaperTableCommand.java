package dev.backstop.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.paper.OnlineLearningMetrics;
import dev.backstop.sim.paper.PaperTable;
import dev.backstop.sim.paper.PolicyLoss;
import dev.backstop.sim.paper.WaveFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstop paper-table}: Table 2 of Chitra, Thogiti, Trujillo Ramirez and Xu,
 * "Autodeleveraging as Online Learning" (arXiv 2602.15182), recomputed from a per-wave file.
 */
@Command(
    name = "paper-table",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the online-learning metrics of Chitra, Thogiti, Trujillo Ramirez and Xu"
          + " (arXiv 2602.15182, Table 2) per policy found in a per-wave file: tracking error"
          + " sum|H_t - B_t|, fairness cost sum B_t*|m_t - m_t(minmax)|, total loss"
          + " tracking + lambda*fairness and budget taken; then the production overshoot"
          + " sum(H_prod,t - B_t) and the dynamic-regret bound sqrt((1 + 2P) sum D_t^2),"
          + " D_t being the wave's deficit (column deficit_usd)."
    })
public final class PaperTableCommand implements Callable<Integer> {

  /** Where the real per-wave file comes from, and the made-up one that ships. */
  static final String WAVES_SOURCE =
      "the real 2025-10-10 file is out/policy_per_wave_metrics.csv of"
          + " pluriholonomic/autodeleveraging-analysis (MIT), kept beside a checkout in"
          + " ../shared/data/hyperliquid-2025-10-10/ (docs/paper-table.md); examples/waves.csv is"
          + " a made-up file in its layout";

  @Spec CommandSpec spec;

  @Option(
      names = "--waves",
      required = true,
      paramLabel = "FILE.csv",
      description =
          "Per-wave file in the layout of adl_waves_policy_metrics.csv: budget_needed,"
              + " deficit_usd and, per policy X, budget_X and max_pct_X (prod and"
              + " fixed_point_ilp_integer required). Where the real 2025-10-10 file comes from:"
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
          "Path length P of the target severity in the regret bound, >= 0 (default:"
              + " ${DEFAULT-VALUE}, the paper's estimate for 2025-10-10).")
  double pathLength;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(
      names = "--lambda-sweep",
      description = "Also print the total loss for lambda in 0.5, 1, 1.5, 2 (the paper's Table 3).")
  boolean lambdaSweep;

  @Override
  public Integer call() {
    String output;
    try {
      CliInputs.readableFile("--waves", waves, WAVES_SOURCE);
      CliInputs.finiteNonNegative("--lambda", lambda);
      CliInputs.finiteNonNegative("--path-length", pathLength);
      PaperTable table = OnlineLearningMetrics.compute(WaveFile.read(waves), lambda, pathLength);
      output = json ? json(table) : text(table);
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("backstop paper-table: " + CliErrors.describe(e));
      return 1;
    }
    spec.commandLine().getOut().print(output);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private String text(PaperTable table) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Online-learning ADL metrics (arXiv 2602.15182, Table 2): %s, %d waves, lambda = %s%n%n",
            waves,
            table.waves(),
            Units.plainText(table.lambda())));
    int width = "policy".length();
    for (PolicyLoss row : table.rows()) {
      width = Math.max(width, row.policy().length());
    }
    String rowFormat = "%-" + width + "s  %16s  %16s  %16s  %16s  %14s%n";
    out.append(
        String.format(
            Locale.ROOT,
            rowFormat,
            "policy",
            "tracking",
            "fairness",
            "total",
            "taken",
            "total/bound"));
    for (PolicyLoss row : table.rows()) {
      out.append(
          String.format(
              Locale.ROOT,
              rowFormat,
              row.policy(),
              dollars(row.tracking()),
              dollars(row.fairness()),
              dollars(row.total()),
              dollars(row.taken()),
              percentOfBound(table, row)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nproduction overshoot O = sum_t (H_prod,t - B_t): %s%n",
            dollars(table.productionOvershoot())));
    out.append(
        String.format(
            Locale.ROOT,
            "dynamic-regret bound sqrt((1 + 2P) sum_t D_t^2), P = %s, D_t = deficit: %s%n",
            Units.plainText(table.pathLength()),
            dollars(table.regretBound())));
    if (lambdaSweep) {
      String sweepFormat = "%-" + width + "s" + "  %16s".repeat(PaperTable.SWEEP_LAMBDAS.size());
      Object[] heading = new Object[PaperTable.SWEEP_LAMBDAS.size() + 1];
      heading[0] = "policy";
      for (int i = 0; i < PaperTable.SWEEP_LAMBDAS.size(); i++) {
        heading[i + 1] = "lambda=" + Units.plainText(PaperTable.SWEEP_LAMBDAS.get(i));
      }
      out.append(String.format(Locale.ROOT, "%ntotal loss by lambda (Table 3):%n"));
      out.append(String.format(Locale.ROOT, sweepFormat + "%n", heading));
      for (PolicyLoss row : table.rows()) {
        Object[] cells = new Object[PaperTable.SWEEP_LAMBDAS.size() + 1];
        cells[0] = row.policy();
        for (int i = 0; i < PaperTable.SWEEP_LAMBDAS.size(); i++) {
          cells[i + 1] = dollars(row.totalLoss(PaperTable.SWEEP_LAMBDAS.get(i)));
        }
        out.append(String.format(Locale.ROOT, sweepFormat + "%n", cells));
      }
    }
    return out.toString();
  }

  /**
   * Amounts of money as decimal strings rounded to the micro-dollar ({@link Units#dollarsText}), as
   * everywhere on the wire; the weights, the path length and the share of the bound as plain JSON
   * numbers.
   */
  private String json(PaperTable table) throws IOException {
    // plain decimals (7.06), not 7.06E0
    ObjectMapper mapper =
        JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    ObjectNode root = mapper.createObjectNode();
    root.put("waves", table.waves());
    root.put("lambda", decimal(table.lambda()));
    root.put("pathLength", decimal(table.pathLength()));
    ArrayNode rows = root.putArray("rows");
    for (PolicyLoss row : table.rows()) {
      ObjectNode node = rows.addObject();
      node.put("policy", row.policy());
      node.put("tracking", Units.dollarsText(row.tracking()));
      node.put("fairness", Units.dollarsText(row.fairness()));
      node.put("total", Units.dollarsText(row.total()));
      node.put("taken", Units.dollarsText(row.taken()));
      node.put("overshoot", Units.dollarsText(row.overshoot()));
      node.put("waves", row.waves());
      if (table.shareOfBound(row).isPresent()) {
        node.put("shareOfBound", decimal(table.shareOfBound(row).getAsDouble()));
      } else {
        node.putNull("shareOfBound");
      }
    }
    root.put("overshoot", Units.dollarsText(table.productionOvershoot()));
    root.put("regretBound", Units.dollarsText(table.regretBound()));
    if (lambdaSweep) {
      ArrayNode sweep = root.putArray("lambdaSweep");
      for (double sweepLambda : PaperTable.SWEEP_LAMBDAS) {
        ObjectNode point = sweep.addObject();
        point.put("lambda", decimal(sweepLambda));
        ObjectNode totals = point.putObject("total");
        for (PolicyLoss row : table.rows()) {
          totals.put(row.policy(), Units.dollarsText(row.totalLoss(sweepLambda)));
        }
      }
    }
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root)
        + System.lineSeparator();
  }

  private static String percentOfBound(PaperTable table, PolicyLoss row) {
    OptionalDouble share = table.shareOfBound(row);
    return share.isPresent()
        ? String.format(Locale.ROOT, "%.2f%%", 100 * share.getAsDouble())
        : "n/a";
  }

  private static BigDecimal decimal(double value) {
    return BigDecimal.valueOf(value);
  }

  private static String dollars(double amount) {
    return String.format(Locale.ROOT, "%,.2f", amount);
  }
}
