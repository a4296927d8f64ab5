package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexOrderTest {

  /** Against a boxed sort of the indices by key, ties in index order, over keys with many ties. */
  @Test
  void ordersByKeyThenIndexLikeAStableBoxedSort() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n : new int[] {0, 1, 2, 3, 17, 1000, 4097}) {
      double[] key = new double[n];
      for (int i = 0; i < n; i++) {
        key[i] = random.nextInt(n / 3 + 1) * 0.5;
      }
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Integer[] up = boxed.clone();
      Arrays.sort(up, Comparator.comparingDouble(i -> key[i]));
      Integer[] down = boxed.clone();
      Arrays.sort(down, (a, b) -> Double.compare(key[b], key[a]));
      assertThat(IndexOrder.ascending(key, n)).containsExactly(unbox(up));
      assertThat(IndexOrder.descending(key, n)).containsExactly(unbox(down));
    }
  }

  private static int[] unbox(Integer[] a) {
    return Arrays.stream(a).mapToInt(Integer::intValue).toArray();
  }
}
