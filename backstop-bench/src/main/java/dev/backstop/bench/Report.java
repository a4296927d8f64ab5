package dev.backstop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH's JSON result ({@code -rf json}) and prints a Markdown table pairing each benchmark
 * class's {@code measured} with its {@code baseline} at the same parameters, with their ratio: how
 * many times the baseline's time the engine takes (for throughput, baseline over measured). Usage:
 * {@code Report RESULT.json [OUT.md]}.
 */
public final class Report {
  private Report() {}

  /** Prints the table, and writes it to the second argument when given. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: Report RESULT.json [OUT.md]");
      System.exit(2);
    }
    String table = table(new ObjectMapper().readTree(Path.of(args[0]).toFile()));
    System.out.print(table);
    if (args.length == 2) {
      Files.writeString(Path.of(args[1]), table, StandardCharsets.UTF_8);
    }
  }

  /** The Markdown table of a JMH JSON result. */
  static String table(JsonNode results) {
    Map<String, JsonNode[]> pairs = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String benchmark = r.get("benchmark").asText();
      int dot = benchmark.lastIndexOf('.');
      String bench = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
      String method = benchmark.substring(dot + 1);
      String key = bench + " " + params(r.get("params"));
      JsonNode[] pair = pairs.computeIfAbsent(key, k -> new JsonNode[2]);
      if (method.equals("measured")) {
        pair[0] = r;
      } else if (method.equals("baseline")) {
        pair[1] = r;
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | params | measured | baseline | ratio |\n");
    out.append("|---|---|---:|---:|---:|\n");
    for (Map.Entry<String, JsonNode[]> e : pairs.entrySet()) {
      String[] key = e.getKey().split(" ", 2);
      JsonNode m = e.getValue()[0];
      JsonNode b = e.getValue()[1];
      String ratio = "n/a";
      if (m != null && b != null) {
        double ms = score(m);
        double bs = score(b);
        boolean throughput = m.get("mode").asText().equals("thrpt");
        ratio = number(throughput ? bs / ms : ms / bs);
      }
      out.append("| ")
          .append(key[0])
          .append(" | ")
          .append(key[1])
          .append(" | ")
          .append(cell(m))
          .append(" | ")
          .append(cell(b))
          .append(" | ")
          .append(ratio)
          .append(" |\n");
    }
    return out.toString();
  }

  private static String params(JsonNode params) {
    if (params == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : params.properties()) {
      parts.add(f.getKey() + "=" + f.getValue().asText());
    }
    return String.join(", ", parts);
  }

  private static double score(JsonNode r) {
    return r.get("primaryMetric").get("score").asDouble();
  }

  private static String cell(JsonNode r) {
    if (r == null) {
      return "n/a";
    }
    JsonNode metric = r.get("primaryMetric");
    double error = metric.get("scoreError").asDouble();
    String err = Double.isNaN(error) ? "" : " ± " + number(error);
    return number(metric.get("score").asDouble()) + err + " " + metric.get("scoreUnit").asText();
  }

  private static String number(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
