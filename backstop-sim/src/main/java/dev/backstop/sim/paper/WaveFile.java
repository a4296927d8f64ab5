package dev.backstop.sim.paper;

import dev.backstop.sim.csv.CsvReader;
import dev.backstop.sim.csv.StrictCsv;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ADL episode cut into waves (rounds), in the layout of {@code adl_waves_policy_metrics.csv}
 * from {@code pluriholonomic/autodeleveraging-analysis}: one row per wave, read by header name.
 *
 * <p>A policy {@code X} is every name for which both {@code budget_X} (the budget {@code H_t} the
 * policy took in the wave) and {@code max_pct_X} (its largest burden) are present, in the order of
 * the {@code budget_X} columns. Besides those, the file must have {@code budget_needed} (the budget
 * {@code B_t} that had to be clawed back) and {@code deficit_usd} (the wave's deficit {@code D_t}),
 * and the policies {@value #PRODUCTION} and {@value #MIN_MAX_BENCHMARK}. {@code total_cap} (the
 * wave's total capacity {@code U_t}, the sum of seizable positive PnL) and {@code max_burden_X}
 * columns are optional, and so is {@value #WAVE}, the waves' names. Other columns are ignored, but
 * every row must have as many fields as the header. Numbers are plain decimals (an exponent is
 * allowed), finite and non-negative.
 *
 * <p><b>Two normalisations of the largest burden.</b> The papers define {@code m_t = max_i x_i /
 * u_i}, normalised by capacity (arXiv 2602.15182, eq. 10 and section 5). The file's {@code
 * max_pct_X} is normalised by <em>equity</em>: the upstream code computes it as {@code
 * max_pct_haircut(h, equity)}, {@code max_i x_i / e_i} ({@code src/oss_adl/policy_per_wave.py}),
 * and that is what Table 2 is computed from. {@link #largestBurden} reads it as it is; {@link
 * #capacityBurden} gives {@code max_i x_i / u_i} where the file determines it: a {@code
 * max_burden_X} column if there is one, and otherwise for continuous wealth pro rata ({@value
 * #WEALTH_PRO_RATA}, {@code x_i = H_t u_i / U_t}) exactly {@code H_t / U_t}.
 */
public final class WaveFile {

  /** The production queue's policy name. */
  public static final String PRODUCTION = "prod";

  /** The min-max integer benchmark, the allocation minimising the largest burden. */
  public static final String MIN_MAX_BENCHMARK = "fixed_point_ilp_integer";

  /** Continuous wealth pro rata, whose capacity-normalised burden is {@code H_t / U_t}. */
  public static final String WEALTH_PRO_RATA = "pr";

  static final String BUDGET_NEEDED = "budget_needed";
  static final String DEFICIT = "deficit_usd";
  static final String TOTAL_CAPACITY = "total_cap";
  static final String WAVE = "wave";
  private static final String BUDGET_PREFIX = "budget_";
  private static final String BURDEN_PREFIX = "max_pct_";
  private static final String CAPACITY_BURDEN_PREFIX = "max_burden_";

  private final String source;
  private final List<String> policies;
  private final List<String> labels;
  private final double[] budgetNeeded;
  private final double[] deficit;
  private final double[] totalCapacity;
  private final Map<String, double[]> budget;
  private final Map<String, double[]> largestBurden;
  private final Map<String, double[]> capacityBurden;

  private WaveFile(
      String source,
      List<String> policies,
      List<String> labels,
      double[] budgetNeeded,
      double[] deficit,
      double[] totalCapacity,
      Map<String, double[]> budget,
      Map<String, double[]> largestBurden,
      Map<String, double[]> capacityBurden) {
    this.source = source;
    this.policies = List.copyOf(policies);
    this.labels = List.copyOf(labels);
    this.budgetNeeded = budgetNeeded;
    this.deficit = deficit;
    this.totalCapacity = totalCapacity;
    this.budget = budget;
    this.largestBurden = largestBurden;
    this.capacityBurden = capacityBurden;
  }

  /** Reads a UTF-8 per-wave file. */
  public static WaveFile read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    }
  }

  /**
   * Parses a per-wave file.
   *
   * @param source the name used in error messages
   * @throws WaveFileException naming the line and column at fault
   */
  public static WaveFile parse(Reader reader, String source) throws IOException {
    CsvReader<WaveFileException> csv = CsvReader.of(reader, source, WaveFileException::new);
    List<String> header = csv.readHeader();
    List<String> policies = new ArrayList<>();
    for (String column : header) {
      if (column.startsWith(BUDGET_PREFIX)) {
        String policy = column.substring(BUDGET_PREFIX.length());
        if (csv.has(BURDEN_PREFIX + policy)) {
          policies.add(policy);
        }
      }
    }
    List<String> required = new ArrayList<>(List.of(BUDGET_NEEDED, DEFICIT));
    for (String policy : List.of(PRODUCTION, MIN_MAX_BENCHMARK)) {
      required.add(BUDGET_PREFIX + policy);
      required.add(BURDEN_PREFIX + policy);
    }
    csv.require(required);

    Map<String, List<Double>> values = new LinkedHashMap<>();
    values.put(BUDGET_NEEDED, new ArrayList<>());
    values.put(DEFICIT, new ArrayList<>());
    if (csv.has(TOTAL_CAPACITY)) {
      values.put(TOTAL_CAPACITY, new ArrayList<>());
    }
    for (String policy : policies) {
      values.put(BUDGET_PREFIX + policy, new ArrayList<>());
      values.put(BURDEN_PREFIX + policy, new ArrayList<>());
      if (csv.has(CAPACITY_BURDEN_PREFIX + policy)) {
        values.put(CAPACITY_BURDEN_PREFIX + policy, new ArrayList<>());
      }
    }
    List<String> labels = new ArrayList<>();
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      labels.add(
          csv.has(WAVE) ? row.get(csv.column(WAVE)).strip() : Integer.toString(labels.size() + 1));
      for (Map.Entry<String, List<Double>> column : values.entrySet()) {
        String text = row.get(csv.column(column.getKey()));
        column.getValue().add(number(text, row.where(), column.getKey()));
      }
    }
    if (labels.isEmpty()) {
      throw new WaveFileException(source + ": no waves after the header");
    }

    Map<String, double[]> budget = new LinkedHashMap<>();
    Map<String, double[]> largestBurden = new LinkedHashMap<>();
    Map<String, double[]> capacityBurden = new LinkedHashMap<>();
    for (String policy : policies) {
      budget.put(policy, toArray(values.get(BUDGET_PREFIX + policy)));
      largestBurden.put(policy, toArray(values.get(BURDEN_PREFIX + policy)));
      if (values.containsKey(CAPACITY_BURDEN_PREFIX + policy)) {
        capacityBurden.put(policy, toArray(values.get(CAPACITY_BURDEN_PREFIX + policy)));
      }
    }
    return new WaveFile(
        source,
        policies,
        labels,
        toArray(values.get(BUDGET_NEEDED)),
        toArray(values.get(DEFICIT)),
        values.containsKey(TOTAL_CAPACITY) ? toArray(values.get(TOTAL_CAPACITY)) : null,
        budget,
        largestBurden,
        capacityBurden);
  }

  /**
   * A field as a finite, non-negative plain decimal (an exponent allowed).
   *
   * @throws WaveFileException naming {@code where} and the column
   */
  static double number(String text, String where, String column) throws WaveFileException {
    if (!StrictCsv.isNumber(text)) {
      throw new WaveFileException(
          where + ", column '" + column + "': '" + text + "' is not a decimal number");
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      throw new WaveFileException(where + ", column '" + column + "': '" + text + "' overflows");
    }
    if (value < 0) {
      throw new WaveFileException(where + ", column '" + column + "': '" + text + "' is negative");
    }
    return value;
  }

  private static double[] toArray(List<Double> list) {
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The name the file was read from. */
  public String source() {
    return source;
  }

  /** The policies found, in the order of their {@code budget_X} columns. */
  public List<String> policies() {
    return policies;
  }

  /** The number of waves (rounds) {@code T}. */
  public int waveCount() {
    return budgetNeeded.length;
  }

  /**
   * The name of wave {@code t} (0-based): its {@value #WAVE} column as written (the 2025-10-10 file
   * numbers its waves 1, 2, 4, 5, 7, ...: the gaps are waves without a deficit), else its place in
   * the file from 1.
   */
  public String waveLabel(int t) {
    return labels.get(t);
  }

  /** {@code B_t}: the budget that had to be clawed back in wave {@code t} (0-based). */
  public double budgetNeeded(int t) {
    return budgetNeeded[t];
  }

  /** {@code D_t}: the deficit of wave {@code t} (0-based). */
  public double deficit(int t) {
    return deficit[t];
  }

  /** {@code H_t}: the budget {@code policy} took in wave {@code t} (0-based). */
  public double budget(String policy, int t) {
    return column(budget, policy)[t];
  }

  /**
   * {@code m_t} as the file gives it, {@code max_pct_X}: the largest burden of {@code policy} in
   * wave {@code t}, normalised by equity (see the class comment).
   */
  public double largestBurden(String policy, int t) {
    return column(largestBurden, policy)[t];
  }

  /** Whether the file has {@code total_cap}, the waves' total capacities. */
  public boolean hasTotalCapacity() {
    return totalCapacity != null;
  }

  /** {@code U_t}: the total capacity of wave {@code t}; NaN without a {@code total_cap} column. */
  public double totalCapacity(int t) {
    return totalCapacity == null ? Double.NaN : totalCapacity[t];
  }

  /**
   * The largest capacity-normalised burden {@code max_i x_i / u_i} of {@code policy} in wave {@code
   * t} where the file determines it: its {@code max_burden_X} column, or {@code H_t / U_t} for
   * {@value #WEALTH_PRO_RATA}; NaN otherwise (the file's {@code max_pct_X} is normalised by equity
   * and cannot be converted).
   */
  public double capacityBurden(String policy, int t) {
    double[] given = capacityBurden.get(policy);
    if (given != null) {
      return given[t];
    }
    if (policy.equals(WEALTH_PRO_RATA) && budget.containsKey(policy)) {
      return ratio(budget(policy, t), totalCapacity(t));
    }
    column(budget, policy);
    return Double.NaN;
  }

  /**
   * {@code B_t / U_t}: the least largest capacity-normalised burden that meets the needed budget,
   * reached by wealth pro rata (arXiv 2602.15182, Appendix C, Proposition 9: the min-max optimum is
   * pro rata); NaN without {@code total_cap}.
   */
  public double minMaxCapacityBurden(int t) {
    return ratio(budgetNeeded(t), totalCapacity(t));
  }

  /** {@code a / b} for a burden, 0 when both are 0, NaN when {@code b} is unknown. */
  private static double ratio(double a, double b) {
    if (Double.isNaN(b)) {
      return Double.NaN;
    }
    return a == 0 ? 0 : Math.min(1, a / b);
  }

  private static double[] column(Map<String, double[]> columns, String policy) {
    double[] column = columns.get(policy);
    if (column == null) {
      throw new IllegalArgumentException("no policy '" + policy + "' in this wave file");
    }
    return column;
  }
}
