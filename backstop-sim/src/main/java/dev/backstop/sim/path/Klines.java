package dev.backstop.sim.path;

import dev.backstop.sim.csv.CsvReader;
import dev.backstop.sim.csv.StrictCsv;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads exchange 1-minute klines (candlesticks) as a {@link PricePath}, in the CSV layout of
 * Binance's public market data ({@code data.binance.vision}; columns as listed in the README of
 * {@code binance/binance-public-data}, "Klines"): open time, open, high, low, close, volume, then
 * any further columns (close time, quote volume, number of trades, taker volumes, ...), which are
 * counted but not read.
 *
 * <p>The open time is an integer epoch in milliseconds, or in microseconds when it exceeds {@code
 * 10^14} (that README: "the timestamp for SPOT Data from January 1st 2025 onwards will be in
 * microseconds"; futures files stay in milliseconds). The unit is decided row by row, so files from
 * both sides of the switch may be concatenated; a microsecond time must be a whole millisecond. A
 * header row is optional: the first line is one if its first field is not a number. Every row must
 * have as many fields as the first line, and at least six. A byte-order mark and CRLF line ends are
 * accepted.
 *
 * <p>Each bar becomes four points within its minute, in the order the price most plausibly took:
 * the open at +0 s; then, for a bar closing below its open, the high at +15 s and the low at +30 s
 * (it rose first, then fell through), and for any other bar the low at +15 s and the high at +30 s;
 * the close at +45 s. Times are relative to the first bar's open. Bars must follow each other by at
 * least one minute; gaps are kept as they are. Prices must be finite and positive, the high at
 * least the open and the close, the low at most both, and the volume non-negative.
 */
public final class Klines {

  /** The columns read, as Binance names them. */
  private static final List<String> COLUMNS =
      List.of("open_time", "open", "high", "low", "close", "volume");

  /**
   * Open times above this are microseconds: 10^14 ms is the year 5138, 10^14 microseconds is 1973.
   */
  static final long MICROSECONDS_ABOVE = 100_000_000_000_000L;

  /** A bar's length, and the offsets of its four points within it. */
  private static final long MINUTE = 60_000;

  private static final long FIRST_EXTREME = 15_000;
  private static final long SECOND_EXTREME = 30_000;
  private static final long CLOSE = 45_000;

  private static final Pattern INTEGER = Pattern.compile("\\d+");

  private Klines() {}

  /** Reads a UTF-8 klines file; the path's description is the file's name as given. */
  public static PricePath read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    }
  }

  /**
   * Parses klines.
   *
   * @param source the name used in error messages and as the path's description
   * @throws KlinesException naming the line and column at fault
   */
  public static PricePath parse(Reader reader, String source) throws IOException {
    CsvReader<KlinesException> csv = CsvReader.of(reader, source, KlinesException::new);
    long[] times = new long[1024];
    double[] prices = new double[1024];
    int points = 0;
    int width = -1;
    long firstOpen = 0;
    long previousOpen = 0;
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      String where = row.where();
      List<String> fields = row.fields();
      if (width < 0) {
        if (fields.size() < COLUMNS.size()) {
          throw new KlinesException(
              where + ": " + fields.size() + " fields, a kline has at least " + COLUMNS.size());
        }
        width = fields.size();
        if (!StrictCsv.isNumber(fields.get(0))) {
          continue; // a header
        }
      } else if (fields.size() != width) {
        throw new KlinesException(
            where + ": " + fields.size() + " fields, the first line has " + width);
      }

      long open = openTime(fields.get(0), where);
      double[] bar = new double[4];
      for (int c = 1; c <= 4; c++) {
        bar[c - 1] = number(fields.get(c), where, c, false);
      }
      number(fields.get(5), where, 5, true);
      checkRange(bar, where);
      if (points == 0) {
        firstOpen = open;
      } else if (open - previousOpen < MINUTE) {
        throw new KlinesException(
            column(where, 0)
                + "open time "
                + open
                + " ms is less than a minute after the previous bar's "
                + previousOpen);
      }
      previousOpen = open;

      if (points + 4 > times.length) {
        times = Arrays.copyOf(times, times.length * 2);
        prices = Arrays.copyOf(prices, prices.length * 2);
      }
      long t = open - firstOpen;
      boolean down = bar[3] < bar[0];
      times[points] = t;
      prices[points++] = bar[0];
      times[points] = t + FIRST_EXTREME;
      prices[points++] = down ? bar[1] : bar[2];
      times[points] = t + SECOND_EXTREME;
      prices[points++] = down ? bar[2] : bar[1];
      times[points] = t + CLOSE;
      prices[points++] = bar[3];
    }
    if (points == 0) {
      throw new KlinesException(source + ": no bars");
    }
    return new PricePath(source, Arrays.copyOf(times, points), Arrays.copyOf(prices, points));
  }

  /**
   * The open time in milliseconds, converted from microseconds above {@link #MICROSECONDS_ABOVE}.
   */
  private static long openTime(String text, String where) throws KlinesException {
    long value;
    try {
      value = INTEGER.matcher(text).matches() ? Long.parseLong(text) : -1;
    } catch (NumberFormatException e) {
      value = -1; // too many digits for a long
    }
    if (value < 0) {
      throw new KlinesException(
          column(where, 0)
              + "'"
              + text
              + "' is not a whole epoch time in milliseconds or microseconds");
    }
    if (value <= MICROSECONDS_ABOVE) {
      return value;
    }
    if (value % 1000 != 0) {
      throw new KlinesException(
          column(where, 0) + value + " microseconds is not a whole number of milliseconds");
    }
    return value / 1000;
  }

  /** A price (finite and positive) or, if {@code volume}, a finite non-negative volume. */
  private static double number(String text, String where, int column, boolean volume)
      throws KlinesException {
    if (!StrictCsv.isNumber(text)) {
      throw new KlinesException(column(where, column) + "'" + text + "' is not a decimal number");
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      throw new KlinesException(column(where, column) + "'" + text + "' overflows");
    }
    if (volume ? value < 0 : value <= 0) {
      throw new KlinesException(
          column(where, column) + "'" + text + "' is " + (volume ? "negative" : "not positive"));
    }
    return value;
  }

  /** The high must be at least the open and the close, the low at most both. */
  private static void checkRange(double[] bar, String where) throws KlinesException {
    double open = bar[0];
    double high = bar[1];
    double low = bar[2];
    double close = bar[3];
    if (high < open || high < close) {
      String which = high < open ? "open " + open : "close " + close;
      throw new KlinesException(column(where, 2) + high + " is below the " + which);
    }
    if (low > open || low > close) {
      String which = low > open ? "open " + open : "close " + close;
      throw new KlinesException(column(where, 3) + low + " is above the " + which);
    }
  }

  /** {@code where}, the 1-based column number and its name, ready for the problem. */
  private static String column(String where, int index) {
    return where + ", column " + (index + 1) + " (" + COLUMNS.get(index) + "): ";
  }
}
