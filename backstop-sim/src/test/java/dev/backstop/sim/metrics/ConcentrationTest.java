package dev.backstop.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Gini, top share and Lorenz curve on amounts small enough to compute by hand. The hand cases are
 * exact in binary floating point, so their assertions are exact.
 */
class ConcentrationTest {

  @Test
  void giniOfOneAccountTakingEverythingAmongFourIsThreeQuarters() {
    // sum_ij |x_i - x_j| = 2 * 3 * 10 = 60; 2 n^2 mean = 2 * 16 * 2.5 = 80; 60 / 80 = 0.75
    assertThat(Concentration.gini(new double[] {0, 0, 0, 10})).isEqualTo(0.75);
    assertThat(Concentration.gini(new double[] {10, 0, 0, 0})).isEqualTo(0.75);
  }

  @Test
  void giniOfOneToFourIsAQuarter() {
    // sum_ij |x_i - x_j| = 2 * (1 + 2 + 3 + 1 + 2 + 1) = 20; 2 n^2 mean = 2 * 16 * 2.5 = 80
    assertThat(Concentration.gini(new double[] {3, 1, 4, 2})).isEqualTo(0.25);
  }

  @Test
  void giniOfEqualAmountsIsZero() {
    assertThat(Concentration.gini(new double[] {3, 3, 3})).isCloseTo(0, within(1e-15));
    assertThat(Concentration.gini(new double[] {7})).isZero();
  }

  @Test
  void giniIsZeroWithNothingTakenOrNobody() {
    assertThat(Concentration.gini(new double[] {0, 0, 0})).isZero();
    assertThat(Concentration.gini(new double[0])).isZero();
  }

  @Test
  void topShareIsTheShareOfTheLargestAmounts() {
    double[] amounts = {3, 1, 4, 2};
    assertThat(Concentration.topShare(amounts, 1)).isEqualTo(0.4);
    assertThat(Concentration.topShare(amounts, 2)).isEqualTo(0.7);
    assertThat(Concentration.topShare(amounts, 4)).isEqualTo(1);
    assertThat(Concentration.topShare(amounts, 10)).isEqualTo(1);
    assertThat(Concentration.topShare(amounts, 0)).isZero();
    assertThat(Concentration.topShare(new double[] {0, 0}, 1)).isZero();
  }

  @Test
  void lorenzCurveOfOneToFour() {
    // cumulative sums 0, 1, 3, 6, 10 over a total of 10, at every quarter of the population
    assertThat(Concentration.lorenz(new double[] {4, 3, 2, 1}, 5))
        .containsExactly(0, 0.1, 0.3, 0.6, 1);
    // between accounts the curve is linear: half of the smallest account (1) is 0.5 / 10
    assertThat(Concentration.lorenz(new double[] {4, 3, 2, 1}, 9)[1]).isEqualTo(0.05);
  }

  @Test
  void lorenzCurveRunsFromZeroToOne() {
    double[] curve = Concentration.lorenz(new double[] {0, 0, 0, 10}, 101);
    assertThat(curve).hasSize(101);
    assertThat(curve[0]).isZero();
    assertThat(curve[75]).isZero();
    assertThat(curve[100]).isEqualTo(1);
    // the last quarter of the population is one account holding everything, linearly
    assertThat(curve[90]).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void lorenzCurveWithNothingTakenIsTheDiagonal() {
    assertThat(Concentration.lorenz(new double[] {0, 0}, 3)).containsExactly(0, 0.5, 1);
    assertThat(Concentration.lorenz(new double[0], 3)).containsExactly(0, 0.5, 1);
  }

  @Test
  void refusesNegativeOrNonFiniteAmountsAndTooFewPoints() {
    assertThatThrownBy(() -> Concentration.gini(new double[] {1, -1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> Concentration.topShare(new double[] {Double.NaN}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Concentration.lorenz(new double[] {1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 points");
  }
}
