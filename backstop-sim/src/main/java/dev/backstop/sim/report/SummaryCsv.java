package dev.backstop.sim.report;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.io.AtomicFile;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code summary.csv}: one header row, then one row per policy with its name, its description and
 * every {@link dev.backstop.sim.run.PolicyMetrics} field by name (the same fields as summary.json),
 * then {@code conserved}.
 *
 * <p>RFC 4180: fields are separated by commas, rows end with CRLF, and a field holding a comma, a
 * quote or a line break is quoted with its quotes doubled. Money is written as exact decimal
 * strings, ratios as their shortest plain decimal, a missing ratio (PTSR or PMR without a deficit)
 * as an empty field.
 */
public final class SummaryCsv {

  /** The file's name in a report directory. */
  public static final String FILE_NAME = "summary.csv";

  private static final String ROW_END = "\r\n";

  private SummaryCsv() {}

  /** The CSV text. */
  public static String render(SimulationResult result) {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("policy", "description"));
    header.addAll(MetricFields.names());
    row(out, header);
    for (PolicyResult policy : result.policies()) {
      List<String> cells = new ArrayList<>();
      cells.add(policy.policy());
      cells.add(Objects.requireNonNullElse(policy.description(), ""));
      for (MetricFields.Field field : MetricFields.of(policy.metrics())) {
        cells.add(text(field.value()));
      }
      row(out, cells);
    }
    return out.toString();
  }

  /** Writes {@link #render} to {@code file}, through a staged file ({@link AtomicFile}). */
  public static void write(SimulationResult result, Path file) throws IOException {
    AtomicFile.write(file, render(result));
  }

  static String text(Object value) {
    return switch (value) {
      case null -> "";
      case Decimal money -> money.toString();
      case Double ratio -> Units.plainText(ratio);
      default -> value.toString();
    };
  }

  static void row(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quoted(cells.get(i)));
    }
    out.append(ROW_END);
  }

  /** The field as RFC 4180 needs it: quoted only when it holds a comma, a quote or a line break. */
  static String quoted(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
