package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BurdensTest {

  private static final long DOLLAR = 1_000_000;

  /** Every trader's PnL is one dollar per lot held; leverage 10 minus its index. */
  private static final Burdens.Traders DOLLAR_A_LOT =
      new Burdens.Traders() {
        @Override
        public double capacity(int trader, long heldLots) {
          return heldLots;
        }

        @Override
        public double leverage(int trader) {
          return 10 - trader;
        }
      };

  /**
   * The burden is per round (Chitra, Thogiti, Trujillo Ramirez, Xu, arXiv 2602.15182, section 5:
   * {@code m_t = max_i x_{i,t} / u_{i,t}}). A winner with a PnL of 100 loses 60 to a first haircut
   * (burden 0.6) and, its PnL having risen to 100 again at the next round's mark, as the haircut
   * event reports, 60 more (0.6 again): its burden is 0.6, not 120 / 100 = 1.2 (amounts of two
   * rounds over one round's capacity, as the simulator reported before).
   */
  @Test
  void twoHaircutsAreTwoBurdensEachOverItsOwnRoundsCapacity() {
    Burdens b = new Burdens(new long[] {10});
    for (int round = 0; round < 2; round++) {
      b.take(0, 60 * DOLLAR, 0, 100 * DOLLAR);
      b.closeRound(false, DOLLAR_A_LOT);
    }
    assertThat(b.burden(0)).isEqualTo(0.6);
    assertThat(b.taken(0)).isEqualTo(120.0);
  }

  /**
   * A haircut lowers the PnL it took from, so a winner it emptied is no winner of the next round.
   * Three winners, PnL 10, 6 and 4 dollars (one a lot), leverages 10, 9, 8. Round 1, a haircut of
   * all of the second's 6: burden 1. Round 2 takes half of the first's and the third's capacity (5
   * and 2): the second has 6 - 6 = 0 left, is not a winner of the round, and the round has no
   * inversion and no monotonicity violation. Counted at its position's 6, it would have been a
   * winner spared at burden 0: an inversion with the third (leverage 9 over 8, burden 0 under 0.5)
   * and a violation (capacity 6 keeping 6, more than the 5 that capacity 10 keeps), as wealth pro
   * rata showed on most of its pairs.
   */
  @Test
  void aWinnerAHaircutEmptiedIsNoWinnerOfTheNextRound() {
    Burdens b = new Burdens(new long[] {10, 6, 4});
    b.take(1, 6 * DOLLAR, 0, 6 * DOLLAR);
    b.closeRound(false, DOLLAR_A_LOT);
    assertThat(b.burden(1)).isEqualTo(1.0);
    long inversionsAfterFirst = b.inversions();
    long violationsAfterFirst = b.monotonicityViolations();
    b.take(0, 5 * DOLLAR, 0, 10 * DOLLAR);
    b.take(2, 2 * DOLLAR, 0, 4 * DOLLAR);
    b.closeRound(false, DOLLAR_A_LOT);
    assertThat(b.inversions()).isEqualTo(inversionsAfterFirst);
    assertThat(b.monotonicityViolations()).isEqualTo(violationsAfterFirst);
    assertThat(b.burden(0)).isEqualTo(0.5);
    assertThat(b.burden(2)).isEqualTo(0.5);
  }

  /**
   * Deleveraging: 10 lots at a PnL of 1 dollar a lot. Round 1 closes 4 of the 10 lots held: share
   * 0.4 of a capacity of 10, {@code x = 4}, burden 0.4. Round 2 closes the 6 left: share 1 of a
   * capacity of 6, burden 1. In all 10 dollars were realised, and the largest burden is 1.
   */
  @Test
  void closingAShareOfThePositionIsThatShareOfTheRoundsCapacity() {
    Burdens b = new Burdens(new long[] {-10});
    b.take(0, 0, 4, -1);
    b.closeRound(true, DOLLAR_A_LOT);
    assertThat(b.burden(0)).isEqualTo(0.4);
    assertThat(b.heldLots(0)).isEqualTo(6);
    b.take(0, 0, 6, -1);
    b.closeRound(true, DOLLAR_A_LOT);
    assertThat(b.burden(0)).isEqualTo(1.0);
    assertThat(b.taken(0)).isCloseTo(10.0, within(1e-12));
  }

  /**
   * Monotonicity (arXiv 2602.15182, section 5.2; Appendix C, Proposition 9 part 3). Longs with
   * capacities 10, 6 and 4. A queue round closes the first fully: endowments left (0, 6, 4); in
   * capacity order the pair (10 -> 0, 6 -> 6) is a violation, (6 -> 6, 4 -> 4) is not: 1 of 2
   * pairs. Then a pro-rata haircut of half on the two left (the first holds nothing, so it is no
   * longer a winner): left (3, 2), no violation. Mean rate over the two rounds (0.5 + 0) / 2.
   */
  @Test
  void aQueueViolatesMonotonicityAndProRataDoesNot() {
    Burdens b = new Burdens(new long[] {10, 6, 4});
    b.take(0, 0, 10, -1);
    b.closeRound(true, DOLLAR_A_LOT);
    assertThat(b.monotonicityViolations()).isEqualTo(1);
    assertThat(b.monotonicityRate()).isEqualTo(0.5);
    b.take(1, 3 * DOLLAR, 0, 6 * DOLLAR);
    b.take(2, 2 * DOLLAR, 0, 4 * DOLLAR);
    b.closeRound(false, DOLLAR_A_LOT);
    assertThat(b.monotonicityViolations()).isEqualTo(1);
    assertThat(b.monotonicityRate()).isEqualTo(0.25);
    assertThat(b.burden(1)).isEqualTo(0.5);
    assertThat(b.burden(2)).isEqualTo(0.5);
  }
}
