package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.testing.Tries;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The decimals an average entry price gets ({@link Engine#entryDecimals}), found by a product, are
 * those of the division it replaces: 8, fewer while {@code cost / perTick > Long.MAX_VALUE /
 * 10^extra}; at the boundaries of every step and over the whole range.
 */
class EntryDecimalsTest {

  private static int byDivision(long cost, long perTick) {
    long whole = cost / perTick;
    int extra = 8;
    while (extra > 0 && whole > Long.MAX_VALUE / pow10(extra)) {
      extra--;
    }
    return extra;
  }

  private static long pow10(int k) {
    long p = 1;
    for (int i = 0; i < k; i++) {
      p *= 10;
    }
    return p;
  }

  @Test
  void theProductFindsWhatTheDivisionFound(TestInfo test) {
    Tries.forAll(
        test,
        200,
        seed -> {
          SplittableRandom random = new SplittableRandom(seed);
          for (int i = 0; i < 200; i++) {
            long perTick =
                random.nextBoolean()
                    ? 1 + random.nextInt(1_000_000)
                    : random.nextLong(1, Long.MAX_VALUE);
            long cost;
            if (random.nextBoolean()) {
              // at a step's boundary: (limit + d) * perTick, d in -1..1, where it fits
              long limit = Long.MAX_VALUE / pow10(1 + random.nextInt(8));
              long whole = limit + random.nextInt(3) - 1;
              long r = random.nextBoolean() ? 0 : random.nextLong(perTick);
              long at = whole * perTick;
              cost =
                  Math.multiplyHigh(whole, perTick) == 0 && at >= 0
                      ? (at > Long.MAX_VALUE - r ? at : at + r)
                      : random.nextLong(1, Long.MAX_VALUE);
              cost = Math.max(1, cost);
            } else {
              cost = random.nextLong(1, Long.MAX_VALUE);
            }
            assertThat(Engine.entryDecimals(cost, perTick))
                .as("cost %d, perTick %d", cost, perTick)
                .isEqualTo(byDivision(cost, perTick));
          }
        });
  }
}
