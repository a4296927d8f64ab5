package dev.backstop.core.adl.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.testing.Gen;
import dev.backstop.core.testing.Tries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@link QueueScore#bound} bounds the score at every mark of the interval where the position is
 * profitable, for every score and both sides: positions of one to a million lots, entries and marks
 * per lot over four orders of magnitude, margins from negative to many times the notional,
 * intervals from one unit to a tenth of the mark, and the score checked at both ends and at thirty
 * marks between them.
 */
class QueueScoreBoundProperties {

  private static final int TRIES = 3_000;

  @Test
  void theBoundIsAtLeastTheScoreAnywhereInTheInterval(TestInfo test) {
    long[] tight = {0};
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Gen g = new Gen(seed);
          boolean longs = g.booleans();
          long lots = g.longs(1, g.booleans() ? 100 : 1_000_000);
          long entry = g.longs(1, 10_000_000);
          long cost = (longs ? 1 : -1) * lots * entry;
          long mark = Math.max(2, entry + g.longs(-entry / 2, entry / 2));
          long width = g.longs(1, Math.max(1, mark / 10));
          long a = Math.max(1, mark - width);
          long b = mark + width;
          long notional = lots * entry;
          // the margin E - P: negative sometimes, a few percent of the notional mostly
          long margin =
              switch (g.ints(0, 3)) {
                case 0 -> g.longs(-notional / 10, 0);
                case 1 -> g.longs(0, notional / 20 + 1);
                case 2 -> g.longs(0, notional + 1);
                default -> g.longs(0, 5 * notional + 1);
              };
          long size = longs ? lots : -lots;
          long entryNotional = lots * entry;
          for (QueueScore score : QueueScore.values()) {
            long bound =
                score.bound(
                    longs,
                    pnl(size, a, cost),
                    pnl(size, a, cost) + margin,
                    lots * a,
                    pnl(size, b, cost),
                    pnl(size, b, cost) + margin,
                    lots * b,
                    entryNotional);
            for (int k = 0; k <= 31; k++) {
              long m = k == 0 ? a : k == 31 ? b : g.longs(a, b);
              long pnl = pnl(size, m, cost);
              if (pnl <= 0) {
                continue;
              }
              long s = score.score(pnl, pnl + margin, lots * m, entryNotional);
              assertThat(s)
                  .as(
                      "%s %s lots %d entry %d margin %d, marks [%d, %d] at %d",
                      score, longs ? "long" : "short", lots, entry, margin, a, b, m)
                  .isLessThanOrEqualTo(bound);
              if (s == bound) {
                tight[0]++;
              }
            }
          }
        });
    // The bounds are reached, at an end: they are not loose by construction.
    assertThat(tight[0]).isGreaterThan(TRIES / 10);
  }

  private static long pnl(long size, long markPerLot, long cost) {
    return size * markPerLot - cost;
  }
}
