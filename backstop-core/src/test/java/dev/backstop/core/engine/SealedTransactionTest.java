package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command commits completely or not at all, whatever is thrown inside it: an exception from a
 * mechanism that breaks its contract becomes a {@code rejected} event with code {@code internal},
 * the state, its hash and the event sequence exactly as before.
 */
class SealedTransactionTest {

  private static final MarginRef CROSS = MarginRef.cross();

  /** A deleveraging policy that fails in the middle of a cascade. */
  private record ThrowingPolicy() implements AllocationPolicy {
    @Override
    public String name() {
      return "throwing";
    }

    @Override
    public boolean supports(AllocationMode mode) {
      return true;
    }

    @Override
    public void allocate(
        CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
      throw new IllegalStateException("policy broke its contract");
    }
  }

  private static Decimal d(String text) {
    return Decimal.parse(text);
  }

  /** dYdX's A/B example (a deleveraging on the tick to $2) with a policy that throws. */
  private static Engine venue() {
    MarketConfig base = WholeLots.of("dydx-v4").build();
    BackstopSpec throwing =
        new BackstopSpec(
            base.backstop().trigger(),
            new BackstopSpec.Resolution.Deleverage(new ThrowingPolicy()),
            base.backstop().price());
    Engine engine = new Engine();
    for (Command c :
        List.of(
            new Command.CreateMarket("X", base.toBuilder().backstop(throwing).build()),
            new Command.Deposit("A", d("100"), CROSS),
            new Command.Deposit("B", d("100"), CROSS),
            new Command.SetPrice("X", d("1"), null, null),
            new Command.Trade("X", "A", "B", d("500"), d("1"), true, CROSS, CROSS))) {
      assertThat(engine.apply(c)).noneMatch(Event.Rejected.class::isInstance);
    }
    return engine;
  }

  @Test
  void anExceptionInsideAMechanismRollsTheWholeCommandBack() {
    Engine engine = venue();
    byte[] before = engine.snapshot();
    long nextSeq = engine.nextSequence();

    List<Event> events = engine.apply(new Command.SetPrice("X", d("2"), null, null));

    assertThat(events).singleElement().isInstanceOf(Event.Rejected.class);
    Event.Rejected rejected = (Event.Rejected) events.get(0);
    assertThat(rejected.code()).isEqualTo(RejectionCode.INTERNAL);
    assertThat(rejected.reason())
        .isEqualTo("internal error: IllegalStateException, command rolled back");
    assertThat(rejected.seq()).isEqualTo(nextSeq);
    assertThat(engine.lastInternalError())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("policy broke its contract");
    assertThat(engine.snapshot()).isEqualTo(before);
    assertThat(engine.nextSequence()).isEqualTo(nextSeq);
    assertThat(engine.indexProblems()).isEmpty();
  }

  @Test
  void theNextCommandRunsAsIfTheFailedOneHadNeverComeIn() {
    Engine failed = venue();
    failed.apply(new Command.SetPrice("X", d("2"), null, null));
    Engine clean = venue();
    Command next = new Command.SetPrice("X", d("1.1"), null, null);
    assertThat(failed.apply(next)).isEqualTo(clean.apply(next));
    assertThat(failed.lastInternalError()).isNull();
    assertThat(failed.stateHash()).isEqualTo(clean.stateHash());
  }

  @Test
  void everyRejectionCarriesAMachineReadableCode() {
    Engine engine = venue();
    assertThat(code(engine, new Command.Deposit("A", d("-1"), CROSS)))
        .isEqualTo(RejectionCode.INVALID_ARGUMENT);
    assertThat(code(engine, new Command.Withdraw("nobody", d("1"), CROSS)))
        .isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
    assertThat(code(engine, new Command.SetPrice("Y", d("1"), null, null)))
        .isEqualTo(RejectionCode.UNKNOWN_MARKET);
    assertThat(code(engine, new Command.Withdraw("A", d("100"), CROSS)))
        .isEqualTo(RejectionCode.INSUFFICIENT_MARGIN);
    assertThat(code(engine, new Command.CreateMarket("X", MarketConfig.builder().build())))
        .isEqualTo(RejectionCode.ALREADY_EXISTS);
    assertThat(code(engine, new Command.SetPrice("X", d("1"), null, -5L)))
        .isEqualTo(RejectionCode.STALE_TIME);
    engine.apply(new Command.AdvanceTime(1000));
    // A price stamped before the engine's clock is stale too, even if after the last price.
    assertThat(code(engine, new Command.SetPrice("X", d("1"), null, 500L)))
        .isEqualTo(RejectionCode.STALE_TIME);
    assertThat(code(engine, new Command.Deposit("A", d("9223372036854"), CROSS)))
        .isEqualTo(RejectionCode.OVERFLOW);
  }

  private static RejectionCode code(Engine engine, Command command) {
    List<Event> events = engine.apply(command);
    assertThat(events).singleElement().isInstanceOf(Event.Rejected.class);
    return ((Event.Rejected) events.get(0)).code();
  }
}
