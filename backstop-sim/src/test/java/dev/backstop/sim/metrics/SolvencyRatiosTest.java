package dev.backstop.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SolvencyRatiosTest {

  /**
   * The worked example of Chitra (arXiv 2512.01112; RESEARCH.md): endowments w = (8, 4, 0.5), the
   * deficit D = 3 + 12 = 15 and the largest single loser's shortfall Delta = 12. The queue in order
   * (2, 1, 3) takes x = (3.5, 4, 0): left (4.5, 0, 0.5), upsilon = 4.5, PTSR = 4.5 / 15 = 0.3, PMR
   * = 4.5 / 12 = 0.375. Wealth pro rata takes x = (4.8, 2.4, 0.3): left (3.2, 1.6, 0.2), PTSR = 3.2
   * / 15, PMR = 3.2 / 12. The largest winner's equity (10 before, 6.5 after the queue) does not
   * enter.
   */
  @Test
  void theWorkedExample() {
    double[] w = {8, 4, 0.5};
    SolvencyRatios queue = SolvencyRatios.of(w, new double[] {3.5, 4, 0}, 15, 12);
    assertThat(queue.largestEndowmentLeft()).isEqualTo(4.5);
    assertThat(queue.ptsr()).isCloseTo(0.3, within(1e-15));
    assertThat(queue.pmr()).isEqualTo(0.375);
    SolvencyRatios proRata = SolvencyRatios.of(w, new double[] {4.8, 2.4, 0.3}, 15, 12);
    assertThat(proRata.ptsr()).isCloseTo(3.2 / 15, within(1e-15));
    assertThat(proRata.pmr()).isCloseTo(3.2 / 12, within(1e-15));
  }

  @Test
  void noDeficitOrNoWinnersHasNoRatio() {
    SolvencyRatios none = SolvencyRatios.of(new double[] {1}, new double[] {0}, 0, 0);
    assertThat(none.ptsr()).isNull();
    assertThat(none.pmr()).isNull();
    assertThat(SolvencyRatios.of(new double[0], new double[0], 5, 5).ptsr()).isNull();
    // taken beyond the endowment (rounds taking the same PnL again) leaves nothing, not less
    assertThat(SolvencyRatios.of(new double[] {1}, new double[] {3}, 2, 2).ptsr()).isZero();
  }
}
