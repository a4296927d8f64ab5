package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MonotonicityTest {

  private static final double[] NONE = {0, 0, 0};

  /**
   * Chitra et al., arXiv 2602.15182, Appendix C, Proposition 9 part 3: capacities u = (10, 6, 4),
   * budget B = 10. Pro rata leaves r = (1 - B/U) u = (5, 3, 2), in the order of u: no violation. A
   * queue ranking the first account first empties it, r = (0, 6, 4): the adjacent pair (10, 6)
   * keeps (0, 6), a violation; (6, 4) keeps (6, 4), none. 1 of 2 adjacent pairs.
   */
  @Test
  void aQueueThatEmptiesTheLargestWinnerViolatesMonotonicity() {
    double[] u = {10, 6, 4};
    Monotonicity proRata = Monotonicity.count(u, new double[] {5, 3, 2}, NONE, 3);
    Monotonicity queue = Monotonicity.count(u, new double[] {0, 6, 4}, NONE, 3);
    assertThat(proRata.violations()).isZero();
    assertThat(proRata.pairs()).isEqualTo(2);
    assertThat(queue.violations()).isEqualTo(1);
    assertThat(queue.rate()).isEqualTo(0.5);
  }

  /**
   * Equal capacities must keep equal amounts (u_i >= u_j and u_j >= u_i); amounts within the sum of
   * the two tolerances are equal. Integer pro rata of 5 micro-units over capacities (3, 3, 3)
   * micro-units gives (2, 2, 1): left (1, 1, 2), each known to one micro-unit: no violation; exact,
   * the pair (1, 2) would be one.
   */
  @Test
  void roundingWithinTheToleranceIsNoViolation() {
    double[] u = {3e-6, 3e-6, 3e-6};
    double[] left = {1e-6, 1e-6, 2e-6};
    double unit = 1e-6;
    assertThat(Monotonicity.count(u, left, new double[] {unit, unit, unit}, 3).violations())
        .isZero();
    assertThat(Monotonicity.count(u, left, NONE, 3).violations()).isEqualTo(1);
  }
}
