package dev.backstop.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.core.num.Decimal;
import dev.backstop.sim.io.AtomicFile;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.SimulationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code summary.json}: the scenario, a summary of the price path, every {@link
 * dev.backstop.sim.run.PolicyMetrics} field of every policy, and the real-population replay's rows.
 *
 * <p>Money, sizes and prices are written as decimal strings ({@code "1234567.891234"}), ratios and
 * counts as JSON numbers (plain, never in exponent form), a missing ratio (PTSR or PMR without a
 * deficit) or a missing replay as {@code null}. The long series behind the charts (timelines,
 * Lorenz curves) are left to the HTML report. First comes {@code run}, where the file came from
 * ({@link RunInfo}: tool, version, commit, command line, date); the rest depends on the result
 * only: the same result and run give the same bytes (two-space indent, {@code \n} line ends).
 */
public final class SummaryJson {

  /** The file's name in a report directory. */
  public static final String FILE_NAME = "summary.json";

  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  private SummaryJson() {}

  /** The JSON text, ending with a line break. */
  public static String render(SimulationResult result, RunInfo run) {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    try {
      return MAPPER.writer(printer).writeValueAsString(tree(result, run)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@link #render} to {@code file}, through a staged file ({@link AtomicFile}). */
  public static void write(SimulationResult result, RunInfo run, Path file) throws IOException {
    AtomicFile.write(file, render(result, run));
  }

  private static ObjectNode tree(SimulationResult result, RunInfo run) {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("run", run(run));
    root.put("scenario", result.scenario());
    root.put("description", result.description());
    root.put("seed", result.seed());
    root.put("market", result.market());
    root.put("accounts", result.accounts());
    root.put("openInterest", result.openInterest().toString());
    PathSummary path = PathSummary.of(result.path());
    ObjectNode pathNode = root.putObject("path");
    pathNode.put("points", path.points());
    pathNode.put("durationMillis", path.durationMillis());
    putPlainText(pathNode, "start", path.start());
    putPlainText(pathNode, "low", path.low());
    putPlainText(pathNode, "end", path.end());
    pathNode.put("maxDrawdown", Units.plain(path.maxDrawdown()));
    ArrayNode policies = root.putArray("policies");
    for (PolicyResult policy : result.policies()) {
      ObjectNode node = policies.addObject();
      node.put("policy", policy.policy());
      node.put("description", policy.description());
      ObjectNode metrics = node.putObject("metrics");
      for (MetricFields.Field field : MetricFields.of(policy.metrics())) {
        putField(metrics, field);
      }
    }
    if (result.replay() == null) {
      root.putNull("replay");
    } else {
      root.set("replay", replay(result.replay()));
    }
    return root;
  }

  /** Where the file came from, as {@code run} of summary.json and of the sweep's JSON. */
  static ObjectNode run(RunInfo run) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("tool", run.tool());
    node.put("version", run.version());
    node.put("commit", run.commit());
    node.put("commandLine", run.commandLine());
    node.put("date", run.date());
    return node;
  }

  private static ObjectNode replay(ReplayResult replay) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("source", replay.source());
    node.put("winners", replay.winners());
    node.put("capacity", replay.capacity().toString());
    node.put("budget", replay.budget().toString());
    replayRows(node.putArray("rows"), replay.rows());
    if (!replay.perWave().isEmpty()) {
      node.put("neededBudget", replay.neededBudget().toString());
      replayRows(node.putArray("perWave"), replay.perWave());
    }
    return node;
  }

  private static void replayRows(ArrayNode rows, List<ReplayRow> replayRows) {
    for (ReplayRow row : replayRows) {
      ObjectNode r = rows.addObject();
      r.put("policy", row.policy());
      r.put("basis", row.basis());
      r.put("rounds", row.rounds());
      r.put("budget", row.budget().toString());
      r.put("taken", row.taken().toString());
      r.put("accountsHit", row.accountsHit());
      r.put("largestBurden", Units.plain(row.largestBurden()));
      r.put("top10Share", Units.plain(row.top10Share()));
      r.put("gini", Units.plain(row.gini()));
    }
  }

  static void putField(ObjectNode node, MetricFields.Field field) {
    String name = field.name();
    switch (field.value()) {
      case null -> node.putNull(name);
      case Decimal money -> node.put(name, money.toString());
      case Double ratio -> node.put(name, Units.plain(ratio));
      case Long count -> node.put(name, count);
      case Boolean flag -> node.put(name, flag);
      case String text -> node.put(name, text);
      default -> throw new IllegalStateException("unexpected value of " + name);
    }
  }

  /** A price as a decimal string, or null for an empty path. */
  private static void putPlainText(ObjectNode node, String name, double value) {
    BigDecimal plain = Units.plain(value);
    if (plain == null) {
      node.putNull(name);
    } else {
      node.put(name, plain.toPlainString());
    }
  }
}
