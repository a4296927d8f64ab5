package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.event.Event;
import dev.backstop.core.testing.Tries;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Snapshot and restore over random crash streams ({@link RandomStreams}) of every preset: cut the
 * stream at a random point, restore the snapshot into a new engine, feed both the tail: the same
 * events, command by command, and the same hash at the end. Along the way, no two different
 * snapshots give the same hash.
 */
class SnapshotProperties {

  private static final int LENGTH = 300;

  private static final int TRIES = 12;

  @Test
  void restoreThenReplayTheTailGivesTheSameEventsAndHash(TestInfo test) {
    Tries.forAll(test, TRIES, SnapshotProperties::cutRestoreReplay);
  }

  private static void cutRestoreReplay(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Long, byte[]> seen = new HashMap<>();
    for (String preset : RandomStreams.presets()) {
      RandomStreams.Stream stream = RandomStreams.generate(preset, seed, LENGTH);
      List<Command> commands = stream.commands();
      int cut = random.nextInt(commands.size() + 1);
      Engine original = new Engine();
      for (Command c : commands.subList(0, cut)) {
        original.apply(c);
        remember(seen, original, stream);
      }
      Engine restored = Engine.restore(original.snapshot());
      assertThat(restored.stateHash()).as(stream + " cut " + cut).isEqualTo(original.stateHash());
      for (int i = cut; i < commands.size(); i++) {
        Command c = commands.get(i);
        List<Event> expected = original.apply(c);
        assertThat(restored.apply(c)).as(stream + " cut " + cut + " #" + i).isEqualTo(expected);
        remember(seen, original, stream);
      }
      assertThat(restored.snapshot()).as(stream.toString()).isEqualTo(original.snapshot());
    }
  }

  private static void remember(Map<Long, byte[]> seen, Engine engine, RandomStreams.Stream s) {
    byte[] snapshot = engine.snapshot();
    byte[] earlier = seen.putIfAbsent(StateDigest.hash(snapshot), snapshot);
    if (earlier != null) {
      assertThat(Arrays.equals(earlier, snapshot)).as(s + ": two states, one hash").isTrue();
    }
  }
}
