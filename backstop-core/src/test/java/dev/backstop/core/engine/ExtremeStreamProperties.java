package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.core.testing.Ddmin;
import dev.backstop.core.testing.Tries;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The engine's invariants over the audit's richer streams ({@link ExtremeStreams}: several presets
 * in one engine, pools, funding, stale prices, moves of 90% in one step, sizes from one lot to the
 * edge of the fixed-point range), the same ones {@link EngineProperties} and {@link
 * SnapshotProperties} check over the crash streams, plus one the edge calls for: a command that
 * does not fit the range is refused with {@code overflow}, never an internal failure. A failing
 * stream is shrunk ({@link Ddmin}) and reported with its seed.
 */
class ExtremeStreamProperties {

  private static final int LENGTH = 400;
  private static final int TRIES = 40;

  /** One applied command with the state before and after it. */
  private record Step(
      Engine engine,
      ExtremeStreams.Stream stream,
      int index,
      Command command,
      List<Event> events,
      EngineState before,
      EngineState after) {

    String where() {
      return stream + " command #" + index + " " + command;
    }
  }

  /** The property: {@code check} on each try's stream, shrinking a stream that fails it. */
  private static void checkEveryStream(TestInfo test, Consumer<ExtremeStreams.Stream> check) {
    Tries.forAll(
        test,
        TRIES,
        seed ->
            Ddmin.shrinkOnFailure(
                ExtremeStreams.generate(seed, LENGTH).commands(),
                commands -> check.accept(new ExtremeStreams.Stream(seed, commands))));
  }

  /** The property: {@code check} after every command of every try's stream, in a fresh engine. */
  private static void checkEveryStep(TestInfo test, Consumer<Step> check) {
    checkEveryStream(
        test,
        stream -> {
          Engine engine = new Engine();
          EngineState before = engine.state();
          for (int i = 0; i < stream.commands().size(); i++) {
            Command command = stream.commands().get(i);
            List<Event> events = engine.apply(command);
            EngineState after = engine.state();
            check.accept(new Step(engine, stream, i, command, events, before, after));
            before = after;
          }
        });
  }

  private static boolean rejected(List<Event> events) {
    return events.size() == 1 && events.get(0) instanceof Event.Rejected;
  }

  private static long units(Decimal money) {
    return money.toUnits(Fixed.MONEY_DECIMALS);
  }

  // ---------------------------------------------------------------- properties

  /**
   * The liquidation index holds for every position a key no later than its exact trigger, and after
   * every price the engine's margin figures and liquidation prices match the brute-force oracle
   * ({@link LiquidationOracle}), through moves of up to 90%.
   */
  @Test
  void liquidationIndexMissesNothing(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          assertThat(step.engine().indexProblems()).as(step.where()).isEmpty();
          if (step.command() instanceof Command.SetPrice && !rejected(step.events())) {
            LiquidationOracle.check(step.stream().commands(), step.after(), step.where());
          }
        });
  }

  @Test
  void valueIsConservedToTheLastUnit(TestInfo test) {
    checkEveryStep(
        test, step -> assertThat(step.after().conservationError()).as(step.where()).isZero());
  }

  @Test
  void openInterestIsBalanced(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          for (EngineState.Market m : step.after().markets()) {
            assertThat(m.longSize()).as(step.where() + " " + m).isEqualTo(m.shortSize());
          }
        });
  }

  /**
   * No margin account, makers, liquidity providers, the fund's account and vaults included, is left
   * with negative equity, and every rise of bad debt is announced by {@code BadDebtRecorded} events
   * adding up to it. (The two ways the audit found, a pool side after {@code free-margin} through a
   * thin book and a huge off-market trade, are closed: pools close against their other side, and a
   * trade outside the price band is refused.)
   */
  @Test
  void noNegativeEquityWithoutBadDebt(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          for (EngineState.MarginAccount a : step.after().accounts()) {
            assertThat(a.equity().signum()).as(step.where() + " " + a).isGreaterThanOrEqualTo(0);
          }
          long rise =
              Math.subtractExact(units(step.after().badDebt()), units(step.before().badDebt()));
          long recorded = 0;
          for (Event e : step.events()) {
            if (e instanceof Event.BadDebtRecorded b) {
              recorded = Math.addExact(recorded, units(b.amount()));
            }
          }
          assertThat(recorded).as(step.where() + " bad debt recorded").isEqualTo(rise);
        });
  }

  /** A counterparty of an offsetting fill ends the command with bad debt only if liquidated. */
  @Test
  void noDeleveragingFillBankruptsItsCounterparty(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          Set<String> offset = new HashSet<>();
          Set<String> liquidated = new HashSet<>();
          for (Event e : step.events()) {
            switch (e) {
              case Event.Offsetting o -> offset.add(o.account() + " " + o.margin());
              case Event.Liquidated l -> liquidated.add(l.account() + " " + l.margin());
              case Event.BadDebtRecorded b -> {
                String who = b.account() + " " + b.margin();
                if (offset.contains(who)) {
                  assertThat(liquidated).as(step.where() + ": " + who).contains(who);
                }
              }
              default -> {}
            }
          }
        });
  }

  /** In every market, a pool's user position is the exact opposite of its provider's. */
  @Test
  void poolSidesMirrorEachOther(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          // exact sums: sizes near the edge of the range do not fit a common scale in a long
          Map<String, BigDecimal> net = new HashMap<>();
          for (EngineState.MarginAccount a : step.after().accounts()) {
            if (a.margin().startsWith("pool:")) {
              for (EngineState.Position p : a.positions()) {
                BigDecimal size = BigDecimal.valueOf(p.size().unscaled(), p.size().scale());
                net.merge(a.margin() + " " + p.market(), size, BigDecimal::add);
              }
            }
          }
          net.forEach(
              (where, sum) -> assertThat(sum.signum()).as(step.where() + " " + where).isZero());
        });
  }

  /**
   * Amounts, sizes and prices at the edge of the range are refused with {@code overflow} (or
   * another code that names what is wrong), never by an internal failure of the engine.
   */
  @Test
  void theEdgeOfTheRangeIsRefusedNotAFailure(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          if (rejected(step.events())) {
            Event.Rejected r = (Event.Rejected) step.events().get(0);
            assertThat(r.code())
                .as(step.where() + " " + r.reason())
                .isNotEqualTo(RejectionCode.INTERNAL);
          }
        });
  }

  /** The same stream in a fresh engine gives the same events and state hash after every command. */
  @Test
  void replayIsDeterministic(TestInfo test) {
    checkEveryStream(
        test,
        stream -> {
          Engine original = new Engine();
          Engine replica = new Engine();
          for (int i = 0; i < stream.commands().size(); i++) {
            Command command = stream.commands().get(i);
            String where = stream + " command #" + i + " " + command;
            assertThat(replica.apply(command)).as(where).isEqualTo(original.apply(command));
            assertThat(replica.stateHash()).as(where).isEqualTo(original.stateHash());
          }
        });
  }

  /**
   * A rejected command leaves the state hash as it was, and the stream without it (the middle
   * rejected one) gives the same events after it, sequence numbers included, and the same hash.
   */
  @Test
  void aRejectedCommandChangesNothingThenOrLater(TestInfo test) {
    checkEveryStream(
        test,
        stream -> {
          List<Command> commands = stream.commands();
          Engine full = new Engine();
          List<List<Event>> outputs = new ArrayList<>();
          List<Integer> refused = new ArrayList<>();
          for (int i = 0; i < commands.size(); i++) {
            long before = full.stateHash();
            List<Event> events = full.apply(commands.get(i));
            outputs.add(events);
            if (rejected(events)) {
              refused.add(i);
              assertThat(full.stateHash())
                  .as(stream + " command #" + i + " " + commands.get(i) + " " + events)
                  .isEqualTo(before);
            }
          }
          if (refused.isEmpty()) {
            return;
          }
          int cut = refused.get(refused.size() / 2);
          Engine without = new Engine();
          for (int i = 0; i < commands.size(); i++) {
            if (i == cut) {
              continue;
            }
            List<Event> events = without.apply(commands.get(i));
            if (i > cut) {
              assertThat(events)
                  .as(stream + " #" + i + " without #" + cut)
                  .isEqualTo(outputs.get(i));
            }
          }
          assertThat(without.stateHash())
              .as(stream + " without #" + cut)
              .isEqualTo(full.stateHash());
        });
  }

  /**
   * Cut the stream at a point drawn from the seed, restore the snapshot into a new engine and feed
   * both the tail: the same events, command by command, and the same snapshot at the end.
   */
  @Test
  void restoreThenReplayTheTailGivesTheSameEventsAndSnapshot(TestInfo test) {
    checkEveryStream(
        test,
        stream -> {
          List<Command> commands = stream.commands();
          int cut = new SplittableRandom(stream.seed()).nextInt(commands.size() + 1);
          Engine original = new Engine();
          for (Command c : commands.subList(0, cut)) {
            original.apply(c);
          }
          Engine restored = Engine.restore(original.snapshot());
          assertThat(restored.stateHash())
              .as(stream + " cut " + cut)
              .isEqualTo(original.stateHash());
          for (int i = cut; i < commands.size(); i++) {
            Command c = commands.get(i);
            List<Event> expected = original.apply(c);
            assertThat(restored.apply(c)).as(stream + " cut " + cut + " #" + i).isEqualTo(expected);
          }
          assertThat(restored.snapshot()).as(stream.toString()).isEqualTo(original.snapshot());
        });
  }
}
