package dev.backstop.sim.run;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.sim.scenario.Population;
import dev.backstop.sim.scenario.Scenario;

/**
 * What every policy's run shares: the scenario, its base market, the population, and the path in
 * the market's ticks with the order-book depth at each point. Immutable once built, so runs on
 * several threads read it without copying.
 *
 * @param scenario the scenario
 * @param base the market without backstop (tiers, fees, liquidation rule)
 * @param population the traders
 * @param times milliseconds from the start
 * @param marks marks in ticks
 * @param depths order-book depth within 1% of mark at each point, money units
 */
record Book(
    Scenario scenario,
    MarketConfig base,
    Population population,
    long[] times,
    long[] marks,
    long[] depths) {

  /** The mark at point {@code k} as a decimal price. */
  Decimal mark(int k) {
    return Decimal.ofUnits(marks[k], base.priceDecimals());
  }
}
