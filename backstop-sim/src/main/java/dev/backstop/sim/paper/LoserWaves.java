package dev.backstop.sim.paper;

import dev.backstop.sim.csv.CsvReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The losers behind each wave's deficit, in the layout of {@code adl_waves_bad_debt_losers.csv}
 * ({@code pluriholonomic/autodeleveraging-analysis}, {@code out/bad_debt_loser_waves.csv}): one row
 * per wave, in the order of the per-wave file, with the wave's deficit ({@value #DEFICIT}) and its
 * largest single loser's shortfall ({@value #MAX_LOSS}), read by header name.
 *
 * <p>A wave's deficit counts every loser still short in it, so a loser whose shortfall was not
 * covered counts again in the next wave. On 2025-10-10 one loser's 10,925,707.16 is the largest
 * loss of 9 of the 16 waves, and the deficits sum to 100.06M though the losers were short of
 * 12.66M. The file names no loser: a largest loss equal to the last digit to an earlier wave's is
 * taken to be that same loser's, and {@link #deficitsCountingEachLoserOnce} leaves it out of the
 * later waves. Smaller losers cannot be told apart and stay counted in every wave.
 */
public final class LoserWaves {

  /** The file's name in the shared 2025-10-10 folder. */
  public static final String FILE_NAME = "adl_waves_bad_debt_losers.csv";

  static final String DEFICIT = "deficit_usd";
  static final String MAX_LOSS = "max_loss_usd";

  private final String source;
  private final double[] deficit;
  private final double[] maxLoss;

  private LoserWaves(String source, double[] deficit, double[] maxLoss) {
    this.source = source;
    this.deficit = deficit;
    this.maxLoss = maxLoss;
  }

  /** Reads a UTF-8 file. */
  public static LoserWaves read(Path file) throws IOException {
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
  public static LoserWaves parse(Reader reader, String source) throws IOException {
    CsvReader<WaveFileException> csv = CsvReader.of(reader, source, WaveFileException::new);
    csv.readHeader();
    csv.require(List.of(DEFICIT, MAX_LOSS));
    List<double[]> rows = new ArrayList<>();
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      double d = WaveFile.number(row.get(csv.column(DEFICIT)), row.where(), DEFICIT);
      double m = WaveFile.number(row.get(csv.column(MAX_LOSS)), row.where(), MAX_LOSS);
      if (m > d) {
        throw new WaveFileException(
            row.where() + ", column '" + MAX_LOSS + "': " + m + " exceeds the deficit " + d);
      }
      rows.add(new double[] {d, m});
    }
    if (rows.isEmpty()) {
      throw new WaveFileException(source + ": no waves after the header");
    }
    double[] deficit = new double[rows.size()];
    double[] maxLoss = new double[rows.size()];
    for (int t = 0; t < rows.size(); t++) {
      deficit[t] = rows.get(t)[0];
      maxLoss[t] = rows.get(t)[1];
    }
    return new LoserWaves(source, deficit, maxLoss);
  }

  /** The name the file was read from. */
  public String source() {
    return source;
  }

  /** The number of waves. */
  public int waveCount() {
    return deficit.length;
  }

  /** The largest single loser's shortfall in wave {@code t} (0-based). */
  public double maxLoss(int t) {
    return maxLoss[t];
  }

  /** Waves whose largest loss is an earlier wave's, the same loser counted again. */
  public int repeats() {
    int repeats = 0;
    Set<Double> seen = new HashSet<>();
    for (double m : maxLoss) {
      if (m > 0 && !seen.add(m)) {
        repeats++;
      }
    }
    return repeats;
  }

  /**
   * The deficits of {@code waves} with each identifiable loser counted once: a wave's deficit less
   * its largest loss when that loss is an earlier wave's.
   *
   * @throws IllegalArgumentException if the two files do not describe the same waves (count, or a
   *     deficit that differs by more than a millionth)
   */
  public double[] deficitsCountingEachLoserOnce(WaveFile waves) {
    if (waves.waveCount() != deficit.length) {
      throw new IllegalArgumentException(
          source
              + " has "
              + deficit.length
              + " waves, "
              + waves.source()
              + " "
              + waves.waveCount());
    }
    double[] once = new double[deficit.length];
    Set<Double> seen = new HashSet<>();
    for (int t = 0; t < deficit.length; t++) {
      double d = waves.deficit(t);
      if (Math.abs(d - deficit[t]) > 1e-6 * Math.max(1, d)) {
        throw new IllegalArgumentException(
            "wave "
                + (t + 1)
                + ": the deficit is "
                + deficit[t]
                + " in "
                + source
                + " but "
                + d
                + " in "
                + waves.source());
      }
      boolean again = maxLoss[t] > 0 && !seen.add(maxLoss[t]);
      once[t] = again ? Math.max(0, d - maxLoss[t]) : d;
    }
    return once;
  }
}
