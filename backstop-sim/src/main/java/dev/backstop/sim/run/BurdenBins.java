package dev.backstop.sim.run;

import java.util.List;

/**
 * The bins of the burden histogram: {@code (0, 10%], (10%, 20%], ..., (90%, 100%]} and above, a
 * burden of 0 in the first. A run keeps only the count per bin, not one burden per account, so what
 * it hands to the report does not grow with the population.
 */
public final class BurdenBins {

  /** The bins' labels, in order. */
  public static final List<String> LABELS =
      List.of(
          "0–10%",
          "10–20%", "20–30%", "30–40%", "40–50%", "50–60%", "60–70%", "70–80%", "80–90%", "90–100%",
          ">100%");

  private BurdenBins() {}

  /** The bin of a burden: upper edges belong to their bin (a full haircut, 100%, is in 90–100%). */
  public static int of(double burden) {
    // the tolerance keeps 0.3 computed as 0.30000000000000004 in its bin
    int bin = (int) Math.ceil(burden * 10 - 1e-9) - 1;
    return Math.clamp(bin, 0, LABELS.size() - 1);
  }

  /** How many of {@code burdens} fall in each bin. */
  public static long[] count(double[] burdens) {
    long[] counts = new long[LABELS.size()];
    for (double burden : burdens) {
      counts[of(burden)]++;
    }
    return counts;
  }
}
