package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BurdenBinsTest {

  @Test
  void burdensAreBinnedWithTheUpperEdgeInTheBin() {
    long[] counts =
        BurdenBins.count(new double[] {0.0712, 0.1, 0.30000000000000004, 0.95, 1.0, 1.2});
    assertThat(counts).containsExactly(2, 0, 1, 0, 0, 0, 0, 0, 0, 2, 1);
    assertThat(counts).hasSize(BurdenBins.LABELS.size());
    assertThat(BurdenBins.of(0)).isZero();
  }
}
