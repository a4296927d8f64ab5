package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/** Exact comparisons of products and saturating ratios, for ranking and water levels. */
final class Products {

  private Products() {}

  /**
   * Compares {@code a * b} with {@code c * d} exactly (128-bit products) for non-negative operands;
   * this is how fractions {@code a / d} and {@code c / b} are compared without division.
   */
  static int compare(long a, long b, long c, long d) {
    long high1 = Math.multiplyHigh(a, b);
    long high2 = Math.multiplyHigh(c, d);
    if (high1 != high2) {
      return Long.compare(high1, high2);
    }
    return Long.compareUnsigned(a * b, c * d);
  }

  /**
   * {@code a * b / c} rounded down, saturated to {@code Long.MIN_VALUE} or {@code Long.MAX_VALUE}
   * when the exact result does not fit. Used for ranking scores only, where an extreme value must
   * still sort at the extreme rather than fail.
   */
  static long saturatingMulDiv(long a, long b, long c) {
    try {
      return Fixed.mulDiv(a, b, c, RoundingMode.FLOOR);
    } catch (ArithmeticException e) {
      return Long.signum(a) * Long.signum(b) < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
