package dev.backstop.core.num;

/**
 * An exact decimal number as it was written: {@code unscaled * 10^-scale}. Commands carry sizes,
 * prices and amounts in this form; the engine converts them to a market's scale and rejects any
 * value that the scale cannot hold exactly.
 *
 * @param unscaled the digits as an integer
 * @param scale the number of decimals, 0 to 18
 */
public record Decimal(long unscaled, int scale) implements Comparable<Decimal> {

  /** Zero. */
  public static final Decimal ZERO = new Decimal(0, 0);

  /** The largest scale accepted. */
  public static final int MAX_SCALE = 18;

  /**
   * Validates the scale. The value is kept as written; {@link #unscaled()} and {@link #scale()}
   * give its shortest form (no trailing zero decimals), so equal values are equal and print alike.
   * The shortest form is found when it is read, not when the number is made: the engine makes
   * several decimals for every event, most of them never read but by a sign or a conversion to
   * units.
   */
  public Decimal {
    if (scale < 0 || scale > MAX_SCALE) {
      throw new IllegalArgumentException("scale must be 0.." + MAX_SCALE + ": " + scale);
    }
    if (unscaled == 0) {
      scale = 0;
    }
  }

  /**
   * How many trailing zero decimals {@code unscaled * 10^-scale} has: stripped four at a time, and
   * at most its binary trailing zeros (a number ending in d decimal zeros is a multiple of 2^d), so
   * that an odd number costs no division.
   */
  private static int trailingZeros(long unscaled, int scale) {
    if (unscaled == 0) {
      return 0;
    }
    int most = Math.min(scale, Long.numberOfTrailingZeros(unscaled));
    int zeros = 0;
    long u = unscaled;
    while (most - zeros >= 4 && u % 10_000 == 0) {
      u /= 10_000;
      zeros += 4;
    }
    while (most > zeros && u % 10 == 0) {
      u /= 10;
      zeros++;
    }
    return zeros;
  }

  /** The digits of the shortest form as an integer. */
  @Override
  public long unscaled() {
    int zeros = trailingZeros(unscaled, scale);
    return zeros == 0 ? unscaled : unscaled / Fixed.pow10(zeros);
  }

  /** The number of decimals of the shortest form, 0 to 18. */
  @Override
  public int scale() {
    return scale - trailingZeros(unscaled, scale);
  }

  /**
   * Writes the shortest form into {@code chars} ending before {@code end}, as {@link
   * Fixed#formatInto} does; returns where it starts. The number as made is formatted: {@link
   * Fixed#formatInto} leaves out trailing zero decimals itself, so the text is the shortest form's
   * without finding it first (which cost a division per zero, and one by a power of ten).
   */
  public int formatInto(char[] chars, int end) {
    return Fixed.formatInto(unscaled, scale, chars, end);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Decimal d)) {
      return false;
    }
    // Shortest forms are equal iff the values are: compare at the larger scale, exactly.
    return scale >= d.scale
        ? sameAt(unscaled, d.unscaled, scale - d.scale)
        : sameAt(d.unscaled, unscaled, d.scale - scale);
  }

  /** Whether {@code a == b * 10^shift}, without overflow. */
  private static boolean sameAt(long a, long b, int shift) {
    if (shift == 0) {
      return a == b;
    }
    long p = Fixed.pow10(shift);
    return a % p == 0 && a / p == b;
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(unscaled()) + scale();
  }

  /** A whole number. */
  public static Decimal of(long whole) {
    return new Decimal(whole, 0);
  }

  /** Units of a fixed-point scale as a decimal. */
  public static Decimal ofUnits(long units, int decimals) {
    return new Decimal(units, decimals);
  }

  /** An amount of money in micro-units ({@link Fixed#MONEY_DECIMALS}). */
  public static Decimal money(long units) {
    return ofUnits(units, Fixed.MONEY_DECIMALS);
  }

  /** A rate in rate units ({@link Fixed#RATE_DECIMALS}). */
  public static Decimal rate(long units) {
    return ofUnits(units, Fixed.RATE_DECIMALS);
  }

  /**
   * Parses a plain decimal string, strictly: an optional {@code -}, the whole part (a single {@code
   * 0} or digits not starting with {@code 0}), then optionally {@code .} and at least one digit. No
   * {@code +}, no leading zeros ({@code 007}), no bare point ({@code 1.}, {@code .5}), no exponent,
   * no spaces, no {@code NaN} or {@code Infinity}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Decimal parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing number");
    }
    int n = text.length();
    if (n == 0) {
      throw new IllegalArgumentException("empty number");
    }
    int i = 0;
    boolean negative = false;
    char first = text.charAt(0);
    if (first == '+') {
      throw new IllegalArgumentException("not a decimal number (no '+' sign): '" + text + "'");
    }
    if (first == '-') {
      negative = true;
      i = 1;
    }
    int wholeStart = i;
    long unscaled = 0;
    int scale = 0;
    boolean point = false;
    boolean digits = false;
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (point) {
          throw malformed(text);
        }
        if (i == wholeStart) {
          throw new IllegalArgumentException(
              "not a decimal number (a digit must come before the point): '" + text + "'");
        }
        if (i == n - 1) {
          throw new IllegalArgumentException(
              "not a decimal number (a digit must follow the point): '" + text + "'");
        }
        point = true;
      } else if (c >= '0' && c <= '9') {
        if (!point && i == wholeStart + 1 && text.charAt(wholeStart) == '0') {
          throw new IllegalArgumentException(
              "not a decimal number (no leading zeros): '" + text + "'");
        }
        digits = true;
        if (point) {
          scale++;
          if (scale > MAX_SCALE) {
            throw new IllegalArgumentException(
                "too many decimals (at most " + MAX_SCALE + "): '" + text + "'");
          }
        }
        try {
          // Accumulate as a negative number so that Long.MIN_VALUE parses too.
          unscaled = Math.subtractExact(Math.multiplyExact(unscaled, 10), c - '0');
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException("number out of range: '" + text + "'", e);
        }
      } else {
        throw malformed(text);
      }
    }
    if (!digits) {
      throw malformed(text);
    }
    if (!negative && unscaled == Long.MIN_VALUE) {
      throw new IllegalArgumentException("number out of range: '" + text + "'");
    }
    return new Decimal(negative ? unscaled : -unscaled, scale);
  }

  private static IllegalArgumentException malformed(String text) {
    return new IllegalArgumentException("not a decimal number: '" + text + "'");
  }

  /**
   * This value in units of {@code decimals}, exactly.
   *
   * @throws IllegalArgumentException if it has more significant decimals than {@code decimals} or
   *     does not fit in a {@code long}
   */
  public long toUnits(int decimals) {
    Decimal d = scale > decimals ? new Decimal(unscaled(), scale()) : this;
    if (d.scale > decimals) {
      throw new IllegalArgumentException("'" + this + "' has more than " + decimals + " decimals");
    }
    try {
      return Math.multiplyExact(d.unscaled, Fixed.pow10(decimals - d.scale));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + this + "' is out of range", e);
    }
  }

  /** Sign: -1, 0 or 1. */
  public int signum() {
    return Long.signum(unscaled);
  }

  /** For reports and statistics only. */
  public double toDouble() {
    return unscaled() / StrictMath.pow(10, scale());
  }

  @Override
  public int compareTo(Decimal other) {
    return new java.math.BigDecimal(java.math.BigInteger.valueOf(unscaled), scale)
        .compareTo(
            new java.math.BigDecimal(java.math.BigInteger.valueOf(other.unscaled), other.scale));
  }

  @Override
  public String toString() {
    return Fixed.format(unscaled, scale);
  }
}
