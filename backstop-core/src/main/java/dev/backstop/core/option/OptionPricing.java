package dev.backstop.core.option;

import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Black-76 at the engine's boundary: fixed-point in (prices in the underlying's ticks, times in
 * milliseconds, volatility as a rate of {@link Fixed#RATE_ONE}), fixed-point out. The forward is
 * the underlying perpetual's mark, with no discounting ({@code r = 0}): a premium is paid when the
 * option trades and the payoff when it expires, both in the pool's collateral, which earns nothing.
 * Time to expiry is counted ACT/365 in milliseconds.
 *
 * <p>Every premium is rounded to a whole tick in the direction the caller names, which is always
 * the venue's: the mark a position is valued at rounds up (a short's liability is never
 * understated), a liquidation's premium rounds against the liquidated party, a scenario's value
 * against the holder.
 */
public final class OptionPricing {

  /** Milliseconds in the year of 365 days that time to expiry is measured in. */
  public static final long MILLIS_PER_YEAR = 365L * 24 * 60 * 60 * 1000;

  /** The highest volatility an option may carry: 1000%. */
  public static final long MAX_VOLATILITY = 10 * Fixed.RATE_ONE;

  private OptionPricing() {}

  /**
   * The premium per unit of the underlying, in ticks, rounded as asked ({@code CEILING} or {@code
   * FLOOR}), within {@code [0, F]} for a call and {@code [0, K]} for a put.
   *
   * @param forward the underlying's mark, ticks, positive
   * @param strike the strike, ticks, positive
   * @param millisToExpiry time left, milliseconds (0 or less: the intrinsic value)
   * @param volatility the volatility, a rate, positive
   */
  public static long premium(
      OptionKind kind,
      long forward,
      long strike,
      long millisToExpiry,
      long volatility,
      RoundingMode rounding) {
    return ticks(
        kind, price(kind, forward, strike, millisToExpiry, volatility), forward, strike, rounding);
  }

  /** The unrounded Black-76 premium per unit, ticks: {@link #ticks} makes it a premium. */
  public static double price(
      OptionKind kind, long forward, long strike, long millisToExpiry, long volatility) {
    return Black76.price(
        kind, forward, strike, years(millisToExpiry), volatility / (double) Fixed.RATE_ONE, 0);
  }

  /**
   * An unrounded premium ({@link #price}) rounded to a tick as asked ({@code CEILING} or {@code
   * FLOOR}), within {@code [0, F]} for a call and {@code [0, K]} for a put.
   */
  public static long ticks(
      OptionKind kind, double price, long forward, long strike, RoundingMode rounding) {
    double rounded =
        switch (rounding) {
          case CEILING -> Math.ceil(price);
          case FLOOR -> Math.floor(price);
          default -> throw new IllegalArgumentException("a premium rounds up or down");
        };
    long bound = kind == OptionKind.CALL ? forward : strike;
    if (!(rounded >= 0)) {
      return 0;
    }
    return Math.min(bound, (long) Math.min(rounded, (double) Long.MAX_VALUE));
  }

  /** The intrinsic value at expiry per unit, ticks, exact: what an option pays at {@code index}. */
  public static long payoff(OptionKind kind, long index, long strike) {
    return Math.max(
        0, kind == OptionKind.CALL ? Math.subtractExact(index, strike) : strike - index);
  }

  /** Delta per unit of the underlying at the mark. */
  public static double delta(
      OptionKind kind, long forward, long strike, long millisToExpiry, long volatility) {
    return Black76.delta(
        kind, forward, strike, years(millisToExpiry), volatility / (double) Fixed.RATE_ONE, 0);
  }

  /** Vega per unit of the underlying, ticks per vol point (a change of the volatility of 0.01). */
  public static double vegaPerPoint(
      long forward, long strike, long millisToExpiry, long volatility) {
    return Black76.vega(
            forward, strike, years(millisToExpiry), volatility / (double) Fixed.RATE_ONE, 0)
        / 100;
  }

  private static double years(long millis) {
    return millis / (double) MILLIS_PER_YEAR;
  }
}
