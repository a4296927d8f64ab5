package dev.backstop.core.adl.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.testing.Gen;
import dev.backstop.core.testing.Tries;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A {@link RankedSide} kept through random adds, updates and removals gives, at every step, the
 * leaders that the policy selects from a book of its live rows built from scratch.
 */
class RankedSideProperties {

  private static final int TRIES = 300;

  /** One live row: id, pnl, equity, size, mark and entry per lot. */
  private record Row(long id, long pnl, long equity, long size, long mark, long entry) {}

  private static Row row(Gen g, long id) {
    long size = g.longs(1, g.booleans() ? 10 : 1_000_000);
    long mark = g.longs(1, 10_000_000);
    long entry = g.longs(0, 10_000_000);
    long pnl = g.longs(1, 1_000_000_000L);
    // Equal scores are common (equal rows), so that the tie-break by id is exercised.
    long equity = g.booleans() ? pnl : g.longs(-1_000_000L, 1_000_000_000_000L);
    return new Row(id, pnl, equity, size, mark, entry);
  }

  private static CandidateBook book(List<Row> rows) {
    CandidateBook.Builder b = CandidateBook.builder(rows.size());
    for (Row r : rows) {
      b.addPosition(r.id(), r.pnl(), r.equity(), r.size(), r.mark(), r.entry());
    }
    return b.build();
  }

  @Test
  void leadersAreThoseOfABookBuiltFromScratch(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Gen g = new Gen(seed);
          QueueScore score = QueueScore.values()[g.ints(0, QueueScore.values().length - 1)];
          AllocationPolicy policy =
              g.booleans() ? new QueuePolicy(score) : new QueueFullPolicy(score);
          List<Row> initial = new ArrayList<>();
          int n = g.ints(1, 60);
          long nextId = 0;
          for (int i = 0; i < n; i++) {
            nextId += g.ints(1, 5);
            initial.add(row(g, nextId));
          }
          RankedSide side = RankedSide.of(policy, book(initial));
          // slot -> live row (null when removed)
          List<Row> slots = new ArrayList<>(initial);
          for (int step = 0; step < 80; step++) {
            List<Row> live = new ArrayList<>();
            List<Integer> liveSlots = new ArrayList<>();
            for (int s = 0; s < slots.size(); s++) {
              if (slots.get(s) != null) {
                live.add(slots.get(s));
                liveSlots.add(s);
              }
            }
            live.sort((a, b) -> Long.compare(a.id(), b.id()));
            long total = live.stream().mapToLong(Row::size).sum();
            long target = g.longs(0, Math.max(1, total / 3));
            CandidateBook fresh = book(live);
            int[] expected = live.isEmpty() ? null : policy.leaders(fresh, target);
            int[] got = side.leaders(target);
            if (expected == null) {
              assertThat(got).as("step %d", step).isNull();
            } else {
              assertThat(got).as("step %d", step).isNotNull();
              long[] expectedIds = new long[expected.length];
              for (int k = 0; k < expected.length; k++) {
                expectedIds[k] = fresh.id(expected[k]);
              }
              long[] gotIds = new long[got.length];
              for (int k = 0; k < got.length; k++) {
                gotIds[k] = side.id(got[k]);
              }
              assertThat(gotIds)
                  .as("step %d, target %d", step, target)
                  .containsExactly(expectedIds);
              CandidateBook cut = side.book(got);
              CandidateBook expectedCut = fresh.subset(expected);
              for (int k = 0; k < got.length; k++) {
                assertThat(cut.leverage(k)).isEqualTo(expectedCut.leverage(k));
                assertThat(cut.capacity(k)).isEqualTo(expectedCut.capacity(k));
              }
            }
            int op = g.ints(0, 2);
            if (op == 0 || liveSlots.isEmpty()) {
              nextId += g.ints(1, 5);
              Row r = row(g, nextId);
              int s = side.add(r.id(), r.pnl(), r.equity(), r.size(), r.mark(), r.entry());
              assertThat(s).isEqualTo(slots.size());
              slots.add(r);
            } else {
              int s = liveSlots.get(g.ints(0, liveSlots.size() - 1));
              if (op == 1) {
                Row fresh2 = row(g, slots.get(s).id());
                side.update(
                    s, fresh2.pnl(), fresh2.equity(), fresh2.size(), fresh2.mark(), fresh2.entry());
                slots.set(s, fresh2);
              } else {
                side.remove(s);
                slots.set(s, null);
              }
            }
            assertThat(side.count()).isEqualTo((int) slots.stream().filter(r -> r != null).count());
          }
        });
  }

  @Test
  void aPolicyThatNeedsTheWholeSideGetsNone() {
    CandidateBook book = CandidateBook.builder(1).addPosition(1, 5, 10, 1, 100, 95).build();
    assertThat(RankedSide.of(new ProRataPolicy(), book)).isNull();
    assertThat(RankedSide.of(new QueuePolicy(QueueScore.BITMEX), book)).isNotNull();
  }
}
