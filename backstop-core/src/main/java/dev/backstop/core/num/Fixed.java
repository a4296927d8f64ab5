package dev.backstop.core.num;

import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Fixed-point helpers: scales, exact multiply-divide with a stated rounding direction, and exact
 * conversion to and from decimal strings.
 *
 * <p>Rounding is never implicit. {@link RoundingMode#FLOOR} and {@link RoundingMode#CEILING} are
 * the only modes accepted, so every call site states which way a remainder goes; the engine chooses
 * the direction that favours the venue (what a trader owes rounds up, what a trader receives rounds
 * down).
 */
public final class Fixed {

  /** Decimals of money amounts: one unit is 10^-6 of the quote currency. */
  public static final int MONEY_DECIMALS = 6;

  /** Decimals of rates: one unit is 10^-8 (so 1.0 = 100_000_000). */
  public static final int RATE_DECIMALS = 8;

  /** One whole (1.0) at rate scale. */
  public static final long RATE_ONE = 100_000_000L;

  private static final long[] POW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      if (i < POW10.length - 1) {
        p *= 10;
      }
    }
  }

  private Fixed() {}

  /** {@code 10^n} for {@code 0 <= n <= 18}. */
  public static long pow10(int n) {
    if (n < 0 || n >= POW10.length) {
      throw new IllegalArgumentException("10^" + n + " is out of range");
    }
    return POW10[n];
  }

  /**
   * {@code a * b / c}, exact to the last unit, rounded as stated. The product is formed in 128
   * bits, so it never overflows in the middle; only a result outside {@code long} throws.
   *
   * @param c divisor, must be positive
   * @param rounding {@link RoundingMode#FLOOR} or {@link RoundingMode#CEILING}
   * @throws ArithmeticException if the result does not fit in a {@code long}
   */
  public static long mulDiv(long a, long b, long c, RoundingMode rounding) {
    if (c <= 0) {
      throw new IllegalArgumentException("divisor must be positive: " + c);
    }
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return divide(lo, c, rounding);
    }
    // a = q c + r with 0 <= r < c, so a b / c = q b + r b / c, where q b is exact: the rounding
    // only concerns r b / c, whose product usually fits in 64 bits (a money amount times a rate).
    long q = Math.floorDiv(a, c);
    long r = Math.floorMod(a, c);
    long rHi = Math.multiplyHigh(r, b);
    long rLo = r * b;
    if ((rHi == 0 && rLo >= 0) || (rHi == -1 && rLo < 0)) {
      long whole = Math.multiplyHigh(q, b);
      long wholeLo = q * b;
      if ((whole == 0 && wholeLo >= 0) || (whole == -1 && wholeLo < 0)) {
        long part = divide(rLo, c, rounding);
        long sum = wholeLo + part;
        if (((wholeLo ^ sum) & (part ^ sum)) >= 0) {
          return sum;
        }
      }
    }
    return mulDivWide(a, b, c, rounding);
  }

  private static long mulDivWide(long a, long b, long c, RoundingMode rounding) {
    BigInteger[] qr =
        BigInteger.valueOf(a)
            .multiply(BigInteger.valueOf(b))
            .divideAndRemainder(BigInteger.valueOf(c));
    BigInteger q = qr[0];
    int remainderSign = qr[1].signum();
    if (remainderSign != 0) {
      if (rounding == RoundingMode.FLOOR && remainderSign < 0) {
        q = q.subtract(BigInteger.ONE);
      } else if (rounding == RoundingMode.CEILING && remainderSign > 0) {
        q = q.add(BigInteger.ONE);
      } else {
        checkMode(rounding);
      }
    }
    return q.longValueExact();
  }

  /** {@code n / d} for positive {@code d}, rounded as stated. */
  public static long divide(long n, long d, RoundingMode rounding) {
    if (d <= 0) {
      throw new IllegalArgumentException("divisor must be positive: " + d);
    }
    return switch (rounding) {
      case FLOOR -> Math.floorDiv(n, d);
      case CEILING -> Math.ceilDiv(n, d);
      default -> throw unsupported(rounding);
    };
  }

  /**
   * Rescales {@code value} from {@code fromDecimals} to {@code toDecimals}, rounding as stated when
   * decimals are dropped.
   */
  public static long rescale(long value, int fromDecimals, int toDecimals, RoundingMode rounding) {
    if (toDecimals >= fromDecimals) {
      return Math.multiplyExact(value, pow10(toDecimals - fromDecimals));
    }
    return divide(value, pow10(fromDecimals - toDecimals), rounding);
  }

  /** Applies a rate (scale {@link #RATE_DECIMALS}) to an amount, rounding as stated. */
  public static long applyRate(long amount, long rate, RoundingMode rounding) {
    return mulDiv(amount, rate, RATE_ONE, rounding);
  }

  /**
   * Parses a decimal string into units of the given scale, exactly.
   *
   * @throws IllegalArgumentException if the text is not a plain decimal number, has more decimals
   *     than the scale allows, or does not fit in a {@code long}
   */
  public static long parse(String text, int decimals) {
    return Decimal.parse(text).toUnits(decimals);
  }

  /**
   * Formats units of the given scale as a plain decimal string without trailing zeros ({@code
   * 1500000} at 6 decimals is {@code "1.5"}; zero is {@code "0"}).
   */
  public static String format(long units, int decimals) {
    char[] chars = new char[FORMAT_CHARS];
    int start = formatInto(units, decimals, chars, chars.length);
    return new String(chars, start, chars.length - start);
  }

  /** Room enough for any {@link #formatInto} output: a sign, 20 digits, a point, 18 decimals. */
  public static final int FORMAT_CHARS = 40;

  /**
   * Writes {@link #format}'s text of {@code units} at {@code decimals} into {@code out}, ending
   * just before {@code end} and written backwards from there, so that no string is made (the JSON
   * writer puts it between quotes in its own buffer).
   *
   * @return where the text starts: it is {@code out[start, end)}
   * @throws ArrayIndexOutOfBoundsException if fewer than {@link #FORMAT_CHARS} chars lie before
   *     {@code end}
   */
  public static int formatInto(long units, int decimals, char[] out, int end) {
    boolean negative = units < 0;
    // Work on the magnitude as unsigned to cover Long.MIN_VALUE.
    long magnitude = negative ? -units : units;
    long whole = magnitude;
    int i = end;
    if (decimals > 0) {
      long scale = pow10(decimals);
      whole = Long.divideUnsigned(magnitude, scale);
      long frac = Long.remainderUnsigned(magnitude, scale);
      if (frac != 0) {
        int digits = decimals;
        while (frac % 10 == 0) {
          frac /= 10;
          digits--;
        }
        for (int k = 0; k < digits; k++) {
          out[--i] = (char) ('0' + frac % 10);
          frac /= 10;
        }
        out[--i] = '.';
      }
    }
    if (whole < 0) {
      // Above Long.MAX_VALUE as unsigned (only Long.MIN_VALUE's magnitude at 0 decimals).
      out[--i] = (char) ('0' + Long.remainderUnsigned(whole, 10));
      whole = Long.divideUnsigned(whole, 10);
    }
    do {
      out[--i] = (char) ('0' + whole % 10);
      whole /= 10;
    } while (whole != 0);
    if (negative) {
      out[--i] = '-';
    }
    return i;
  }

  /** Converts units of a scale to a {@code double}, for reports and statistics only. */
  public static double toDouble(long units, int decimals) {
    return units / (double) pow10(decimals);
  }

  private static void checkMode(RoundingMode rounding) {
    if (rounding != RoundingMode.FLOOR && rounding != RoundingMode.CEILING) {
      throw unsupported(rounding);
    }
  }

  private static IllegalArgumentException unsupported(RoundingMode rounding) {
    return new IllegalArgumentException(
        "rounding must be FLOOR or CEILING (an explicit direction), not " + rounding);
  }
}
