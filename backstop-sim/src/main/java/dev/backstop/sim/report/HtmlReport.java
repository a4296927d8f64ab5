package dev.backstop.sim.report;

import dev.backstop.sim.io.AtomicFile;
import dev.backstop.sim.paper.WaveCounterfactual;
import dev.backstop.sim.paper.WaveFile;
import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: one self-contained page that compares the policies of a {@code backstop
 * simulate} run. Nothing is fetched: the stylesheet, the chart library (uPlot, {@link
 * ChartLibrary}) and each chart's data are inlined, so the file opens offline.
 *
 * <p>At the top, the headline finding ({@link Headline}), the scenario's facts and where the report
 * came from ({@link RunInfo}: version, commit, command line, date). Then every policy with what it
 * does, its conservation check and state hash; the metrics in three tables with the policies as
 * rows (the {@link TerminalTable} figures, money in whole dollars; the exact amounts are in
 * summary.json and summary.csv); and five chart sections, each with a paragraph on how to read it:
 * the price path with liquidation and backstop markers and the book's depth; the insurance fund per
 * policy; the ADL budget needed, taken and the overshoot; the distribution of burdens {@code
 * x_i/u_i}; and, when the real-population replay ran, its Lorenz curves and concentration. The
 * charts are interactive: hover for values, click a legend entry to hide or show its series, drag
 * across a line chart to zoom (double click to zoom out). The metrics follow Chitra (arXiv
 * 2512.01112), Chitra, Thogiti, Trujillo Ramirez and Xu (arXiv 2602.15182) and Campbell, Hey,
 * Moallemi and Nutz (arXiv 2603.15963), cited on the page.
 *
 * <p>Every piece of text from the result is HTML-escaped; chart data sits in {@code <script
 * type="application/json">} elements with {@code <} escaped.
 */
public final class HtmlReport {

  /** The file's name in a report directory. */
  public static final String FILE_NAME = "report.html";

  /** The ids of the chart sections, in page order. */
  static final List<String> CHART_SECTIONS =
      List.of(
          "price-path", "insurance-fund", "adl-budget", "haircut-distribution", "real-population");

  static final String CSS =
      """
      :root { color-scheme: light; }
      body { margin: 0; background: #f6f6f3; color: #222;
        font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
      main { max-width: 1240px; margin: 0 auto; padding: 28px 28px 48px; background: #fff; }
      .headline { background: #fff8e6; border-left: 4px solid #e69f00; padding: 10px 14px;
        margin: 14px 0; font-size: 15.5px; }
      .headline p { margin: 2px 0; }
      h1 { font-size: 26px; margin: 0 0 4px; font-weight: 600; }
      h2 { font-size: 19px; margin: 36px 0 8px; font-weight: 600;
        border-bottom: 1px solid #e3e3de; padding-bottom: 4px; }
      h3 { font-size: 15px; margin: 18px 0 6px; font-weight: 600; }
      p { margin: 6px 0 10px; }
      .lede { color: #444; }
      .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px;
        margin: 12px 0; font-size: 14px; }
      .facts dt { color: #666; }
      .facts dd { margin: 0; font-variant-numeric: tabular-nums; }
      nav { font-size: 14px; margin: 14px 0 0; color: #666; }
      nav a { color: #1f5f99; text-decoration: none; margin-right: 12px; }
      a { color: #1f5f99; }
      .ok { background: #e3f4e6; color: #17612b; border: 1px solid #a8d8b2; }
      .bad { background: #fbe5e3; color: #9b1c14; border: 1px solid #eab0aa; font-weight: 600; }
      .hash { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; color: #777; }
      table { border-collapse: collapse; font-size: 13.5px; margin: 8px 0 4px;
        font-variant-numeric: tabular-nums; }
      table.wide { width: 100%; }
      caption { text-align: left; font-weight: 600; padding: 4px 0; }
      th, td { padding: 4px 10px; border-bottom: 1px solid #ececea; vertical-align: top; }
      thead th { border-bottom: 2px solid #cfcfca; text-align: right; font-weight: 600; }
      td.text { color: #555; font-size: 13px; }
      th.name, td.name { text-align: left; font-weight: normal; color: #333; white-space: nowrap; }
      td.num { text-align: right; white-space: nowrap; }
      td.ok, td.bad { text-align: center; }
      .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
        margin-right: 5px; vertical-align: baseline; }
      figure { margin: 14px 0 6px; }
      .chart { width: 100%; min-height: 120px; }
      .u-title { font-size: 15px; }
      .u-legend { font-size: 13px; }
      .u-legend .u-series:first-child { display: none; }
      figcaption, .note { font-size: 13.5px; color: #555; }
      .how { background: #f4f6f8; border-left: 3px solid #9db3c8; padding: 8px 12px;
        font-size: 14px; }
      table.defs th { white-space: nowrap; font-weight: 600; }
      footer { margin-top: 40px; font-size: 12.5px; color: #777; }
      """;

  private HtmlReport() {}

  /** The page. */
  public static String render(SimulationResult result, RunInfo run) {
    PolicyColors colors = PolicyColors.of(result);
    Charts charts = new Charts(colors);
    Page page = new Page();
    page.open("Backstop simulation: " + result.scenario());
    header(page, result, run);
    policies(page, result, colors);
    metrics(page, result, colors);
    pricePath(page, result, charts);
    insuranceFund(page, result, charts);
    budget(page, result, charts);
    burdens(page, result, charts);
    realPopulation(page, result, charts, colors);
    definitions(page);
    references(page);
    page.raw("<footer>").text("Written by " + run.toolLine() + " from scenario ");
    page.text(result.scenario()).text(", seed " + result.seed() + ", on " + run.date() + ".");
    page.raw("</footer>\n");
    return page.close();
  }

  /**
   * Writes {@link #render} to {@code dir/report.html} through a staged file ({@link AtomicFile}).
   */
  public static void write(SimulationResult result, RunInfo run, Path dir) throws IOException {
    AtomicFile.write(dir.resolve(FILE_NAME), render(result, run));
  }

  private static void header(Page page, SimulationResult result, RunInfo run) {
    page.raw("<header>\n<h1>").text("Crash simulation: " + result.scenario()).raw("</h1>\n");
    if (result.description() != null) {
      page.raw("<p class=\"lede\">").text(result.description()).raw("</p>\n");
    }
    page.raw("<div class=\"headline\" id=\"headline\"><p><strong>Finding.</strong> ");
    page.text(String.join(" ", Headline.of(result))).raw("</p></div>\n");
    PathSummary path = PathSummary.of(result.path());
    page.raw("<dl class=\"facts\">\n");
    fact(page, "market", result.market());
    fact(page, "seed", Long.toString(result.seed()));
    fact(page, "accounts", Formats.count(result.accounts()));
    fact(page, "open interest", Formats.amount(result.openInterest().toDouble()) + " (long size)");
    if (path.points() > 0) {
      fact(
          page,
          "price path",
          String.format(
              Locale.ROOT,
              "%s points over %s: %s → %s USD, low %s",
              Formats.count(path.points()),
              Formats.minutes(path.durationMillis()),
              Formats.amount(path.start()),
              Formats.amount(path.end()),
              Formats.amount(path.low())));
      fact(page, "max drawdown of the mark", Formats.percent(path.maxDrawdown()));
    } else {
      fact(page, "price path", "empty");
    }
    fact(page, "policies", Formats.count(result.policies().size()));
    runFacts(page, run);
    page.raw("</dl>\n<nav>");
    link(page, "policies", "Policies");
    link(page, "metrics", "Metrics");
    link(page, "price-path", "Price path");
    link(page, "insurance-fund", "Insurance fund");
    link(page, "adl-budget", "ADL budget");
    link(page, "haircut-distribution", "Haircuts");
    link(page, "real-population", "Real population");
    link(page, "definitions", "Definitions");
    page.raw("</nav>\n</header>\n");
  }

  /** The tool, commit, command line and date of the run, as facts of a header's list. */
  static void runFacts(Page page, RunInfo run) {
    fact(page, "written by", run.tool() + " " + run.version());
    fact(page, "commit", run.commit());
    fact(page, "command line", run.commandLine());
    fact(page, "date", run.date());
  }

  static void fact(Page page, String term, String value) {
    page.raw("<dt>").text(term).raw("</dt><dd>").text(value).raw("</dd>\n");
  }

  static void link(Page page, String id, String label) {
    page.raw("<a href=\"#" + id + "\">").text(label).raw("</a>");
  }

  private static void policies(Page page, SimulationResult result, PolicyColors colors) {
    page.raw("<section id=\"policies\">\n<h2>Policies</h2>\n<p>")
        .text(
            "Every policy ran the same book on the same price path, each in its own engine. Each"
                + " run is checked for value conservation: value in minus value held at the end must"
                + " be zero micro-units.")
        .raw("</p>\n<table class=\"wide policies\">\n<thead><tr>");
    for (String heading :
        List.of("policy", "what it does", "value conserved", "engine state hash at the end")) {
      page.raw("<th class=\"name\">").text(heading).raw("</th>");
    }
    page.raw("</tr></thead>\n<tbody>\n");
    for (PolicyResult policy : result.policies()) {
      PolicyMetrics m = policy.metrics();
      page.raw("<tr><td class=\"name\">");
      swatch(page, colors.css(policy.policy()));
      page.text(policy.policy()).raw("</td><td class=\"text\">");
      page.text(policy.description() == null ? "" : policy.description()).raw("</td>");
      page.raw("<td class=\"" + (m.conserved() ? "ok" : "bad") + "\">");
      page.text(
          m.conserved()
              ? "yes, to the unit"
              : "NO: off by " + Formats.count(m.conservationError()) + " micro-units");
      page.raw("</td><td class=\"hash\">").text(m.stateHash() == null ? "" : m.stateHash());
      page.raw("</td></tr>\n");
    }
    page.raw("</tbody></table>\n</section>\n");
  }

  private static void metrics(Page page, SimulationResult result, PolicyColors colors) {
    page.raw("<section id=\"metrics\">\n<h2>Policies compared</h2>\n<p>")
        .text(
            "One row per policy. Money is in whole US dollars (USD); the exact amounts, to the"
                + " micro-dollar, are in summary.json and summary.csv. Hover a heading for its"
                + " definition; all are at the end of the page.")
        .raw("</p>\n");
    for (String group :
        List.of(
            MetricColumn.LIQUIDATION,
            MetricColumn.WATERFALL,
            MetricColumn.BACKSTOP,
            MetricColumn.SHARING)) {
      metricTable(page, result, colors, group, MetricColumn.group(group));
    }
    page.raw("</section>\n");
  }

  /** One table: a row per policy, a column per metric of the group. */
  private static void metricTable(
      Page page,
      SimulationResult result,
      PolicyColors colors,
      String caption,
      List<MetricColumn> columns) {
    page.raw("<table class=\"wide metrics\">\n<caption>").text(caption);
    page.raw("</caption>\n<thead><tr><th class=\"name\">policy</th>");
    for (MetricColumn column : columns) {
      page.raw("<th title=\"").text(column.meaning()).raw("\">").text(column.name());
      page.raw("</th>");
    }
    page.raw("</tr></thead>\n<tbody>\n");
    for (PolicyResult policy : result.policies()) {
      page.raw("<tr><td class=\"name\">");
      swatch(page, colors.css(policy.policy()));
      page.text(policy.policy()).raw("</td>");
      for (MetricColumn column : columns) {
        page.raw("<td class=\"num\">").text(column.html().apply(policy.metrics()));
        page.raw("</td>");
      }
      page.raw("</tr>\n");
    }
    page.raw("</tbody></table>\n");
  }

  static void swatch(Page page, String css) {
    page.raw("<span class=\"swatch\" style=\"background:" + css + "\"></span>");
  }

  private static void pricePath(Page page, SimulationResult result, Charts charts) {
    section(page, "price-path", "1. Price path, liquidations and backstop actions");
    PolicyResult markers = representative(result.policies());
    if (result.path().marks().length == 0) {
      note(page, "The price path is empty.");
    } else {
      String caption;
      if (markers == null) {
        caption = "No policy ran, so there are no markers.";
      } else if (markers.metrics().backstopActions() > 0) {
        caption =
            "Markers from "
                + markers.policy()
                + ", the first policy (in the order run) whose backstop acted.";
      } else {
        caption =
            "No policy's backstop acted; the markers are the liquidation closes of "
                + markers.policy()
                + ".";
      }
      figure(page, charts.pricePath(result.path(), markers), caption);
      figure(
          page,
          charts.depth(result.path()),
          "Dollars of resting orders within 1% of the mark, as fed to the engine.");
    }
    how(
        page,
        "The dark line is the mark price every policy saw. Grey dots are the marks at which the"
            + " policy named in the legend liquidated (one dot per mark, however many closes; the"
            + " legend counts both); coloured dots are the marks of its backstop actions"
            + " (deleveraging fills, haircuts, socialisation). The lower chart is the"
            + " order book's depth within 1% of mark: as it thins, each liquidation moves the price"
            + " further and closes further from the bankruptcy price, so the insurance fund loses"
            + " more per close.");
    page.raw("</section>\n");
  }

  /** The first policy whose backstop acted, else the first policy, else null. */
  static PolicyResult representative(List<PolicyResult> policies) {
    for (PolicyResult policy : policies) {
      if (policy.metrics().backstopActions() > 0) {
        return policy;
      }
    }
    return policies.isEmpty() ? null : policies.get(0);
  }

  private static void insuranceFund(Page page, SimulationResult result, Charts charts) {
    section(page, "insurance-fund", "2. Insurance fund");
    boolean any = result.policies().stream().anyMatch(p -> p.timeline().fundTimes().length > 0);
    if (any) {
      figure(
          page,
          charts.insuranceFund(result.policies(), result.path().times()),
          "One line per policy; a step at every change of the balance.");
    } else {
      note(page, "No policy recorded an insurance-fund balance.");
    }
    how(
        page,
        "The fund pays the shortfall of liquidations that close beyond an account's bankruptcy"
            + " price and earns the fees of those that close inside it. A line that falls and then"
            + " flattens at its low is a fund that ran dry, after which the backstop (ADL, haircut"
            + " or socialisation) carries the losses. Fund drawdown = the largest fall from a"
            + " running peak, as a share of that peak.");
    page.raw("</section>\n");
  }

  private static void budget(Page page, SimulationResult result, Charts charts) {
    section(page, "adl-budget", "3. ADL budget: needed, taken, overshoot");
    boolean any =
        result.policies().stream()
            .map(PolicyResult::metrics)
            .anyMatch(
                m ->
                    m.budgetNeeded().signum() != 0
                        || m.budgetTaken().signum() != 0
                        || m.overshoot().signum() != 0);
    if (any) {
      List<String> overshoots = new ArrayList<>();
      for (PolicyResult policy : result.policies()) {
        PolicyMetrics m = policy.metrics();
        if (m.overshoot().signum() != 0) {
          String share =
              m.budgetNeeded().signum() > 0
                  ? " ("
                      + Formats.percent(m.overshoot().toDouble() / m.budgetNeeded().toDouble())
                      + " of needed)"
                  : "";
          overshoots.add(
              policy.policy() + " " + Formats.wholeDollars(m.overshoot()) + " USD" + share);
        }
      }
      figure(
          page,
          charts.budget(result.policies()),
          "Grouped by figure; one bar per policy. "
              + (overshoots.isEmpty()
                  ? "No policy took more or less than it needed."
                  : "Overshoot: " + String.join("; ", overshoots) + "."));
    } else {
      note(page, "No policy's backstop had anything to recover.");
    }
    how(
        page,
        "Needed is what the backstop had to recover: the losses the insurance fund could not"
            + " cover. Taken is what it took from winners. Overshoot = taken − needed: above zero,"
            + " winners gave up more than the deficit required (a queue closes whole positions at"
            + " the bankruptcy price); below zero, part of the deficit stayed as bad debt. Summed"
            + " over rounds this is the production overshoot O = Σ_t (H_t − B_t) of Chitra et al.");
    page.raw("</section>\n");
  }

  private static void burdens(Page page, SimulationResult result, Charts charts) {
    section(page, "haircut-distribution", "4. Haircut distribution");
    List<PolicyResult> withBurdens = new ArrayList<>();
    List<String> without = new ArrayList<>();
    for (PolicyResult policy : result.policies()) {
      if (policy.timeline().accountsHit() > 0) {
        withBurdens.add(policy);
      } else {
        without.add(policy.policy());
      }
    }
    if (withBurdens.isEmpty()) {
      note(page, "No policy took anything from a winner, so there are no burdens to show.");
    } else {
      String caption = "Share of each policy's deleveraged accounts per burden bin.";
      if (!without.isEmpty()) {
        caption += " Not shown (took from no account): " + String.join(", ", without) + ".";
      }
      figure(page, charts.burdenHistogram(withBurdens), caption);
    }
    how(
        page,
        "The burden of an account is x_i / u_i: the amount taken from it over its capacity u_i ="
            + " max(PnL_i, 0), so 100% is a winner that lost all its profit (capacity-normalised, as"
            + " in Chitra et al.). Bins hold their upper edge: a burden of exactly 10% is in 0–10%."
            + " A queue puts the accounts it reaches at or near 100% and spares the rest; pro rata"
            + " gives every winner the same burden; risk-based rules (water-filling, Campbell et"
            + " al.) cut the most levered first. The largest burden is the m_t of the online-learning"
            + " paper.");
    page.raw("</section>\n");
  }

  /** One replay table: the rows of one budget, captioned with it. */
  private static void replayTable(Page page, List<ReplayRow> rows, PolicyColors colors) {
    page.raw("<table class=\"wide\">\n<caption>")
        .text(
            "budget: "
                + rows.get(0).basis()
                + ", "
                + Formats.wholeDollars(rows.get(0).budget())
                + " USD")
        .raw("</caption>\n<thead><tr><th class=\"name\">")
        .text("policy");
    for (String heading :
        List.of("taken (USD)", "accounts hit", "largest burden", "top-10 share", "Gini")) {
      page.raw("</th><th>").text(heading);
    }
    page.raw("</th></tr></thead>\n<tbody>\n");
    for (ReplayRow row : rows) {
      page.raw("<tr><td class=\"name\">");
      swatch(page, colors.css(row.policy()));
      page.text(row.policy()).raw("</td>");
      for (String value :
          List.of(
              Formats.wholeDollars(row.taken()),
              Formats.count(row.accountsHit()),
              Formats.percent(row.largestBurden()),
              Formats.percent(row.top10Share()),
              Formats.ratio(row.gini(), 4))) {
        page.raw("<td class=\"num\">").text(value).raw("</td>");
      }
      page.raw("</tr>\n");
    }
    page.raw("</tbody></table>\n");
  }

  /**
   * The per-wave counterfactual, as {@code paper-table --per-wave} prints it: each wave's needed
   * budget and capacity read from the per-wave file, each policy's budget and largest burden
   * recomputed by Backstop's allocators, the file's own wealth pro rata read beside them, and how
   * far the two are apart where the inputs are the same.
   */
  private static void counterfactual(Page page, WaveCounterfactual c, PolicyColors colors) {
    WaveFile file = c.file();
    boolean filePr = c.hasFileProRata();
    page.raw("<h3>Per-wave counterfactual</h3>\n<p>")
        .text(
            String.format(
                Locale.ROOT,
                "As paper-table --per-wave. Read from %s: each wave's needed budget B_t"
                    + " (budget_needed), its capacity U_t (total_cap)%s. Recomputed by Backstop's"
                    + " allocators: each wave's B_t shared over its U_t on its own, U_t split"
                    + " among the %s winners of %s in proportion to the PnL each realised by ADL"
                    + " over the whole event (an assumption: the data has no per-account"
                    + " capacities per wave). Where the inputs are the same, Backstop's min-max"
                    + " reaches the least possible burden B_t/U_t to within %s%s.",
                file.source(),
                filePr ? " and the paper's continuous wealth pro rata (budget_pr)" : "",
                Formats.count(c.winners()),
                c.winnersSource(),
                String.format(Locale.ROOT, "%.1e", c.minMaxBurdenGap()),
                filePr
                    ? String.format(
                        Locale.ROOT,
                        " and its pro-rata matches budget_pr to within %.1e USD",
                        c.proRataBudgetGap())
                    : ""))
        .raw("</p>\n");
    List<WaveCounterfactual.Wave> waves = c.waves();
    // the budgets taken, dollars
    page.raw("<table class=\"wide\">\n<caption>")
        .text("budget H_t taken per wave (USD): read columns marked, the policies recomputed")
        .raw("</caption>\n<thead><tr><th class=\"name\">wave</th><th>B_t (read)</th>");
    page.raw("<th>U_t (read)</th>");
    if (filePr) {
      page.raw("<th>budget_pr (read)</th>");
    }
    for (String policy : WaveCounterfactual.POLICIES) {
      page.raw("<th>");
      swatch(page, colors.css(policy));
      page.text(policy).raw("</th>");
    }
    page.raw("</tr></thead>\n<tbody>\n");
    double[] totals = new double[3 + WaveCounterfactual.POLICIES.size()];
    for (int t = 0; t < waves.size(); t++) {
      WaveCounterfactual.Wave w = waves.get(t);
      double[] row = new double[totals.length];
      row[0] = w.needed();
      row[1] = w.capacity();
      row[2] = filePr ? file.budget(WaveFile.WEALTH_PRO_RATA, t) : Double.NaN;
      for (int k = 0; k < WaveCounterfactual.POLICIES.size(); k++) {
        row[3 + k] = w.cell(WaveCounterfactual.POLICIES.get(k)).budget();
      }
      for (int k = 0; k < row.length; k++) {
        totals[k] += row[k];
      }
      dollarRow(page, w.label(), row, filePr);
    }
    dollarRow(page, "total", totals, filePr);
    page.raw("</tbody></table>\n");
    // the largest burdens, by capacity
    page.raw("<table class=\"wide\">\n<caption>")
        .text(
            "largest burden m_t = max x_i/u_i per wave, by capacity: read columns marked, the"
                + " policies recomputed")
        .raw("</caption>\n<thead><tr><th class=\"name\">wave</th><th>B_t/U_t (read)</th>");
    if (filePr) {
      page.raw("<th>budget_pr/U_t (read)</th>");
    }
    for (String policy : WaveCounterfactual.POLICIES) {
      page.raw("<th>");
      swatch(page, colors.css(policy));
      page.text(policy).raw("</th>");
    }
    page.raw("</tr></thead>\n<tbody>\n");
    for (int t = 0; t < waves.size(); t++) {
      WaveCounterfactual.Wave w = waves.get(t);
      page.raw("<tr><td class=\"name\">").text(w.label()).raw("</td>");
      burdenCell(page, file.minMaxCapacityBurden(t));
      if (filePr) {
        burdenCell(page, file.capacityBurden(WaveFile.WEALTH_PRO_RATA, t));
      }
      for (String policy : WaveCounterfactual.POLICIES) {
        burdenCell(page, w.cell(policy).largestBurden());
      }
      page.raw("</tr>\n");
    }
    page.raw("</tbody></table>\n");
  }

  private static void dollarRow(Page page, String label, double[] row, boolean filePr) {
    page.raw("<tr><td class=\"name\">").text(label).raw("</td>");
    for (int k = 0; k < row.length; k++) {
      if (k == 2 && !filePr) {
        continue;
      }
      page.raw("<td class=\"num\">").text(String.format(Locale.ROOT, "%,.0f", row[k])).raw("</td>");
    }
    page.raw("</tr>\n");
  }

  private static void burdenCell(Page page, double burden) {
    page.raw("<td class=\"num\">")
        .text(Double.isNaN(burden) ? Formats.NONE : Formats.finePercent(burden))
        .raw("</td>");
  }

  private static void realPopulation(
      Page page, SimulationResult result, Charts charts, PolicyColors colors) {
    section(page, "real-population", "5. Real population: the same clawback, shared differently");
    ReplayResult replay = result.replay();
    if (replay == null) {
      note(page, "No real-population replay in this run: its data was not found or not asked for.");
      page.raw("</section>\n");
      return;
    }
    page.raw("<p>")
        .text(
            String.format(
                Locale.ROOT,
                "Source %s: %s winners with a total capacity of %s USD (the PnL they realised by"
                    + " ADL, pooled over the event's waves and coins). Two budgets: production's"
                    + " total, %s USD, in one round; and the papers' needed budget B_t, %s USD in"
                    + " all, one round per wave, each sharing what the earlier ones left.",
                replay.source(),
                Formats.count(replay.winners()),
                Formats.wholeDollars(replay.capacity()),
                Formats.wholeDollars(replay.budget()),
                replay.neededBudget() == null
                    ? "(no per-wave file)"
                    : Formats.wholeDollars(replay.neededBudget())))
        .raw("</p>\n");
    replayTable(page, replay.rows(), colors);
    if (!replay.perWave().isEmpty()) {
      replayTable(page, replay.perWave(), colors);
    }
    if (replay.counterfactual() != null) {
      counterfactual(page, replay.counterfactual(), colors);
    }
    if (!replay.rows().isEmpty()) {
      figure(
          page,
          charts.lorenz(replay),
          "Production's total in one round. The grey diagonal is an equal share for every"
              + " winner.");
      figure(page, charts.concentration(replay), "Each on a scale from 0 to 1.");
      figure(
          page,
          charts.accountsHit(replay),
          "How many of the real winners each policy took something from.");
    }
    how(
        page,
        "A point (x, y) on a Lorenz curve says that the x% of winners who gave up least carried y%"
            + " of the clawback; the further a curve sags below the diagonal, the more the clawback"
            + " falls on a few accounts. The Gini coefficient is computed over all winners,"
            + " including those that gave up nothing (0 = equal shares, near 1 = one account pays"
            + " everything); the top-10 share is the part of the total taken from the ten accounts"
            + " hit hardest.");
    page.raw("</section>\n");
  }

  private static void definitions(Page page) {
    page.raw("<section id=\"definitions\">\n<h2>Definitions</h2>\n");
    page.raw("<table class=\"defs\">\n<tbody>\n");
    definition(
        page,
        "Deficit",
        "D = Σ_i max(−e_i, 0), the negative equity of the accounts that went bankrupt (Chitra,"
            + " arXiv 2512.01112).");
    definition(
        page,
        "Burden",
        "x_i / u_i, the amount taken from account i over its capacity u_i = max(PnL_i, 0):"
            + " capacity-normalised, so 100% is a winner that lost all its profit (Chitra et al.,"
            + " arXiv 2602.15182).");
    for (MetricColumn column : MetricColumn.ALL) {
      definition(page, column.name(), capitalised(column.meaning()) + ".");
    }
    page.raw("</tbody></table>\n</section>\n");
  }

  private static String capitalised(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static void definition(Page page, String term, String meaning) {
    page.raw("<tr><th class=\"name\">").text(term).raw("</th><td>").text(meaning);
    page.raw("</td></tr>\n");
  }

  private static void references(Page page) {
    page.raw("<section id=\"references\">\n<h2>References</h2>\n<ol>\n");
    reference(
        page, "T. Chitra, “Autodeleveraging: Impossibilities and Optimization”", "2512.01112");
    reference(
        page,
        "T. Chitra, Thogiti, Trujillo Ramirez, Xu, “Autodeleveraging as Online Learning”",
        "2602.15182");
    reference(page, "Campbell, Hey, Moallemi, Nutz, “Risk-Based Auto-Deleveraging”", "2603.15963");
    page.raw("</ol>\n</section>\n");
  }

  private static void reference(Page page, String work, String arxiv) {
    page.raw("<li>").text(work + ", ");
    page.raw("<a href=\"https://arxiv.org/abs/" + arxiv + "\">").text("arXiv " + arxiv);
    page.raw("</a>.</li>\n");
  }

  static void section(Page page, String id, String title) {
    page.raw("<section id=\"" + id + "\" class=\"chart\">\n<h2>").text(title).raw("</h2>\n");
  }

  /** An interactive chart: a host element, its spec as JSON beside it, and a caption. */
  static void figure(Page page, ChartSpec chart, String caption) {
    String id = "chart-" + page.nextChart();
    page.raw("<figure><div class=\"chart\" role=\"img\" data-chart=\"" + id + "\" aria-label=\"");
    page.text(chart.title()).raw("\">").raw(ChartSvg.render(chart));
    page.raw("</div>\n<script type=\"application/json\" id=\"" + id);
    page.raw("\">").raw(chart.json()).raw("</script>\n<figcaption>").text(caption);
    page.raw("</figcaption></figure>\n");
  }

  static void note(Page page, String text) {
    page.raw("<p class=\"note\">").text(text).raw("</p>\n");
  }

  static void how(Page page, String text) {
    page.raw("<p class=\"how\"><strong>How to read this.</strong> ").text(text).raw("</p>\n");
  }

  /**
   * A page being written: markup as given, text escaped; opened with the stylesheets, closed with
   * the chart library and the script that draws the page's charts.
   */
  static final class Page {
    private final StringBuilder html = new StringBuilder(1 << 20);
    private int charts;

    /** The document's head and the start of its body. */
    Page open(String title) {
      raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
      raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
      raw("<title>").text(title).raw("</title>\n");
      raw("<style>\n").raw(ChartLibrary.UPLOT_CSS).raw("\n").raw(CSS).raw("</style>\n");
      raw("</head>\n<body>\n<main>\n");
      raw("<noscript><p class=\"note\">The charts are drawn by the page's script; with scripts");
      raw(" off each shows as a static drawing, without hover, legend toggling or zoom.</p>");
      raw("</noscript>\n");
      return this;
    }

    /**
     * The end of the page: uPlot (MIT, version {@link ChartLibrary#UPLOT_VERSION}) and the chart
     * script inlined, then the closing tags.
     */
    String close() {
      raw("</main>\n<script>/* uPlot " + ChartLibrary.UPLOT_VERSION + ", MIT licence */\n");
      raw(ChartLibrary.UPLOT_JS).raw("\n</script>\n<script>\n").raw(ChartLibrary.CHARTS_JS);
      raw("</script>\n</body>\n</html>\n");
      return html.toString();
    }

    int nextChart() {
      return ++charts;
    }

    Page raw(String markup) {
      html.append(markup);
      return this;
    }

    Page text(String text) {
      html.append(escape(text == null ? "" : text));
      return this;
    }
  }

  /** {@code text} with {@code & < > " '} escaped, safe in element content and quoted attributes. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
