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

  /**
   * Wealth pro rata gives every winner the same burden up to the rounding of one micro-dollar over
   * its capacity: burdens 0.5 + 1e-8, 0.5 - 1e-8 and 0.5 for leverages 3, 2, 1, each known to
   * within 1e-8. With the tolerance they are one tie and no pair is comparable; read exactly, the
   * rounding decides: the pairs (3, 1) and (2, 1) and (3, 2) compare, one of them inverted.
   */
  @Test
  void burdensWithinTheirRoundingAreTies() {
    double[] leverage = {3, 2, 1};
    double[] burden = {0.5 + 1e-8, 0.5 - 1e-8, 0.5};
    Inversions tied = Inversions.count(leverage, burden, new double[] {1e-8, 1e-8, 1e-8}, 3);
    assertThat(tied.inversions()).isZero();
    assertThat(tied.concordant()).isZero();
    assertThat(tied.rate()).isZero();
    Inversions exact = Inversions.count(leverage, burden);
    assertThat(exact.inversions()).isEqualTo(1);
    assertThat(exact.concordant()).isEqualTo(2);
  }
}
