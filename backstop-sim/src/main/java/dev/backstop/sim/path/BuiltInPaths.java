package dev.backstop.sim.path;

import dev.backstop.sim.path.SyntheticPathSpec.Crash;

/**
 * Named synthetic paths calibrated to public figures of real crashes, and a calm day to read them
 * against. Each is a {@link SyntheticPathSpec}; draw it with {@link SyntheticPath#generate} and a
 * seed. All keep to at most about 2,000 marks.
 */
public final class BuiltInPaths {

  private BuiltInPaths() {}

  /**
   * BTC on 2025-10-10, the largest liquidation day on record: an hour of 5-second marks (721) from
   * 20:55 UTC at 121,000, a fall of 13% in 5 liquidation waves over 12 minutes from minute 20
   * (21:15 UTC), then 40% of the fall recovered over 20 minutes.
   *
   * <p>Public figures: BTC fell about 13% in about 12 minutes, 21:15-21:27 UTC, in waves of forced
   * selling; press reports put the day's fall at about $121,000 to $102,000-107,000 depending on
   * the venue, about $3.2 billion liquidated across the market in the minute from 21:15 UTC, some
   * $19 billion over the day, and BTC steadying near $111,000 afterwards. Here the bottom is
   * 105,270 and the recovery reaches 111,562. Volatility 3% a day and about one small jump an hour
   * (log standard deviation 0.2%) keep the noise well below the crash.
   */
  public static SyntheticPathSpec crash20251010() {
    return new SyntheticPathSpec(
        121_000, 60, 5, 0, 0.03, 24, 0, 0.002, new Crash(20, 0.13, 12, Crash.WAVES, 5, 0.4, 20));
  }

  /**
   * BTC on 2020-03-12/13 ("Black Thursday"): 30 hours of 1-minute marks (1,801) from 2020-03-12
   * 00:00 UTC at 7,900, a fall of 51% in two legs of 30% each, starting at 10:00 and 23:00 UTC,
   * then 30% of the fall recovered over 3 hours.
   *
   * <p>Public figures (LedgerPrime Research, "Crypto's Black Thursday: the Market Crash of March
   * 2020"; BTCMEX, "Black Thursday: what actually happened to Bitcoin"): BTC opened the day near
   * 7,900 and fell "in two rather distinct legs": from about 7,350 at 10:00 UTC to about 5,680 by
   * 10:45, then from about 5,800 at 23:00 UTC to about 3,900 by 02:15 UTC on the 13th; spot lows
   * were near 3,850-3,900 while BitMEX's perpetual wicked to 3,596. Here each leg takes 30% of the
   * price it starts from (7,900 to 5,530, then to 3,871) and lasts 3.9 hours (the {@link
   * SyntheticPath#LEG_SHARE} of its 13-hour slot), the second ending at 02:54 UTC; the rebound
   * reaches 5,080 by 05:54. Volatility 10% a day and a dozen jumps a day (log standard deviation
   * 1%) give the day's disorder, so drawdowns vary widely by seed around the 51%.
   */
  public static SyntheticPathSpec crash20200312() {
    return new SyntheticPathSpec(
        7_900,
        1_800,
        60,
        0,
        0.10,
        12,
        0,
        0.01,
        new Crash(600, 0.51, 1_014, Crash.WAVES, 2, 0.3, 180));
  }

  /**
   * A calm day: 24 hours of 1-minute marks (1,441) at 121,000 (the level before the 2025-10-10
   * crash), volatility 1.5% a day (about 29% a year at the square root of 365 days), no drift, no
   * jumps and no crash: the baseline against which the crash scenarios are read.
   */
  public static SyntheticPathSpec calmDay() {
    return new SyntheticPathSpec(121_000, 1_440, 60, 0, 0.015, 0, 0, 0, null);
  }
}
