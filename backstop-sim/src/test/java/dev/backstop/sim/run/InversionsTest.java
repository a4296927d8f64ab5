package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InversionsTest {

  @Test
  void countsPairsWhereTheMoreLeveragedLostTheSmallerShare() {
    // Leverage 10, 5, 2 with burdens 0, 0.5, 1: all three pairs inverted.
    Inversions all = Inversions.count(new double[] {10, 5, 2}, new double[] {0, 0.5, 1});
    assertThat(all.inversions()).isEqualTo(3);
    assertThat(all.concordant()).isZero();
    assertThat(all.rate()).isEqualTo(1.0);
    // Water-filling order: the most leveraged lost most: no inversion.
    Inversions none = Inversions.count(new double[] {10, 5, 2}, new double[] {1, 0.5, 0});
    assertThat(none.inversions()).isZero();
    assertThat(none.concordant()).isEqualTo(3);
    // Ties in leverage or burden are not comparable: (10,1),(10,0) tie in leverage; (5,0) vs
    // (10,0) ties in burden; only (10,1) vs (5,0) counts, concordant.
    Inversions ties = Inversions.count(new double[] {10, 10, 5}, new double[] {1, 0, 0});
    assertThat(ties.inversions()).isZero();
    assertThat(ties.concordant()).isEqualTo(1);
  }
}
