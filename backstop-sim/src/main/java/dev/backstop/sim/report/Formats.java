package dev.backstop.sim.report;

import dev.backstop.core.num.Decimal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * How the reports write numbers: money exactly (decimal strings) in the data files, with thousands
 * separators for people, rounded to whole dollars (half up) in the terminal; shares as percents;
 * doubles in the data files as their shortest exact decimal, never in exponent form.
 */
final class Formats {

  /** Shown for a ratio that does not exist (PTSR and PMR without a deficit). */
  static final String NONE = "-";

  private Formats() {}

  /** The exact value of {@code d}. */
  static BigDecimal exact(Decimal d) {
    return new BigDecimal(BigInteger.valueOf(d.unscaled()), d.scale());
  }

  /** Whole dollars with thousands separators, rounded half up: {@code 1,234,568}. */
  static String wholeDollars(Decimal d) {
    return String.format(Locale.ROOT, "%,.0f", exact(d));
  }

  /** Every decimal of {@code d} with thousands separators: {@code 1,234,567.891234}. */
  static String fullDollars(Decimal d) {
    return String.format(Locale.ROOT, "%,." + d.scale() + "f", exact(d));
  }

  /** A count with thousands separators. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A share as a percent with one decimal: {@code 0.1234 -> 12.3%}. */
  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
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
   * The shortest decimal that reads back as {@code value}, plain ({@code 0.00001}, not {@code
   * 1.0E-5}); null for NaN and the infinities, which JSON cannot hold.
   */
  static BigDecimal plain(double value) {
    if (!Double.isFinite(value)) {
      return null;
    }
    BigDecimal d = BigDecimal.valueOf(value).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /** {@link #plain(double)} as text, or the empty string for a non-finite value. */
  static String plainText(double value) {
    BigDecimal d = plain(value);
    return d == null ? "" : d.toPlainString();
  }

  /** A price or a balance for a sentence: thousands separators, at most two decimals. */
  static String amount(double value) {
    BigDecimal d = plain(Math.round(value * 100) / 100.0);
    return d == null
        ? String.valueOf(value)
        : String.format(Locale.ROOT, "%,." + d.scale() + "f", d);
  }

  /** Minutes, with one decimal. */
  static String minutes(long millis) {
    return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
  }
}
