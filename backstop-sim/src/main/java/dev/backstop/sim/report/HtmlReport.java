package dev.backstop.sim.report;

import dev.backstop.sim.io.AtomicFile;
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
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * {@code report.html}: one self-contained page (inline CSS, charts as inline PNG, no script, no
 * external resource) that compares the policies of a {@code backstop simulate} run.
 *
 * <p>It shows the conservation check of every policy, the metrics table (the {@link TerminalTable}
 * figures, money to the last decimal), and five chart sections, each with a paragraph on how to
 * read it: the price path with liquidation and backstop markers and the book's depth; the insurance
 * fund per policy; the ADL budget needed, taken and the overshoot; the distribution of burdens
 * {@code x_i/u_i}; and, when the real-population replay ran, its Lorenz curves and concentration.
 * The metrics follow Chitra (arXiv 2512.01112), Chitra, Thogiti, Trujillo Ramirez and Xu (arXiv
 * 2602.15182) and Campbell, Hey, Moallemi and Nutz (arXiv 2603.15963), cited on the page.
 *
 * <p>Charts are drawn with AWT; {@code java.awt.headless} is set to {@code true} unless it was set
 * already. Every piece of text from the result is HTML-escaped.
 */
public final class HtmlReport {

  /** The file's name in a report directory. */
  public static final String FILE_NAME = "report.html";

  /** The ids of the chart sections, in page order. */
  static final List<String> CHART_SECTIONS =
      List.of(
          "price-path", "insurance-fund", "adl-budget", "haircut-distribution", "real-population");

  private static final String CSS =
      """
      :root { color-scheme: light; }
      body { margin: 0; background: #f6f6f3; color: #222;
        font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
      main { max-width: 940px; margin: 0 auto; padding: 28px 20px 48px; background: #fff; }
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
      .checks { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 8px; }
      .check { border-radius: 4px; padding: 4px 10px; font-size: 14px; }
      .ok { background: #e3f4e6; color: #17612b; border: 1px solid #a8d8b2; }
      .bad { background: #fbe5e3; color: #9b1c14; border: 1px solid #eab0aa; font-weight: 600; }
      .hash { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; color: #777; }
      .scroll { overflow-x: auto; }
      table { border-collapse: collapse; font-size: 13.5px; margin: 8px 0 4px;
        font-variant-numeric: tabular-nums; }
      th, td { padding: 4px 10px; border-bottom: 1px solid #ececea; vertical-align: top; }
      thead th { border-bottom: 2px solid #cfcfca; text-align: right; }
      th.name, td.name { text-align: left; font-weight: normal; color: #333; white-space: nowrap; }
      td.num { text-align: right; white-space: nowrap; }
      td.ok, td.bad { text-align: center; }
      tr.desc td { color: #666; font-size: 12.5px; text-align: left; }
      .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
        margin-right: 5px; vertical-align: baseline; }
      figure { margin: 14px 0 6px; }
      figure img { display: block; width: 900px; max-width: 100%; height: auto; }
      figcaption, .note { font-size: 13.5px; color: #555; }
      .how { background: #f4f6f8; border-left: 3px solid #9db3c8; padding: 8px 12px;
        font-size: 14px; }
      table.defs th { white-space: nowrap; font-weight: 600; }
      footer { margin-top: 40px; font-size: 12.5px; color: #777; }
      """;

  private HtmlReport() {}

  /** The page. */
  public static String render(SimulationResult result) {
    PolicyColors colors = new PolicyColors(result);
    Charts charts = new Charts(colors);
    Page page = new Page();
    page.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.raw("<title>").text("Backstop simulation: " + result.scenario()).raw("</title>\n");
    page.raw("<style>\n").raw(CSS).raw("</style>\n</head>\n<body>\n<main>\n");
    header(page, result);
    conservation(page, result);
    metrics(page, result, colors);
    pricePath(page, result, charts);
    insuranceFund(page, result, charts);
    budget(page, result, charts);
    burdens(page, result, charts);
    realPopulation(page, result, charts, colors);
    definitions(page);
    references(page);
    page.raw("<footer>").text("Written by Backstop simulate from scenario ");
    page.text(result.scenario()).text(", seed " + result.seed() + ".");
    page.raw("</footer>\n</main>\n</body>\n</html>\n");
    return page.toString();
  }

  /**
   * Writes {@link #render} to {@code dir/report.html} through a staged file ({@link AtomicFile}).
   */
  public static void write(SimulationResult result, Path dir) throws IOException {
    AtomicFile.write(dir.resolve(FILE_NAME), render(result));
  }

  private static void header(Page page, SimulationResult result) {
    page.raw("<header>\n<h1>").text("Crash simulation: " + result.scenario()).raw("</h1>\n");
    if (result.description() != null) {
      page.raw("<p class=\"lede\">").text(result.description()).raw("</p>\n");
    }
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
    page.raw("</dl>\n<nav>");
    link(page, "metrics", "Metrics");
    link(page, "price-path", "Price path");
    link(page, "insurance-fund", "Insurance fund");
    link(page, "adl-budget", "ADL budget");
    link(page, "haircut-distribution", "Haircuts");
    link(page, "real-population", "Real population");
    link(page, "definitions", "Definitions");
    page.raw("</nav>\n</header>\n");
  }

  private static void fact(Page page, String term, String value) {
    page.raw("<dt>").text(term).raw("</dt><dd>").text(value).raw("</dd>\n");
  }

  private static void link(Page page, String id, String label) {
    page.raw("<a href=\"#" + id + "\">").text(label).raw("</a>");
  }

  private static void conservation(Page page, SimulationResult result) {
    page.raw("<section id=\"conservation\">\n<h2>Conservation</h2>\n");
    page.raw("<p>")
        .text(
            "Every policy's run is checked for value conservation: value in minus value held at the"
                + " end must be zero micro-units.");
    page.raw("</p>\n<ul class=\"checks\">\n");
    for (PolicyResult policy : result.policies()) {
      PolicyMetrics m = policy.metrics();
      String verdict =
          m.conserved()
              ? "conserved to the unit"
              : "NOT conserved: off by " + Formats.count(m.conservationError()) + " micro-units";
      page.raw("<li class=\"check " + (m.conserved() ? "ok" : "bad") + "\">");
      page.raw("<strong>").text(policy.policy()).raw("</strong>: ").text(verdict);
      page.raw(" <span class=\"hash\" title=\"engine state hash at the end\">");
      page.text(m.stateHash() == null ? "" : m.stateHash()).raw("</span></li>\n");
    }
    page.raw("</ul>\n</section>\n");
  }

  private static void metrics(Page page, SimulationResult result, PolicyColors colors) {
    page.raw("<section id=\"metrics\">\n<h2>Policies compared</h2>\n");
    page.raw("<p>")
        .text(
            "Every policy ran the same book on the same price path. Money is in USD to the last"
                + " decimal the engine holds; definitions are at the end of the page.");
    page.raw(
            "</p>\n<div class=\"scroll\"><table class=\"metrics\">\n<thead><tr><th class=\"name\">")
        .text("metric")
        .raw("</th>");
    for (PolicyResult policy : result.policies()) {
      page.raw("<th>");
      swatch(page, colors.css(policy.policy()));
      page.text(policy.policy()).raw("</th>");
    }
    page.raw("</tr></thead>\n<tbody>\n<tr class=\"desc\"><td class=\"name\">")
        .text("description")
        .raw("</td>");
    for (PolicyResult policy : result.policies()) {
      page.raw("<td>").text(policy.description() == null ? "" : policy.description());
      page.raw("</td>");
    }
    page.raw("</tr>\n");
    for (MetricColumn column : MetricColumn.ALL) {
      page.raw("<tr><td class=\"name\" title=\"").text(column.meaning()).raw("\">");
      page.text(column.name()).raw("</td>");
      for (PolicyResult policy : result.policies()) {
        String value = column.exact().apply(policy.metrics());
        String cssClass = "num";
        if (column == MetricColumn.CONSERVED) {
          cssClass = policy.metrics().conserved() ? "ok" : "bad";
        }
        page.raw("<td class=\"" + cssClass + "\">").text(value).raw("</td>");
      }
      page.raw("</tr>\n");
    }
    page.raw("</tbody></table></div>\n</section>\n");
  }

  private static void swatch(Page page, String css) {
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
      figure(page, charts.pricePath(result.path(), markers), "Mark price over time", caption);
      figure(
          page,
          charts.depth(result.path()),
          "Order-book depth over time",
          "Dollars of resting orders within 1% of the mark, as fed to the engine.");
    }
    how(
        page,
        "The dark line is the mark price every policy saw. Grey circles are liquidation closes;"
            + " diamonds are backstop actions (deleveraging fills, haircuts, socialisation) of the"
            + " policy named in the legend, at the mark of the moment. The lower chart is the"
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
      long[] times = result.path().times();
      long end = times.length == 0 ? 0 : times[times.length - 1];
      figure(
          page,
          charts.insuranceFund(result.policies(), end),
          "Insurance fund balance by policy over time",
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
              policy.policy() + " " + Formats.fullDollars(m.overshoot()) + " USD" + share);
        }
      }
      figure(
          page,
          charts.budget(result.policies()),
          "ADL budget needed, taken and overshoot per policy",
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
      figure(page, charts.burdenHistogram(withBurdens), "Histogram of burdens per policy", caption);
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
    page.raw("<div class=\"scroll\"><table>\n<caption>")
        .text(
            "budget: "
                + rows.get(0).basis()
                + ", "
                + Formats.fullDollars(rows.get(0).budget())
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
              Formats.fullDollars(row.taken()),
              Formats.count(row.accountsHit()),
              Formats.percent(row.largestBurden()),
              Formats.percent(row.top10Share()),
              Formats.ratio(row.gini(), 4))) {
        page.raw("<td class=\"num\">").text(value).raw("</td>");
      }
      page.raw("</tr>\n");
    }
    page.raw("</tbody></table></div>\n");
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
                Formats.fullDollars(replay.capacity()),
                Formats.fullDollars(replay.budget()),
                replay.neededBudget() == null
                    ? "(no per-wave file)"
                    : Formats.fullDollars(replay.neededBudget())))
        .raw("</p>\n");
    replayTable(page, replay.rows(), colors);
    if (!replay.perWave().isEmpty()) {
      replayTable(page, replay.perWave(), colors);
    }
    if (!replay.rows().isEmpty()) {
      figure(
          page,
          charts.lorenz(replay),
          "Lorenz curves of the clawback per policy (production's total, one round)",
          "The grey diagonal is an equal share for every winner.");
      figure(
          page,
          charts.concentration(replay),
          "Gini coefficient, top-10 share and largest burden per policy",
          "Each on a scale from 0 to 1.");
      figure(
          page,
          charts.accountsHit(replay),
          "Accounts hit per policy",
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

  private static void section(Page page, String id, String title) {
    page.raw("<section id=\"" + id + "\" class=\"chart\">\n<h2>").text(title).raw("</h2>\n");
  }

  private static void figure(Page page, Chart<?, ?> chart, String alt, String caption) {
    page.raw("<figure><img width=\"" + chart.getWidth() + "\" height=\"" + chart.getHeight());
    page.raw("\" alt=\"").text(alt).raw("\" src=\"data:image/png;base64,");
    page.raw(Charts.png(chart)).raw("\">\n<figcaption>").text(caption);
    page.raw("</figcaption></figure>\n");
  }

  private static void note(Page page, String text) {
    page.raw("<p class=\"note\">").text(text).raw("</p>\n");
  }

  private static void how(Page page, String text) {
    page.raw("<p class=\"how\"><strong>How to read this.</strong> ").text(text).raw("</p>\n");
  }

  /** The page being written: markup as given, text escaped. */
  private static final class Page {
    private final StringBuilder html = new StringBuilder(1 << 20);

    Page raw(String markup) {
      html.append(markup);
      return this;
    }

    Page text(String text) {
      html.append(escape(text == null ? "" : text));
      return this;
    }

    @Override
    public String toString() {
      return html.toString();
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
