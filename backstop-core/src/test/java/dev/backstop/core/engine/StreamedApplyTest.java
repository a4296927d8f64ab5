package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Engine#apply(Command, java.util.function.Consumer)}: the same events, none kept. */
class StreamedApplyTest {

  @Test
  void aStreamedCommandHandsOverTheEventsApplyReturns() {
    int rejected = 0;
    for (String preset : RandomStreams.presets()) {
      RandomStreams.Stream stream = RandomStreams.generate(preset, 7, 400);
      Engine listed = new Engine();
      Engine streamed = new Engine();
      for (Command c : stream.commands()) {
        List<Event> expected = listed.apply(c);
        List<Event> got = new ArrayList<>();
        long count = streamed.apply(c, got::add);
        assertThat(count).isEqualTo(got.size());
        if (expected.getLast() instanceof Event.Rejected r) {
          // the events of the refused command, handed over before it was refused, then the
          // same rejection, numbered where they began
          assertThat(got.getLast()).as("%s: %s", stream, c).isEqualTo(r);
          if (got.size() > 1) {
            assertThat(got.getFirst().seq()).isEqualTo(r.seq());
          }
          rejected++;
        } else {
          assertThat(got).as("%s: %s", stream, c).isEqualTo(expected);
        }
      }
      assertThat(streamed.stateHash()).as("%s", stream).isEqualTo(listed.stateHash());
    }
    assertThat(rejected).as("rejections among the streams' commands").isPositive();
  }

  @Test
  void aSinkThatThrowsLeavesTheCommandUndoneAndItsExceptionGoesBack() {
    RandomStreams.Stream stream = RandomStreams.generate("bitmex", 11, 200);
    Engine engine = new Engine();
    Engine reference = new Engine();
    int failed = 0;
    for (Command c : stream.commands()) {
      long before = engine.stateHash();
      long nextSeq = engine.nextSequence();
      IllegalStateException boom = new IllegalStateException("the consumer failed");
      List<Event> seen = new ArrayList<>();
      boolean threw = false;
      try {
        engine.apply(
            c,
            e -> {
              seen.add(e);
              if (seen.size() == 2) {
                throw boom;
              }
            });
      } catch (IllegalStateException e) {
        assertThat(e).isSameAs(boom);
        assertThat(engine.stateHash()).isEqualTo(before);
        assertThat(engine.nextSequence()).isEqualTo(nextSeq);
        failed++;
        threw = true;
      }
      if (threw) {
        // then applied for real: the engine goes on as one that never saw the failed attempt
        assertThat(engine.apply(c)).isEqualTo(reference.apply(c));
      } else {
        List<Event> expected = reference.apply(c);
        if (!(expected.getLast() instanceof Event.Rejected)) {
          assertThat(seen).isEqualTo(expected);
        }
      }
    }
    assertThat(failed).isPositive();
    assertThat(engine.stateHash()).isEqualTo(reference.stateHash());
  }

  @Test
  void aStreamedRejectionComesLastAndChangesNothing() {
    Engine engine = new Engine();
    long before = engine.stateHash();
    List<Event> got = new ArrayList<>();
    engine.apply(new Command.AdvanceTime(-5), got::add);
    assertThat(got).singleElement().isInstanceOf(Event.Rejected.class);
    assertThat(engine.stateHash()).isEqualTo(before);
  }
}
