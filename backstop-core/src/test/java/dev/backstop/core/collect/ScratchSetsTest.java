package dev.backstop.core.collect;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntHashSet;
import org.junit.jupiter.api.Test;

/**
 * A cleared working set is empty, keeps its array while commands use a good part of it, and is
 * small again after the first command that uses far less.
 */
class ScratchSetsTest {

  @Test
  void aLargeSetIsEmptiedAndCompacted() {
    IntHashSet set = new IntHashSet();
    for (int i = 0; i < 100_000; i++) {
      set.add(i);
    }
    assertThat(set.capacity()).isGreaterThan(ScratchSets.KEEP);
    ScratchSets.clear(set);
    assertThat(set).isEmpty();
    assertThat(set.contains(5)).isFalse();
    set.add(9);
    ScratchSets.clear(set);
    assertThat(set.capacity()).isLessThanOrEqualTo(ScratchSets.KEEP);
    set.add(7);
    assertThat(set).containsExactly(7);
  }

  @Test
  void aLargeSetClearedAfterALargeCommandKeepsItsArray() {
    IntHashSet set = new IntHashSet();
    for (int i = 0; i < 100_000; i++) {
      set.add(i);
    }
    int capacity = set.capacity();
    ScratchSets.clear(set);
    assertThat(set).isEmpty();
    assertThat(set.capacity()).isEqualTo(capacity);
    set.add(1);
    ScratchSets.clear(set);
    assertThat(set.capacity()).isLessThanOrEqualTo(ScratchSets.KEEP);
  }

  @Test
  void aSmallSetKeepsItsArray() {
    IntHashSet set = new IntHashSet();
    for (int i = 0; i < 100; i++) {
      set.add(i);
    }
    int capacity = set.capacity();
    ScratchSets.clear(set);
    assertThat(set).isEmpty();
    assertThat(set.capacity()).isEqualTo(capacity);
  }

  @Test
  void aLargeMapIsEmptiedAndCompacted() {
    Int2IntHashMap map = new Int2IntHashMap(-1);
    for (int i = 0; i < 100_000; i++) {
      map.put(i, i + 1);
    }
    ScratchSets.clear(map);
    assertThat(map.isEmpty()).isTrue();
    assertThat(map.get(5)).isEqualTo(-1);
    map.put(8, 9);
    ScratchSets.clear(map);
    assertThat(map.capacity()).isLessThanOrEqualTo(ScratchSets.KEEP);
    map.put(3, 4);
    assertThat(map.get(3)).isEqualTo(4);
  }
}
