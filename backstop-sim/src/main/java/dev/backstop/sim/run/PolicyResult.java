package dev.backstop.sim.run;

/**
 * One policy's run over the scenario.
 *
 * @param policy the policy's name (a market preset, or {@code bad-debt})
 * @param description its trigger, resolution and execution price in words
 * @param metrics the figures the papers measure
 * @param timeline the series behind the report's charts
 */
public record PolicyResult(
    String policy, String description, PolicyMetrics metrics, Timeline timeline) {

  /**
   * What happened over time.
   *
   * @param fundTimes milliseconds from the start: the start, then every mark that moved the fund
   * @param fundBalances the fund's balance after each change, dollars
   * @param liquidationTimes milliseconds of each mark that liquidated at least one account (one
   *     marker per liquidation wave step, not per close)
   * @param liquidationPrices the mark at each of those times
   * @param adlTimes milliseconds of each mark at which the backstop acted (deleveraging, haircut,
   *     socialization)
   * @param adlPrices the mark at each of those times
   * @param burdenCounts how many of the accounts the backstop took from have their largest
   *     capacity-normalised burden {@code x_i / u_i} in each of {@link BurdenBins}
   */
  public record Timeline(
      long[] fundTimes,
      double[] fundBalances,
      long[] liquidationTimes,
      double[] liquidationPrices,
      long[] adlTimes,
      double[] adlPrices,
      long[] burdenCounts) {

    /** The accounts the backstop took from: the sum of {@link #burdenCounts}. */
    public long accountsHit() {
      long sum = 0;
      for (long count : burdenCounts) {
        sum += count;
      }
      return sum;
    }
  }
}
