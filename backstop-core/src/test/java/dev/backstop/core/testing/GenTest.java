package dev.backstop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenTest {

  private static final int DRAWS = 20_000;

  @Test
  void anyLongCoversTheEdgesAndEveryMagnitude() {
    Gen gen = new Gen(1);
    Set<Long> seen = new HashSet<>();
    int small = 0;
    int huge = 0;
    for (int i = 0; i < DRAWS; i++) {
      long v = gen.longs();
      seen.add(v);
      small += Math.abs(v) < 1_000 ? 1 : 0;
      huge += v < -(1L << 62) || v > 1L << 62 ? 1 : 0;
    }
    assertThat(seen)
        .contains(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000_000_000_000_000L, -10L);
    assertThat(small).isGreaterThan(DRAWS / 50);
    assertThat(huge).isGreaterThan(DRAWS / 10);
  }

  @Test
  void boundedLongsStayInTheirRangeAndReachItsBounds() {
    long[][] ranges = {
      {1, Long.MAX_VALUE}, {Long.MIN_VALUE, -1}, {0, 1_000_000}, {-3, 3}, {5, 5}, {-7, 1L << 40}
    };
    Gen gen = new Gen(2);
    for (long[] range : ranges) {
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < DRAWS; i++) {
        long v = gen.longs(range[0], range[1]);
        assertThat(v).as(range[0] + ".." + range[1]).isBetween(range[0], range[1]);
        seen.add(v);
      }
      assertThat(seen).as(range[0] + ".." + range[1]).contains(range[0], range[1]);
    }
  }

  @Test
  void aWideRangeIsCoveredEvenly() {
    Gen gen = new Gen(3);
    int upperHalf = 0;
    for (int i = 0; i < DRAWS; i++) {
      upperHalf += gen.longs(0, 1_000_000) > 500_000 ? 1 : 0;
    }
    // Uniform half the time, so a quarter of all draws at least.
    assertThat(upperHalf).isGreaterThan(DRAWS / 5);
  }

  @Test
  void listsHaveTheirSizesAndArePureFunctionsOfTheSeed() {
    Set<Integer> sizes = new HashSet<>();
    for (long seed = 0; seed < 2_000; seed++) {
      List<Long> list = new Gen(seed).lists(1, 40, g -> g.longs(-5, 5));
      assertThat(list).hasSizeBetween(1, 40).allMatch(v -> v >= -5 && v <= 5);
      assertThat(new Gen(seed).lists(1, 40, g -> g.longs(-5, 5))).isEqualTo(list);
      sizes.add(list.size());
    }
    assertThat(sizes).contains(1, 40);
  }

  @Test
  void anEmptyRangeIsRefused() {
    assertThatThrownBy(() -> new Gen(0).longs(2, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
