package dev.backstop.core.market;

/**
 * One band of a market's risk limits, applying to positions whose notional is at least {@code
 * notionalFloor}.
 *
 * <p>Maintenance margin in the band is {@code MM = notional * maintenanceMarginRate -
 * maintenanceDeduction}; the deduction is derived from the bands below so that MM is continuous
 * where two bands meet, as Hyperliquid ("margin tiers") and Bybit ("risk limit") define it. Initial
 * margin is {@code notional / maxLeverage}.
 *
 * @param notionalFloor lowest notional of the band, money units (the first band starts at 0)
 * @param maxLeverage the largest leverage allowed in the band, a whole number >= 1
 * @param maintenanceMarginRate MMR at rate scale ({@code Fixed.RATE_DECIMALS})
 * @param maintenanceDeduction money units, derived by {@link RiskTiers}
 */
public record RiskTier(
    long notionalFloor, long maxLeverage, long maintenanceMarginRate, long maintenanceDeduction) {

  /** Validates ranges. */
  public RiskTier {
    if (notionalFloor < 0) {
      throw new IllegalArgumentException("tier notional floor must be >= 0");
    }
    if (maxLeverage < 1) {
      throw new IllegalArgumentException("tier max leverage must be >= 1");
    }
    if (maintenanceMarginRate <= 0
        || maintenanceMarginRate >= dev.backstop.core.num.Fixed.RATE_ONE) {
      throw new IllegalArgumentException("maintenance margin rate must be in (0, 1)");
    }
    // MMR above the initial margin rate 1 / maxLeverage would make every new position
    // liquidatable at once (equal is allowed: GMX v2's 100x with a 1% minimum collateral).
    if (Math.multiplyHigh(maintenanceMarginRate, maxLeverage) != 0
        || maintenanceMarginRate * maxLeverage > dev.backstop.core.num.Fixed.RATE_ONE) {
      throw new IllegalArgumentException(
          "maintenance margin rate "
              + dev.backstop.core.num.Fixed.format(
                  maintenanceMarginRate, dev.backstop.core.num.Fixed.RATE_DECIMALS)
              + " is above the initial margin rate 1/"
              + maxLeverage
              + ": every new position would be liquidatable at once");
    }
  }
}
