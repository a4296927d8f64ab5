package dev.backstop.sim.report;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison {@code backstop simulate} prints: a short header (scenario, seed, accounts, the
 * price path), one row per policy under short headings, a legend that spells the headings out, and,
 * when the real-population replay ran, its table.
 *
 * <p>Money is rounded to whole dollars (half up) with thousands separators; shares are percents
 * with one decimal; Gini, PTSR and PMR have two decimals (three in the replay table). Columns are
 * as wide as their widest cell, so a typical run fits in about 160 columns. Plain ASCII, {@code \n}
 * line ends.
 */
public final class TerminalTable {

  /** The width that header and legend lines are wrapped to. */
  private static final int WRAP = 120;

  /** The widest a legend is wrapped to, however wide its table. */
  private static final int MAX_WIDTH = 160;

  private static final String GAP = "  ";

  private TerminalTable() {}

  /** The table text, ending with a line break. */
  public static String render(SimulationResult result) {
    StringBuilder out = new StringBuilder();
    header(out, result);
    out.append('\n');
    policies(out, result);
    if (result.replay() != null) {
      out.append('\n');
      replay(out, result.replay());
    }
    return out.toString();
  }

  private static void header(StringBuilder out, SimulationResult result) {
    out.append("Scenario ").append(result.scenario()).append('\n');
    if (result.description() != null && !result.description().isBlank()) {
      wrap(out, result.description(), "  ");
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  market %s, seed %d, %s accounts, open interest %s (long size)%n",
            result.market(),
            result.seed(),
            Formats.count(result.accounts()),
            Formats.amount(result.openInterest().toDouble())));
    PathSummary path = PathSummary.of(result.path());
    if (path.points() == 0) {
      out.append("  price path: empty\n");
    } else {
      out.append(
          String.format(
              Locale.ROOT,
              "  price path: %s points over %s, mark %s -> %s (low %s), max drawdown %s%n",
              Formats.count(path.points()),
              Formats.minutes(path.durationMillis()),
              Formats.amount(path.start()),
              Formats.amount(path.end()),
              Formats.amount(path.low()),
              Formats.percent(path.maxDrawdown())));
    }
  }

  /**
   * The policies in three tables, each a row per policy: the fund, the backstop and the sharing;
   * the waterfall per layer; when the backstop acted and the liquidity's equity. Each has its
   * legend.
   */
  private static void policies(StringBuilder out, SimulationResult result) {
    policyTable(out, result, null, MetricColumn.TERMINAL);
    out.append('\n');
    policyTable(
        out,
        result,
        "The waterfall: filled by the liquidity (the book's makers, or a pool's LP), taken over by"
            + " the fund's account or a vault, sent to the backstop; then the deleveraging fills",
        MetricColumn.TERMINAL_WATERFALL);
    out.append('\n');
    policyTable(
        out,
        result,
        "When the backstop acted, and what the liquidity was left with",
        MetricColumn.TERMINAL_TIMING);
  }

  private static void policyTable(
      StringBuilder out, SimulationResult result, String title, List<MetricColumn> columns) {
    if (title != null) {
      wrap(out, title, "");
    }
    List<String> headings = new ArrayList<>();
    headings.add("policy");
    for (MetricColumn column : columns) {
      headings.add(column.heading());
    }
    List<List<String>> rows = new ArrayList<>();
    for (PolicyResult policy : result.policies()) {
      List<String> row = new ArrayList<>();
      row.add(policy.policy());
      for (MetricColumn column : columns) {
        row.add(column.rounded().apply(policy.metrics()));
      }
      rows.add(row);
    }
    int width = table(out, headings, rows);
    StringBuilder legend = new StringBuilder("Legend: ");
    for (int i = 0; i < columns.size(); i++) {
      MetricColumn column = columns.get(i);
      legend.append(i == 0 ? "" : "; ").append(column.heading()).append(" = ");
      legend.append(column.meaning());
    }
    legend.append(". Money in whole dollars.");
    out.append('\n');
    wrap(out, legend.toString(), "", Math.min(MAX_WIDTH, Math.max(WRAP, width)));
  }

  private static void replay(StringBuilder out, ReplayResult replay) {
    out.append(
        String.format(
            Locale.ROOT,
            "Real-population replay (%s): %s winners, capacity %s%n",
            replay.source(),
            Formats.count(replay.winners()),
            Formats.wholeDollars(replay.capacity())));
    replayRows(out, replay.budget(), replay.rows(), "");
    if (!replay.perWave().isEmpty()) {
      out.append('\n');
      replayRows(
          out,
          replay.neededBudget(),
          replay.perWave(),
          " (the papers' B_t, each wave sharing what the earlier ones left)");
    }
  }

  private static void replayRows(
      StringBuilder out, Decimal budget, List<ReplayRow> rows, String note) {
    out.append(
        String.format(
            Locale.ROOT,
            "budget %s: %s%s%n",
            rows.get(0).basis(),
            Formats.wholeDollars(budget),
            note));
    List<String> headings =
        List.of("policy", "taken", "accounts hit", "largest burden", "top-10 share", "Gini");
    List<List<String>> cells = new ArrayList<>();
    for (ReplayRow row : rows) {
      cells.add(
          List.of(
              row.policy(),
              Formats.wholeDollars(row.taken()),
              Formats.count(row.accountsHit()),
              Formats.percent(row.largestBurden()),
              Formats.percent(row.top10Share()),
              Formats.ratio(row.gini(), 3)));
    }
    table(out, headings, cells);
  }

  /**
   * Appends the headings, a rule and the rows: the first column left-aligned, the others
   * right-aligned, each as wide as its widest cell. Returns the table's width.
   */
  static int table(StringBuilder out, List<String> headings, List<List<String>> rows) {
    int[] widths = new int[headings.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headings.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    line(out, headings, widths);
    int total = 0;
    for (int width : widths) {
      total += width;
    }
    total += GAP.length() * (widths.length - 1);
    out.append("-".repeat(total)).append('\n');
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return total;
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      if (c == 0) {
        line.append(cell).append(pad);
      } else {
        line.append(GAP).append(pad).append(cell);
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private static void wrap(StringBuilder out, String text, String indent) {
    wrap(out, text, indent, WRAP);
  }

  /** Appends {@code text} broken at spaces into lines of at most {@code width} characters. */
  static void wrap(StringBuilder out, String text, String indent, int width) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.trim().split("\\s+")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line.setLength(0);
        line.append(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    out.append(line).append('\n');
  }
}
