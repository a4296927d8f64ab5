package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fairness measures read from the winners kept at each price ({@link WinnerIndex}) are those of
 * the definition, which sorts every winner of every round ({@code new Burdens(lots, true)}), to the
 * last pair: random books (many ties in capacity and leverage, infinite leverages), random prices,
 * liquidations between rounds, deleveraging and money rounds, haircuts with and without reported
 * capacities.
 */
class WinnerIndexProperties {

  /** Small books, every round read from the kept winners. */
  @Test
  void keptWinnersMeasureWhatSortingEveryWinnerMeasures() {
    check(0x3A1E5_0F_F41L, 400, 40, 6, 0);
  }

  /**
   * Larger books and rounds, at the simulator's switch: a round hitting many winners is sorted
   * whole, and a price at which many traders moved is read afresh.
   */
  @Test
  void atTheSwitchesTooTheMeasuresAreTheDefinitions() {
    check(0x5_317C_4E5L, 60, 400, 120, 8);
  }

  private static void check(long base, int tries, int people, int maxHits, int denseShare) {
    SplittableRandom seeds = new SplittableRandom(base);
    long inversions = 0;
    long violations = 0;
    long concordantRounds = 0;
    for (int t = 0; t < tries; t++) {
      long seed = seeds.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      int n = r.nextInt(1, people);
      long[] lots = new long[n];
      long[] entry = new long[n];
      double[] leverage = new double[n];
      for (int i = 0; i < n; i++) {
        lots[i] = (r.nextBoolean() ? 1 : -1) * r.nextLong(1, 6);
        entry[i] = r.nextLong(95, 106);
        leverage[i] = r.nextInt(0, 6) == 0 ? Double.POSITIVE_INFINITY : r.nextInt(1, 5);
      }
      long[] mark = {100};
      Burdens.Traders traders =
          new Burdens.Traders() {
            @Override
            public double capacity(int trader, long heldLots) {
              return Long.signum(lots[trader]) * heldLots * (double) (mark[0] - entry[trader]);
            }

            @Override
            public double leverage(int trader) {
              return leverage[trader];
            }
          };
      Burdens definition = new Burdens(lots, true);
      Burdens kept = new Burdens(lots, false, denseShare);
      long[] held = new long[n];
      for (int i = 0; i < n; i++) {
        held[i] = Math.abs(lots[i]);
      }
      for (int tick = 0; tick < 12; tick++) {
        mark[0] = r.nextLong(94, 108);
        definition.priceMoved();
        kept.priceMoved();
        int rounds = r.nextInt(0, 5);
        for (int round = 0; round < rounds; round++) {
          if (r.nextInt(0, 3) == 0) {
            int i = r.nextInt(0, n);
            long l = held[i] == 0 ? 0 : r.nextLong(1, held[i] + 1);
            held[i] -= l;
            definition.liquidated(i, l);
            kept.liquidated(i, l);
          }
          boolean deleveraging = r.nextBoolean();
          long roundSide = r.nextBoolean() ? 1 : -1;
          int hits = r.nextInt(1, Math.min(n, r.nextBoolean() ? 6 : maxHits) + 1);
          for (int k = 0; k < hits; k++) {
            int i = r.nextInt(0, n);
            if (deleveraging && Long.signum(lots[i]) != roundSide) {
              continue;
            }
            long money = deleveraging ? 0 : r.nextLong(0, 4) * 1_000_000;
            long closed = deleveraging && held[i] > 0 ? r.nextLong(0, held[i] + 1) : 0;
            long capacity = deleveraging || r.nextBoolean() ? -1 : r.nextLong(0, 5) * 1_000_000;
            held[i] -= closed;
            definition.take(i, money, closed, capacity);
            kept.take(i, money, closed, capacity);
          }
          definition.closeRound(deleveraging, traders);
          kept.closeRound(deleveraging, traders);
          String at = "seed " + seed + ", tick " + tick + ", round " + round;
          assertThat(kept.inversions()).as(at).isEqualTo(definition.inversions());
          assertThat(kept.inversionRate()).as(at).isEqualTo(definition.inversionRate());
          assertThat(kept.monotonicityViolations())
              .as(at)
              .isEqualTo(definition.monotonicityViolations());
          assertThat(kept.monotonicityRate()).as(at).isEqualTo(definition.monotonicityRate());
        }
      }
      inversions += definition.inversions();
      violations += definition.monotonicityViolations();
      if (definition.inversionRate() > 0 && definition.inversionRate() < 1) {
        concordantRounds++;
      }
    }
    // the streams exercised both measures, both ways
    assertThat(inversions).isPositive();
    assertThat(violations).isPositive();
    assertThat(concordantRounds).isPositive();
  }
}
