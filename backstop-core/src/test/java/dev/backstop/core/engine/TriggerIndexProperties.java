package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.testing.Gen;
import dev.backstop.core.testing.Tries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The blocked arrays of {@link TriggerIndex} keep the order a sorted set of (key, id) would: after
 * random puts and removals (enough to split and empty blocks), every walk visits what the model's
 * walk visits, in the same order.
 */
class TriggerIndexProperties {

  private record Entry(long key, int id) {}

  private static Comparator<Entry> order(boolean longSide) {
    return (a, b) ->
        TriggerIndex.before(longSide, a.key(), a.id(), b.key(), b.id())
            ? -1
            : TriggerIndex.before(longSide, b.key(), b.id(), a.key(), a.id()) ? 1 : 0;
  }

  @Test
  void walksVisitWhatASortedSetHolds(TestInfo test) {
    Tries.forAll(
        test,
        200,
        seed -> {
          Gen g = new Gen(seed);
          boolean longSide = g.booleans();
          TriggerIndex index = new TriggerIndex(longSide);
          TreeSet<Entry> model = new TreeSet<>(order(longSide));
          Map<Integer, Long> keys = new HashMap<>();
          int accounts = g.ints(1, 2_000);
          long spread = g.booleans() ? 20 : 1_000_000;
          int steps = g.ints(1, 4_000);
          for (int s = 0; s < steps; s++) {
            int id = g.ints(0, accounts - 1);
            if (g.ints(0, 3) == 0) {
              index.remove(id);
              Long old = keys.remove(id);
              if (old != null) {
                model.remove(new Entry(old, id));
              }
            } else {
              long key = g.longs(-spread, spread);
              index.put(id, key);
              Long old = keys.put(id, key);
              if (old != null) {
                model.remove(new Entry(old, id));
              }
              model.add(new Entry(key, id));
            }
            if (s % 97 == 0 || s == steps - 1) {
              List<Entry> walked = new ArrayList<>();
              index.forEach(
                  (c, k) -> {
                    walked.add(new Entry(k, c));
                    return true;
                  });
              assertThat(walked).containsExactlyElementsOf(model);
              assertThat(index.size()).isEqualTo(model.size());
              long mark = g.longs(-spread, spread);
              List<Entry> crossed = new ArrayList<>();
              index.crossed(
                  mark,
                  (c, k) -> {
                    crossed.add(new Entry(k, c));
                    return true;
                  });
              List<Entry> expected = new ArrayList<>();
              for (Entry e : model) {
                if (longSide ? e.key() >= mark : e.key() <= mark) {
                  expected.add(e);
                } else {
                  break;
                }
              }
              assertThat(crossed).containsExactlyElementsOf(expected);
              for (int probe = 0; probe < 5; probe++) {
                int c = g.ints(0, accounts - 1);
                assertThat(index.get(c)).isEqualTo(keys.getOrDefault(c, Long.MIN_VALUE));
              }
              // the most endangered by exact triggers that are the keys themselves: the first
              int most = index.mostEndangered(0, (c, k) -> k);
              assertThat(most).isEqualTo(model.isEmpty() ? Ledger.NONE : model.first().id());
            }
          }
        });
  }
}
