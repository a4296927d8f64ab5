package dev.backstop.sim.paper;

import dev.backstop.sim.csv.CsvReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Production's overshoot at several evaluation horizons, in the layout of {@code
 * adl_horizon_sweep.csv} ({@code pluriholonomic/autodeleveraging-analysis}, {@code
 * out/eval_horizon_sweep_gap_ms=5000.csv}): one row per horizon, read by header name. The winners'
 * losses are measured that many milliseconds after each wave; the spread is the papers' robustness
 * band (Chitra et al., arXiv 2602.15182, section 5.1 and Figure 3: "$45.0M-$51.7M").
 *
 * @param source the name the file was read from
 * @param rows one per horizon, in file order
 */
public record HorizonSweep(String source, List<Horizon> rows) {

  /** The file's name in the shared 2025-10-10 folder. */
  public static final String FILE_NAME = "adl_horizon_sweep.csv";

  static final String HORIZON = "eval_horizon_ms";
  static final String DEFICIT = "total_deficit_usd";
  static final String NEEDED = "total_budget_needed_usd";
  static final String PRODUCTION = "total_H_prod_usd";
  static final String OVERSHOOT = "total_overshoot_prod_minus_needed_usd";

  /** Copies the rows. */
  public HorizonSweep {
    rows = List.copyOf(rows);
  }

  /**
   * One horizon's totals over the waves, dollars.
   *
   * @param horizonMillis milliseconds after each wave at which the winners' losses are measured
   * @param deficit {@code sum_t D_t}
   * @param needed {@code sum_t B_t}
   * @param production {@code sum_t H_prod,t}
   * @param overshoot {@code sum_t (H_prod,t - B_t)}, as the file gives it
   */
  public record Horizon(
      long horizonMillis, double deficit, double needed, double production, double overshoot) {}

  /** Reads a UTF-8 file. */
  public static HorizonSweep read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    }
  }

  /**
   * Parses a file.
   *
   * @param source the name used in error messages
   * @throws WaveFileException naming the line and column at fault
   */
  public static HorizonSweep parse(Reader reader, String source) throws IOException {
    CsvReader<WaveFileException> csv = CsvReader.of(reader, source, WaveFileException::new);
    csv.readHeader();
    csv.require(List.of(HORIZON, DEFICIT, NEEDED, PRODUCTION, OVERSHOOT));
    List<Horizon> rows = new ArrayList<>();
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      double horizon = WaveFile.number(row.get(csv.column(HORIZON)), row.where(), HORIZON);
      if (horizon != Math.rint(horizon)) {
        throw new WaveFileException(
            row.where() + ", column '" + HORIZON + "': not a whole number of milliseconds");
      }
      rows.add(
          new Horizon(
              (long) horizon,
              WaveFile.number(row.get(csv.column(DEFICIT)), row.where(), DEFICIT),
              WaveFile.number(row.get(csv.column(NEEDED)), row.where(), NEEDED),
              WaveFile.number(row.get(csv.column(PRODUCTION)), row.where(), PRODUCTION),
              signed(row.get(csv.column(OVERSHOOT)), row.where())));
    }
    if (rows.isEmpty()) {
      throw new WaveFileException(source + ": no horizons after the header");
    }
    return new HorizonSweep(source, rows);
  }

  /** The overshoot may be negative (production taking less than needed). */
  private static double signed(String text, String where) throws WaveFileException {
    boolean negative = text.startsWith("-");
    double magnitude = WaveFile.number(negative ? text.substring(1) : text, where, OVERSHOOT);
    return negative ? -magnitude : magnitude;
  }

  /** The horizon with the smallest overshoot (the first on ties). */
  public Horizon lowest() {
    Horizon best = rows.get(0);
    for (Horizon h : rows) {
      if (h.overshoot() < best.overshoot()) {
        best = h;
      }
    }
    return best;
  }

  /** The horizon with the largest overshoot (the first on ties). */
  public Horizon highest() {
    Horizon best = rows.get(0);
    for (Horizon h : rows) {
      if (h.overshoot() > best.overshoot()) {
        best = h;
      }
    }
    return best;
  }
}
