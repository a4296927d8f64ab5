package dev.backstop.core.option;

/**
 * Black's model for an option on a forward (Black, "The pricing of commodity contracts", Journal of
 * Financial Economics 3, 1976; Hull, "Options, Futures, and Other Derivatives", the chapter on
 * Black's model): with {@code d1 = (ln(F/K) + sigma^2 T / 2) / (sigma sqrt(T))} and {@code d2 = d1
 * - sigma sqrt(T)},
 *
 * <pre>
 *   call = e^(-rT) (F N(d1) - K N(d2))        put = e^(-rT) (K N(-d2) - F N(-d1))
 *   delta: call e^(-rT) N(d1), put -e^(-rT) N(-d1)        vega = e^(-rT) F phi(d1) sqrt(T)
 * </pre>
 *
 * <p>This is the engine's only floating-point arithmetic. It uses {@link StrictMath} (fdlibm) for
 * every transcendental function, and Java's floating point is strict, so a result is the same bits
 * on every JVM and machine: the engine stays deterministic. Callers convert the result to
 * fixed-point at once, rounding in the venue's favour ({@link OptionPricing}).
 *
 * <p>At or after expiry ({@code T <= 0}) or with no volatility left ({@code sigma sqrt(T)} below
 * 1e-12) an option is worth its discounted intrinsic value and its delta is 0 or +/-1.
 */
public final class Black76 {

  /** {@code 1 / sqrt(2 pi)}. */
  private static final double INV_SQRT_2PI = 0.3989422804014327;

  private Black76() {}

  /** The price of an option on a forward {@code f} (any positive unit; the strike's too). */
  public static double price(
      OptionKind kind, double f, double k, double t, double sigma, double r) {
    double discount = StrictMath.exp(-r * Math.max(0, t));
    double sd = standardDeviation(t, sigma);
    if (sd < 1e-12) {
      double intrinsic = kind == OptionKind.CALL ? f - k : k - f;
      return discount * Math.max(0, intrinsic);
    }
    double d1 = d1(f, k, sd);
    double d2 = d1 - sd;
    return kind == OptionKind.CALL
        ? discount * (f * cumulativeNormal(d1) - k * cumulativeNormal(d2))
        : discount * (k * cumulativeNormal(-d2) - f * cumulativeNormal(-d1));
  }

  /** The change of the price per unit change of the forward. */
  public static double delta(
      OptionKind kind, double f, double k, double t, double sigma, double r) {
    double discount = StrictMath.exp(-r * Math.max(0, t));
    double sd = standardDeviation(t, sigma);
    if (sd < 1e-12) {
      boolean inTheMoney = kind == OptionKind.CALL ? f > k : f < k;
      return inTheMoney ? (kind == OptionKind.CALL ? discount : -discount) : 0;
    }
    double d1 = d1(f, k, sd);
    return kind == OptionKind.CALL
        ? discount * cumulativeNormal(d1)
        : -discount * cumulativeNormal(-d1);
  }

  /** The change of the price per unit (100 vol points) change of the volatility; calls and puts. */
  public static double vega(double f, double k, double t, double sigma, double r) {
    double sd = standardDeviation(t, sigma);
    if (sd < 1e-12) {
      return 0;
    }
    double d1 = d1(f, k, sd);
    return StrictMath.exp(-r * t) * f * density(d1) * StrictMath.sqrt(t);
  }

  private static double standardDeviation(double t, double sigma) {
    return t <= 0 ? 0 : sigma * StrictMath.sqrt(t);
  }

  private static double d1(double f, double k, double sd) {
    return (StrictMath.log(f / k) + sd * sd / 2) / sd;
  }

  /** The standard normal density. */
  static double density(double x) {
    return INV_SQRT_2PI * StrictMath.exp(-x * x / 2);
  }

  /**
   * The standard normal distribution function, by Hart's algorithm 5666 (J. F. Hart et al.,
   * "Computer Approximations", Wiley 1968) as set out by G. West, "Better approximations to
   * cumulative normal functions", Wilmott Magazine 2005: a rational approximation below |x| = 7.07
   * and a continued fraction above, absolute error below 1e-15 everywhere.
   */
  public static double cumulativeNormal(double x) {
    double a = Math.abs(x);
    double tail;
    if (a > 37) {
      tail = 0;
    } else {
      double e = StrictMath.exp(-a * a / 2);
      if (a < 7.07106781186547) {
        double n = 3.52624965998911e-02 * a + 0.700383064443688;
        n = n * a + 6.37396220353165;
        n = n * a + 33.912866078383;
        n = n * a + 112.079291497871;
        n = n * a + 221.213596169931;
        n = n * a + 220.206867912376;
        double d = 8.83883476483184e-02 * a + 1.75566716318264;
        d = d * a + 16.064177579207;
        d = d * a + 86.7807322029461;
        d = d * a + 296.564248779674;
        d = d * a + 637.333633378831;
        d = d * a + 793.826512519948;
        d = d * a + 440.413735824752;
        tail = e * n / d;
      } else {
        double c = a + 0.65;
        c = a + 4 / c;
        c = a + 3 / c;
        c = a + 2 / c;
        c = a + 1 / c;
        tail = e / c / 2.506628274631;
      }
    }
    return x > 0 ? 1 - tail : tail;
  }
}
