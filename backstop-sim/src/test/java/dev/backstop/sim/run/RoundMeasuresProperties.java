package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The measures of a round of many winners and few hits, computed around the hits ({@link
 * Monotonicity#countAround}, {@link Inversions#zerosFirst} with the run's leverage order), are the
 * full sorts' to the last pair, on random rounds full of ties.
 */
class RoundMeasuresProperties {

  private static final int TRIES = 2_000;

  @Test
  void aroundTheHitsEqualsTheFullSort() {
    SplittableRandom random = new SplittableRandom(0x5EED_0F_B0DE5L);
    for (int t = 0; t < TRIES; t++) {
      long seed = random.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      int n = r.nextInt(0, 60);
      double[] u = new double[n];
      double[] left = new double[n];
      double[] tolerance = new double[n];
      double[] leverage = new double[n];
      double[] burden = new double[n];
      double[] step = new double[n];
      boolean[] hit = new boolean[n];
      int[] hits = new int[n];
      int hitCount = 0;
      for (int i = 0; i < n; i++) {
        u[i] = r.nextInt(1, 8); // few values: many ties
        leverage[i] = r.nextInt(0, 5) == 0 ? Double.POSITIVE_INFINITY : r.nextInt(1, 6);
        hit[i] = r.nextInt(0, 4) == 0;
        tolerance[i] = 1e-6 + (hit[i] && r.nextBoolean() ? r.nextInt(0, 3) : 0);
        step[i] = r.nextBoolean() ? 1e-6 : 0.25;
        if (hit[i]) {
          hits[hitCount++] = i;
          left[i] = Math.max(0, u[i] - r.nextInt(0, 8));
          burden[i] = r.nextInt(0, 3) == 0 ? 0 : (u[i] - left[i]) / u[i];
        } else {
          left[i] = u[i];
          burden[i] = 0;
        }
      }
      // the hits in any order
      for (int k = hitCount - 1; k > 0; k--) {
        int j = r.nextInt(0, k + 1);
        int x = hits[k];
        hits[k] = hits[j];
        hits[j] = x;
      }
      assertThat(Monotonicity.countAround(u, left, tolerance, n, hits, hitCount))
          .as("seed %d", seed)
          .isEqualTo(Monotonicity.count(u, left, tolerance, n));
      assertThat(Inversions.zerosFirst(burden, n))
          .as("seed %d", seed)
          .containsExactly(IndexOrder.ascending(burden, n));
      assertThat(Inversions.count(leverage, burden, step, n, IndexOrder.descending(leverage, n)))
          .as("seed %d", seed)
          .isEqualTo(Inversions.count(leverage, burden, step, n));
    }
  }
}
