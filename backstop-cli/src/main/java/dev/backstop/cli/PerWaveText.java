package dev.backstop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.sim.paper.PolicyLoss;
import dev.backstop.sim.paper.WaveCounterfactual;
import dev.backstop.sim.paper.WaveCounterfactual.Cell;
import dev.backstop.sim.paper.WaveCounterfactual.Wave;
import dev.backstop.sim.paper.WaveFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code paper-table --per-wave}: the per-wave counterfactual ({@link WaveCounterfactual}) as text
 * and JSON, every figure labelled read (from the per-wave file) or recomputed (by Backstop's
 * allocators).
 */
final class PerWaveText {

  /** Why a column of the file has no recomputed counterpart, by its policy name. */
  private static final Map<String, String> NOT_RECOMPUTED =
      Map.of(
          WaveFile.PRODUCTION,
          "the realised production queue on the real positions",
          "contract_pr",
          "integer contracts: needs the per-coin gap per contract and the winners' positions",
          "vector",
          "per-coin mirror descent: needs the per-coin gap per contract and the winners' positions",
          WaveFile.MIN_MAX_BENCHMARK,
          "integer contracts: needs the per-coin gap per contract and the winners' positions",
          "pnl_pr",
          "weights by per-wave PnL, which the data does not give per account",
          "eq_pr",
          "weights by per-wave equity, which the data does not give per account");

  private PerWaveText() {}

  /** The text section, after the paper's tables. */
  static void append(StringBuilder out, WaveCounterfactual c, double lambda) {
    WaveFile file = c.file();
    out.append(
        String.format(
            Locale.ROOT,
            "%nPer-wave counterfactual (--per-wave). READ from %s: B_t (budget_needed), D_t"
                + " (deficit_usd), U_t (total_cap) and the paper's columns budget_X and max_pct_X."
                + " RECOMPUTED by Backstop's allocators (dev.backstop.core.adl.allocation): each"
                + " wave's B_t shared over its U_t, split among the %,d winners of %s in proportion"
                + " to the PnL each realised by ADL over the whole event (an assumption: the"
                + " shared data has no per-account capacities per wave), each wave on its own.%n",
            file.source(),
            c.winners(),
            c.winnersSource()));
    List<String> labels = new ArrayList<>();
    for (Wave w : c.waves()) {
      labels.add(w.label());
    }
    labels.add("total");
    List<String> headings = new ArrayList<>(List.of("B_t read", "U_t read"));
    for (String policy : WaveCounterfactual.POLICIES) {
      headings.add(policy);
    }
    out.append(
        String.format(
            Locale.ROOT, "%nbudget H_t taken, dollars (each policy's column recomputed):%n"));
    PaperTableCommand.table(
        out,
        "wave",
        headings,
        labels,
        label -> {
          List<String> cells = new ArrayList<>();
          cells.add(PaperTableCommand.dollars(sum(c, label, Wave::needed)));
          cells.add(PaperTableCommand.dollars(sum(c, label, Wave::capacity)));
          for (String policy : WaveCounterfactual.POLICIES) {
            cells.add(PaperTableCommand.dollars(sum(c, label, w -> w.cell(policy).budget())));
          }
          return cells;
        });
    List<String> waveLabels = labels.subList(0, labels.size() - 1);
    List<String> burdenHeadings = new ArrayList<>(List.of("B_t/U_t read"));
    burdenHeadings.addAll(WaveCounterfactual.POLICIES);
    out.append(
        String.format(
            Locale.ROOT,
            "%nlargest burden m_t = max x_i/u_i, by capacity (each policy's column recomputed):%n"));
    PaperTableCommand.table(
        out,
        "wave",
        burdenHeadings,
        waveLabels,
        label -> {
          int t = waveLabels.indexOf(label);
          Wave w = c.waves().get(t);
          List<String> cells = new ArrayList<>();
          cells.add(burden(file.minMaxCapacityBurden(t)));
          for (String policy : WaveCounterfactual.POLICIES) {
            cells.add(burden(w.cell(policy).largestBurden()));
          }
          return cells;
        });
    fileColumns(out, c, waveLabels);
    matches(out, c);
    out.append(
        String.format(
            Locale.ROOT,
            "%nTable 2 with Backstop's allocations (RECOMPUTED; burdens by capacity, benchmark"
                + " m_t(minmax) = Backstop's min-max, lambda = %s):%n",
            dev.backstop.sim.num.Units.plainText(lambda)));
    List<PolicyLoss> losses = c.losses(lambda);
    PaperTableCommand.table(
        out,
        "policy",
        List.of("tracking", "fairness", "total", "taken", "overshoot [H-B]+", "undershoot V_T"),
        WaveCounterfactual.POLICIES,
        p -> {
          PolicyLoss row = losses.get(WaveCounterfactual.POLICIES.indexOf(p));
          return List.of(
              PaperTableCommand.dollars(row.tracking()),
              PaperTableCommand.dollars(row.fairness()),
              PaperTableCommand.dollars(row.total()),
              PaperTableCommand.dollars(row.taken()),
              PaperTableCommand.dollars(row.overshootPositive()),
              PaperTableCommand.dollars(row.undershoot()));
        });
  }

  /** The file's own budget and burden of each policy that has both, per wave (read). */
  private static void fileColumns(StringBuilder out, WaveCounterfactual c, List<String> labels) {
    WaveFile file = c.file();
    out.append(String.format(Locale.ROOT, "%nthe file's budgets budget_X, dollars (READ):%n"));
    PaperTableCommand.table(
        out,
        "wave",
        file.policies(),
        labels,
        label -> {
          int t = labels.indexOf(label);
          return file.policies().stream()
              .map(p -> PaperTableCommand.dollars(file.budget(p, t)))
              .toList();
        });
    out.append(
        String.format(
            Locale.ROOT,
            "%nthe file's largest burdens max_pct_X (READ; normalised by equity, max x_i/e_i, not by"
                + " capacity):%n"));
    PaperTableCommand.table(
        out,
        "wave",
        file.policies(),
        labels,
        label -> {
          int t = labels.indexOf(label);
          return file.policies().stream().map(p -> burden(file.largestBurden(p, t))).toList();
        });
  }

  private static void matches(StringBuilder out, WaveCounterfactual c) {
    out.append(String.format(Locale.ROOT, "%nmatch where the inputs are the same:%n"));
    if (c.hasFileProRata()) {
      check(
          out,
          "pro-rata (recomputed) vs pr (read), budget H_t",
          c.proRataBudgetGap(),
          WaveCounterfactual.BUDGET_TOLERANCE,
          " USD");
      check(
          out,
          "pro-rata (recomputed) vs pr by capacity, budget_pr/total_cap (read), burden m_t",
          c.proRataBurdenGap(),
          WaveCounterfactual.BURDEN_TOLERANCE,
          "");
    } else {
      out.append("  no column pr in the file: pro-rata is not compared\n");
    }
    check(
        out,
        "min-max (recomputed) vs min(B_t, U_t) (read), budget H_t",
        c.minMaxBudgetGap(),
        WaveCounterfactual.BUDGET_TOLERANCE,
        " USD");
    check(
        out,
        "min-max (recomputed) vs the least burden B_t/U_t (read), burden m_t",
        c.minMaxBurdenGap(),
        WaveCounterfactual.BURDEN_TOLERANCE,
        "");
    out.append(
        "  recomputed only (they depend on how each wave's capacity is split among its winners,"
            + " which the data does not give): queue, queue-full, rap, random\n");
    for (String policy : c.file().policies()) {
      if (policy.equals(WaveFile.WEALTH_PRO_RATA)) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  read only: %s (%s)%n",
              policy,
              NOT_RECOMPUTED.getOrDefault(policy, "no Backstop counterpart")));
    }
  }

  private static void check(
      StringBuilder out, String what, double gap, double tolerance, String unit) {
    out.append(
        String.format(
            Locale.ROOT,
            "  %s: largest gap over the waves %s%s (tolerance %s%s): %s%n",
            what,
            String.format(Locale.ROOT, "%.3g", gap),
            unit,
            String.format(Locale.ROOT, "%.0e", tolerance),
            unit,
            gap <= tolerance ? "match" : "NO MATCH"));
  }

  /** The per-wave section of {@code --json}. */
  static ObjectNode json(ObjectMapper mapper, WaveCounterfactual c, double lambda) {
    WaveFile file = c.file();
    ObjectNode node = mapper.createObjectNode();
    node.put("waves", file.source());
    node.put("users", c.winnersSource());
    node.put("winners", c.winners());
    node.put(
        "read",
        "budget_needed, deficit_usd, total_cap and the file's budget_X and max_pct_X (by equity)");
    node.put(
        "recomputed",
        "each wave's budget_needed shared over its total_cap, split among the winners in"
            + " proportion to their pooled capacities, by Backstop's allocators");
    ArrayNode list = node.putArray("rows");
    for (int t = 0; t < c.waves().size(); t++) {
      Wave w = c.waves().get(t);
      ObjectNode r = list.addObject();
      r.put("wave", w.label());
      r.put("needed", PaperTableCommand.money(w.needed()));
      r.put("deficit", PaperTableCommand.money(w.deficit()));
      r.put("capacity", PaperTableCommand.money(w.capacity()));
      r.put("leastBurden", PaperTableCommand.decimal(file.minMaxCapacityBurden(t)));
      ObjectNode recomputed = r.putObject("recomputed");
      for (String policy : WaveCounterfactual.POLICIES) {
        Cell cell = w.cell(policy);
        ObjectNode p = recomputed.putObject(policy);
        p.put("budget", PaperTableCommand.money(cell.budget()));
        p.put("largestBurden", PaperTableCommand.decimal(cell.largestBurden()));
        p.put("accountsHit", cell.accountsHit());
      }
      ObjectNode read = r.putObject("file");
      for (String policy : file.policies()) {
        ObjectNode p = read.putObject(policy);
        p.put("budget", PaperTableCommand.money(file.budget(policy, t)));
        p.put("maxPctByEquity", PaperTableCommand.decimal(file.largestBurden(policy, t)));
        p.put("burdenByCapacity", PaperTableCommand.decimal(file.capacityBurden(policy, t)));
      }
    }
    ObjectNode match = node.putObject("match");
    match.put("budgetTolerance", PaperTableCommand.decimal(WaveCounterfactual.BUDGET_TOLERANCE));
    match.put("burdenTolerance", PaperTableCommand.decimal(WaveCounterfactual.BURDEN_TOLERANCE));
    match.put("proRataBudgetGap", PaperTableCommand.decimal(c.proRataBudgetGap()));
    match.put("proRataBurdenGap", PaperTableCommand.decimal(c.proRataBurdenGap()));
    match.put("minMaxBudgetGap", PaperTableCommand.decimal(c.minMaxBudgetGap()));
    match.put("minMaxBurdenGap", PaperTableCommand.decimal(c.minMaxBurdenGap()));
    ArrayNode losses = node.putArray("losses");
    for (PolicyLoss row : c.losses(lambda)) {
      ObjectNode r = losses.addObject();
      r.put("policy", row.policy());
      r.put("tracking", PaperTableCommand.money(row.tracking()));
      r.put("fairness", PaperTableCommand.money(row.fairness()));
      r.put("total", PaperTableCommand.money(row.total()));
      r.put("taken", PaperTableCommand.money(row.taken()));
      r.put("overshootPositive", PaperTableCommand.money(row.overshootPositive()));
      r.put("undershoot", PaperTableCommand.money(row.undershoot()));
    }
    return node;
  }

  /** A wave's figure, or the sum over the waves for the row {@code total}. */
  private static double sum(WaveCounterfactual c, String label, ToDoubleFunction<Wave> value) {
    if (!label.equals("total")) {
      for (Wave w : c.waves()) {
        if (w.label().equals(label)) {
          return value.applyAsDouble(w);
        }
      }
    }
    double total = 0;
    for (Wave w : c.waves()) {
      total += value.applyAsDouble(w);
    }
    return total;
  }

  /** A burden as a percent with four decimals; n/a when unknown. */
  private static String burden(double share) {
    return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.4f%%", 100 * share);
  }
}
