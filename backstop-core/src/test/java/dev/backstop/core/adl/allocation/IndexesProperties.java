package dev.backstop.core.adl.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.testing.Tries;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The default order's sort ({@link Indexes#byScoreThenId}) is the comparison sort of {@link
 * AllocationPolicy#compare}'s default order, index for index: on books of every size around its
 * insertion runs and merge widths, with scores drawn from a few values (ties), from the whole range
 * (its ends included) and ids repeated (where only stability decides).
 */
class IndexesProperties {

  @Test
  void theDefaultOrdersSortIsTheComparisonSort(TestInfo test) {
    Tries.forAll(
        test,
        400,
        seed -> {
          SplittableRandom random = new SplittableRandom(seed);
          int n = random.nextInt(4) == 0 ? random.nextInt(2_000) : random.nextInt(100);
          int values = 1 + random.nextInt(8);
          long[] scores = new long[n];
          long[] ids = new long[n];
          for (int i = 0; i < n; i++) {
            scores[i] =
                switch (random.nextInt(5)) {
                  case 0 -> random.nextLong();
                  case 1 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
                  default -> random.nextInt(values) - values / 2;
                };
            ids[i] = random.nextInt(3) == 0 ? random.nextInt(1 + n / 4) : random.nextLong();
          }
          int[] expected =
              Indexes.sorted(
                  n,
                  (a, b) -> {
                    int c = Long.compare(scores[b], scores[a]);
                    return c != 0 ? c : Long.compare(ids[a], ids[b]);
                  });
          assertThat(Indexes.byScoreThenId(scores, ids, n)).containsExactly(expected);
        });
  }

  @Test
  void aQueueRanksAsItsComparisonDoes(TestInfo test) {
    Tries.forAll(
        test,
        200,
        seed -> {
          SplittableRandom random = new SplittableRandom(seed);
          int n = 1 + random.nextInt(300);
          CandidateBook.Builder b = CandidateBook.builder(n);
          long id = 0;
          for (int i = 0; i < n; i++) {
            id += 1 + random.nextInt(5);
            long pnl = random.nextInt(5) * 1_000_000L - 1_000_000L;
            long equity = pnl + 1 + random.nextInt(4) * 5_000_000L;
            b.addPosition(
                random.nextBoolean() ? id : -id,
                pnl,
                equity,
                1 + random.nextInt(3),
                100_000_00L,
                99_000_00L + random.nextInt(3) * 1_000_00L);
          }
          CandidateBook book = b.build();
          for (QueueScore score : QueueScore.values()) {
            long[] scores = new long[n];
            for (int i = 0; i < n; i++) {
              scores[i] = score.score(book, i);
            }
            int[] expected =
                Indexes.sorted(n, (x, y) -> score.compare(book, x, scores[x], y, scores[y]));
            assertThat(score.ranking(book, scores)).as("%s", score).containsExactly(expected);
          }
        });
  }
}
