package dev.backstop.core.market;

import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A market's risk tiers by position notional, with maintenance deductions that make maintenance
 * margin continuous across tiers.
 *
 * <p>Rounding: maintenance and initial margin are rounded up to the money unit (a larger
 * requirement is the venue's side). Because each deduction step {@code floor_t * (MMR_t - MMR_t-1)}
 * is required to be a whole number of money units, the rounded MM is exactly continuous at every
 * tier edge.
 */
public final class RiskTiers {

  private final RiskTier[] tiers;

  private RiskTiers(RiskTier[] tiers) {
    this.tiers = tiers;
  }

  /**
   * Builds tiers from (floor, max leverage, MMR) triples, deriving the deductions.
   *
   * @throws IllegalArgumentException if the first floor is not 0, floors do not increase, MMR
   *     decreases, max leverage increases, or a deduction step is not a whole money unit
   */
  public static RiskTiers of(List<RiskTier> bands) {
    if (bands.isEmpty()) {
      throw new IllegalArgumentException("a market needs at least one risk tier");
    }
    List<RiskTier> out = new ArrayList<>(bands.size());
    long deduction = 0;
    RiskTier previous = null;
    for (RiskTier band : bands) {
      if (previous == null) {
        if (band.notionalFloor() != 0) {
          throw new IllegalArgumentException("the first risk tier must start at notional 0");
        }
      } else {
        if (band.notionalFloor() <= previous.notionalFloor()) {
          throw new IllegalArgumentException("risk tier floors must increase");
        }
        if (band.maintenanceMarginRate() < previous.maintenanceMarginRate()) {
          throw new IllegalArgumentException("maintenance margin rate must not fall with notional");
        }
        if (band.maxLeverage() > previous.maxLeverage()) {
          throw new IllegalArgumentException("max leverage must not rise with notional");
        }
        long rateStep = band.maintenanceMarginRate() - previous.maintenanceMarginRate();
        long step = Fixed.applyRate(band.notionalFloor(), rateStep, RoundingMode.FLOOR);
        if (step != Fixed.applyRate(band.notionalFloor(), rateStep, RoundingMode.CEILING)) {
          throw new IllegalArgumentException(
              "tier at "
                  + Fixed.format(band.notionalFloor(), Fixed.MONEY_DECIMALS)
                  + ": floor x MMR step is not a whole money unit, so MM could not be continuous");
        }
        deduction = Math.addExact(deduction, step);
      }
      if (band.maintenanceDeduction() != 0 && band.maintenanceDeduction() != deduction) {
        throw new IllegalArgumentException(
            "tier at "
                + Fixed.format(band.notionalFloor(), Fixed.MONEY_DECIMALS)
                + ": maintenance deduction "
                + Fixed.format(band.maintenanceDeduction(), Fixed.MONEY_DECIMALS)
                + " breaks continuity; it must be "
                + Fixed.format(deduction, Fixed.MONEY_DECIMALS));
      }
      RiskTier derived =
          new RiskTier(
              band.notionalFloor(), band.maxLeverage(), band.maintenanceMarginRate(), deduction);
      out.add(derived);
      previous = derived;
    }
    return new RiskTiers(out.toArray(new RiskTier[0]));
  }

  /** A single tier: one leverage limit and one MMR for every size. */
  public static RiskTiers flat(long maxLeverage, long maintenanceMarginRate) {
    return of(List.of(new RiskTier(0, maxLeverage, maintenanceMarginRate, 0)));
  }

  /** The tiers, lowest notional first, with derived deductions. */
  public List<RiskTier> tiers() {
    return List.of(tiers);
  }

  /** The number of tiers. */
  public int count() {
    return tiers.length;
  }

  /** Tier {@code i}, lowest notional first, with its derived deduction. */
  public RiskTier tier(int i) {
    return tiers[i];
  }

  /** The tier that applies to a position of this notional (money units, >= 0). */
  public RiskTier tierFor(long notional) {
    RiskTier found = tiers[0];
    for (int i = 1; i < tiers.length && tiers[i].notionalFloor() <= notional; i++) {
      found = tiers[i];
    }
    return found;
  }

  /** Maintenance margin for a position of this notional, rounded up. */
  public long maintenanceMargin(long notional) {
    if (notional == 0) {
      return 0;
    }
    RiskTier t = tierFor(notional);
    return Math.subtractExact(
        Fixed.applyRate(notional, t.maintenanceMarginRate(), RoundingMode.CEILING),
        t.maintenanceDeduction());
  }

  /** Initial margin for a position of this notional: notional / max leverage, rounded up. */
  public long initialMargin(long notional) {
    if (notional == 0) {
      return 0;
    }
    return Fixed.divide(notional, tierFor(notional).maxLeverage(), RoundingMode.CEILING);
  }

  /** The largest leverage of the first tier. */
  public long maxLeverage() {
    return tiers[0].maxLeverage();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RiskTiers t && Arrays.equals(tiers, t.tiers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tiers);
  }

  @Override
  public String toString() {
    return Arrays.toString(tiers);
  }
}
