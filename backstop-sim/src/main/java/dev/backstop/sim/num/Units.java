package dev.backstop.sim.num;

import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The decimal and unit conversions of the simulator and the CLI, one place for each: money between
 * {@link Decimal} and micro-dollars ({@link Fixed#MONEY_DECIMALS}), decimal text read exactly into
 * units, exact decimals rounded into units, and doubles written as plain decimals. The arithmetic
 * itself is the engine's ({@link Fixed}, {@link Decimal}).
 */
public final class Units {

  private Units() {}

  /** An amount of money from micro-dollars. */
  public static Decimal money(long microDollars) {
    return Decimal.ofUnits(microDollars, Fixed.MONEY_DECIMALS);
  }

  /**
   * An amount of money in micro-dollars.
   *
   * @throws IllegalArgumentException if it has more than {@link Fixed#MONEY_DECIMALS} decimals
   */
  public static long microDollars(Decimal money) {
    return money.toUnits(Fixed.MONEY_DECIMALS);
  }

  /** Micro-dollars as exact decimal text: {@code 4800000 -> "4.8"}. */
  public static String moneyText(long microDollars) {
    return Fixed.format(microDollars, Fixed.MONEY_DECIMALS);
  }

  /**
   * Decimal text, blanks around it ignored, read exactly.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static Decimal parse(String text) {
    return Decimal.parse(text.trim());
  }

  /**
   * Decimal text, blanks around it ignored, in units of {@code 10^-decimals}, exactly.
   *
   * @throws IllegalArgumentException if the text is not a decimal or has more decimals
   */
  public static long units(String text, int decimals) {
    return parse(text).toUnits(decimals);
  }

  /** The exact value of {@code d}. */
  public static BigDecimal exact(Decimal d) {
    return new BigDecimal(BigInteger.valueOf(d.unscaled()), d.scale());
  }

  /**
   * {@code value} in units of {@code 10^-decimals}, rounded as stated. A value below a tenth of a
   * unit is rounded without rescaling, which for an exponent such as {@code 1e-999999999} would be
   * costly.
   *
   * @throws ArithmeticException if the result is out of a {@code long}'s range, or with {@link
   *     RoundingMode#UNNECESSARY} if rounding is needed
   */
  public static long round(BigDecimal value, int decimals, RoundingMode rounding) {
    int signum = value.signum();
    long integerDigits = (long) value.precision() - value.scale();
    if (signum == 0 || integerDigits < -decimals) {
      boolean up =
          switch (rounding) {
            case CEILING -> signum > 0;
            case FLOOR -> signum < 0;
            case UP -> signum != 0;
            case DOWN, HALF_UP, HALF_DOWN, HALF_EVEN -> false;
            case UNNECESSARY -> {
              if (signum != 0) {
                throw new ArithmeticException("rounding necessary");
              }
              yield false;
            }
          };
      return up ? signum : 0;
    }
    if (integerDigits > 19) {
      throw new ArithmeticException("out of range");
    }
    return value.setScale(decimals, rounding).unscaledValue().longValueExact();
  }

  /**
   * The shortest decimal that reads back as {@code value}, plain ({@code 0.00001}, not {@code
   * 1.0E-5}); null for NaN and the infinities, which JSON cannot hold.
   */
  public static BigDecimal plain(double value) {
    if (!Double.isFinite(value)) {
      return null;
    }
    BigDecimal d = BigDecimal.valueOf(value).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /**
   * A statistic in dollars computed in {@code double} (a report's sum, never a ledger's amount) as
   * the wire writes amounts: a decimal string rounded half-even to the micro-dollar ({@link
   * Fixed#MONEY_DECIMALS}), without trailing zeros, so the float noise of the sum is gone ({@code
   * 4.38e-9 -> "0"}, {@code 53782490.53022081 -> "53782490.530221"}); null for NaN and the
   * infinities.
   */
  public static String dollarsText(double dollars) {
    if (!Double.isFinite(dollars)) {
      return null;
    }
    BigDecimal rounded =
        BigDecimal.valueOf(dollars)
            .setScale(Fixed.MONEY_DECIMALS, RoundingMode.HALF_EVEN)
            .stripTrailingZeros();
    return rounded.signum() == 0 ? "0" : rounded.toPlainString();
  }

  /** {@link #plain(double)} as text, or the empty string for a non-finite value. */
  public static String plainText(double value) {
    BigDecimal d = plain(value);
    return d == null ? "" : d.toPlainString();
  }
}
