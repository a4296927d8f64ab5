package dev.backstop.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.sim.io.AtomicFile;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.sweep.SweepParameter;
import dev.backstop.sim.sweep.SweepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outputs of {@code backstop sweep}, all from one {@link SweepResult}: {@value #HTML} (one
 * interactive chart per metric against the parameter, a line per policy), {@value #JSON} (where it
 * came from, then every metric of every run, money as decimal strings), {@value #CSV} (one row per
 * value and policy, the fields of summary.csv) and the terminal's tables (a table per metric asked
 * for, the policies as rows and the values as columns). The metrics are those of {@code simulate},
 * under the same names ({@link MetricColumn}).
 */
public final class SweepReport {

  /** The report's file name. */
  public static final String HTML = "sweep.html";

  /** The JSON's file name. */
  public static final String JSON = "sweep.json";

  /** The CSV's file name. */
  public static final String CSV = "sweep.csv";

  /** The terminal's default metrics, by their short headings. */
  public static final List<String> DEFAULT_METRICS =
      List.of("shortfall", "taken", "overshoot", "burden", "bad debt");

  private SweepReport() {}

  /** The short headings a terminal table can be asked for, in table order. */
  public static List<String> headings() {
    return charted().stream().map(MetricColumn::heading).toList();
  }

  /** Every metric but the conservation check, which the page states once. */
  private static List<MetricColumn> charted() {
    return MetricColumn.ALL.stream().filter(c -> c != MetricColumn.CONSERVED).toList();
  }

  /**
   * Checks that every heading names a metric.
   *
   * @throws IllegalArgumentException for an unknown heading, listing the known ones
   */
  public static void checkMetrics(List<String> headings) {
    headings.forEach(SweepReport::column);
  }

  private static MetricColumn column(String heading) {
    for (MetricColumn c : charted()) {
      if (c.heading().equals(heading)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown metric '" + heading + "'; expected one of: " + String.join(", ", headings()));
  }

  /** Creates {@code dir} if needed and writes the three files, each moved in once complete. */
  public static void writeAll(SweepResult result, RunInfo run, Path dir) throws IOException {
    Files.createDirectories(dir);
    String json = json(result, run);
    String csv = csv(result);
    String html = html(result, run);
    try (AtomicFile jsonFile = AtomicFile.staged(dir.resolve(JSON), json);
        AtomicFile csvFile = AtomicFile.staged(dir.resolve(CSV), csv);
        AtomicFile htmlFile = AtomicFile.staged(dir.resolve(HTML), html)) {
      jsonFile.commit();
      csvFile.commit();
      htmlFile.commit();
    }
  }

  /**
   * One table per metric of {@code headings}: a row per policy, a column per value (money in whole
   * dollars), then a legend.
   *
   * @throws IllegalArgumentException for an unknown heading, listing the known ones
   */
  public static String terminal(SweepResult result, List<String> headings) {
    List<MetricColumn> columns = headings.stream().map(SweepReport::column).toList();
    SweepParameter p = result.parameter();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Sweep of %s (%s) over %d values, scenario %s, %d policies%n",
            p.wireName(),
            p.field(),
            result.values().size(),
            result.scenario(),
            result.policies().size()));
    for (MetricColumn column : columns) {
      out.append('\n').append(column.name()).append(":\n");
      List<String> heads = new ArrayList<>();
      heads.add("policy \\ " + p.wireName());
      for (double v : result.values()) {
        heads.add(SweepParameter.text(v));
      }
      List<List<String>> rows = new ArrayList<>();
      for (String policy : result.policies()) {
        List<String> row = new ArrayList<>();
        row.add(policy);
        for (int i = 0; i < result.values().size(); i++) {
          row.add(column.rounded().apply(result.metrics(i, policy)));
        }
        rows.add(row);
      }
      TerminalTable.table(out, heads, rows);
    }
    StringBuilder legend = new StringBuilder("\nLegend: ");
    for (int i = 0; i < columns.size(); i++) {
      MetricColumn c = columns.get(i);
      String meaning = c.meaning();
      if (c.name().endsWith("(USD)") && meaning.endsWith(", USD")) {
        meaning = meaning.substring(0, meaning.length() - ", USD".length());
      }
      legend.append(i == 0 ? "" : "; ").append(c.name()).append(" = ").append(meaning);
    }
    legend.append(". Money in whole dollars.");
    TerminalTable.wrap(out, legend.toString(), "", 120);
    out.append(
        result.conserved()
            ? "Every run conserved value to the micro-unit.\n"
            : "A run did NOT conserve value: see " + CSV + ", column conservationError.\n");
    return out.toString();
  }

  /** The CSV: {@code parameter,value,policy}, then every field of summary.csv. */
  public static String csv(SweepResult result) {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("parameter", "value", "policy"));
    header.addAll(MetricFields.names());
    SummaryCsv.row(out, header);
    for (int i = 0; i < result.values().size(); i++) {
      for (String policy : result.policies()) {
        List<String> cells = new ArrayList<>();
        cells.add(result.parameter().wireName());
        cells.add(SweepParameter.text(result.values().get(i)));
        cells.add(policy);
        for (MetricFields.Field field : MetricFields.of(result.metrics(i, policy))) {
          cells.add(SummaryCsv.text(field.value()));
        }
        SummaryCsv.row(out, cells);
      }
    }
    return out.toString();
  }

  /** The JSON: {@code run}, the scenario and parameter, then one row per value and policy. */
  public static String json(SweepResult result, RunInfo run) {
    ObjectNode root = SummaryJson.MAPPER.createObjectNode();
    root.set("run", SummaryJson.run(run));
    root.put("scenario", result.scenario());
    root.put("description", result.description());
    ObjectNode parameter = root.putObject("parameter");
    parameter.put("name", result.parameter().wireName());
    parameter.put("field", result.parameter().field());
    parameter.put("label", result.parameter().label());
    ArrayNode values = root.putArray("values");
    for (double v : result.values()) {
      values.add(Units.plain(v));
    }
    ArrayNode policies = root.putArray("policies");
    result.policies().forEach(policies::add);
    root.put("conserved", result.conserved());
    ArrayNode rows = root.putArray("rows");
    for (int i = 0; i < result.values().size(); i++) {
      for (String policy : result.policies()) {
        ObjectNode r = rows.addObject();
        r.put("value", Units.plain(result.values().get(i)));
        r.put("policy", policy);
        ObjectNode metrics = r.putObject("metrics");
        for (MetricFields.Field field : MetricFields.of(result.metrics(i, policy))) {
          SummaryJson.putField(metrics, field);
        }
      }
    }
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    try {
      return SummaryJson.MAPPER.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page: where it came from, then a chart per metric against the parameter. */
  public static String html(SweepResult result, RunInfo run) {
    PolicyColors colors = new PolicyColors(result.policies());
    SweepParameter p = result.parameter();
    HtmlReport.Page page = new HtmlReport.Page();
    page.open("Backstop sweep: " + p.wireName() + ", " + result.scenario());
    page.raw("<header>\n<h1>")
        .text("Sensitivity sweep: " + p.label() + ", scenario " + result.scenario())
        .raw("</h1>\n");
    if (result.description() != null) {
      page.raw("<p class=\"lede\">").text(result.description()).raw("</p>\n");
    }
    page.raw("<dl class=\"facts\">\n");
    HtmlReport.fact(page, "parameter", p.wireName() + " (scenario field " + p.field() + ")");
    List<String> values = result.values().stream().map(SweepParameter::text).toList();
    HtmlReport.fact(page, "values", String.join(", ", values));
    HtmlReport.fact(page, "policies", String.join(", ", result.policies()));
    HtmlReport.fact(
        page,
        "runs",
        Formats.count((long) result.values().size() * result.policies().size())
            + (result.conserved()
                ? ", every one conserving value to the micro-unit"
                : ", NOT all conserving value: see " + CSV));
    HtmlReport.runFacts(page, run);
    page.raw("</dl>\n</header>\n");
    HtmlReport.how(
        page,
        "Every policy ran the scenario once per value, the rest of the scenario unchanged, each run"
            + " in its own engine. One chart per metric, the parameter on the x axis, a line per"
            + " policy. Hover for the values, click a legend entry to hide or show its policy, drag"
            + " across a chart to zoom (double click to zoom out). Exact figures are in "
            + JSON
            + " and "
            + CSV
            + ".");
    double[] x = result.values().stream().mapToDouble(Double::doubleValue).toArray();
    String group = null;
    for (MetricColumn column : charted()) {
      if (!column.group().equals(group)) {
        group = column.group();
        page.raw("<h2>").text(group).raw("</h2>\n");
      }
      ChartSpec chart =
          ChartSpec.xy(
              column.name() + " by " + p.wireName(),
              p.label(),
              p.inDollars() ? ChartSpec.Format.USD : ChartSpec.Format.PLAIN,
              axis(column),
              column.format(),
              300,
              x);
      for (String policy : result.policies()) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          PolicyMetrics m = result.metrics(i, policy);
          y[i] = column.value().applyAsDouble(m);
        }
        chart.add(policy, colors.css(policy), colors.dash(policy), ChartSpec.Kind.LINE_POINTS, y);
      }
      HtmlReport.figure(page, chart, capitalised(column.meaning()) + ".");
    }
    page.raw("<footer>").text("Written by " + run.toolLine() + " on " + run.date() + ".");
    page.raw("</footer>\n");
    return page.close();
  }

  /** The y axis label: the metric's name with its unit in brackets. */
  private static String axis(MetricColumn column) {
    return switch (column.format()) {
      case USD -> column.name().contains("(USD)") ? column.name() : column.name() + " (USD)";
      case SHARE -> column.name() + " (%)";
      case COUNT -> column.name() + " (count)";
      default -> column.name() + " (ratio)";
    };
  }

  private static String capitalised(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
