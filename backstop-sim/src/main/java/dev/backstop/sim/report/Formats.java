package dev.backstop.sim.report;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.num.Units;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * How the reports write numbers: money exactly (decimal strings) in the data files, with thousands
 * separators for people, rounded to whole dollars (half up) in the terminal and the HTML tables;
 * shares as percents; doubles in the data files as their shortest exact decimal, never in exponent
 * form.
 */
final class Formats {

  /** Shown for a ratio that does not exist (PTSR and PMR without a deficit). */
  static final String NONE = "-";

  private Formats() {}

  /** Whole dollars with thousands separators, rounded half up: {@code 1,234,568}. */
  static String wholeDollars(Decimal d) {
    return String.format(Locale.ROOT, "%,.0f", Units.exact(d));
  }

  /** A size with thousands separators and two decimals, rounded half up: {@code 1,234.57}. */
  static String size(Decimal d) {
    return String.format(Locale.ROOT, "%,.2f", Units.exact(d));
  }

  /** A count with thousands separators. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A share as a percent with one decimal: {@code 0.1234 -> 12.3%}. */
  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  /**
   * A share as a percent with the decimals it needs to show its first two significant digits, at
   * most three: {@code 1.0 -> 100.0%}, {@code 0.0243 -> 2.4%}, {@code 0.00031 -> 0.031%}.
   */
  static String finePercent(double share) {
    double percent = 100 * share;
    int decimals = percent >= 1 || percent == 0 ? 1 : percent >= 0.1 ? 2 : 3;
    return String.format(Locale.ROOT, "%." + decimals + "f%%", percent);
  }

  /** A ratio with {@code decimals} decimals. */
  static String ratio(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /** A ratio with {@code decimals} decimals, or {@link #NONE}. */
  static String ratio(Double value, int decimals) {
    return value == null ? NONE : ratio(value.doubleValue(), decimals);
  }

  /**
   * A price or a balance for a sentence, or a number on a chart axis: thousands separators, at most
   * two decimals.
   */
  static String amount(double value) {
    BigDecimal d = Units.plain(Math.round(value * 100) / 100.0);
    return d == null
        ? String.valueOf(value)
        : String.format(Locale.ROOT, "%,." + d.scale() + "f", d);
  }

  /** Minutes, with one decimal. */
  static String minutes(long millis) {
    return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
  }
}
