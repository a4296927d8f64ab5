package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.core.testing.Ddmin;
import dev.backstop.core.testing.Tries;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The invariants every venue relies on ({@code shared/docs/MECHANISMS.md}, "The common waterfall"),
 * checked after every command of random streams ({@link RandomStreams}) for every venue preset.
 * Each try runs one stream per preset from the same seed; a failing stream is shrunk to a
 * sub-stream that still fails ({@link Ddmin}), which the failure lists with the seed.
 */
class EngineProperties {

  private static final int LENGTH = 400;
  private static final int TRIES = 30;

  /** One applied command with the state before and after it. */
  private record Step(
      Engine engine,
      RandomStreams.Stream stream,
      int index,
      Command command,
      List<Event> events,
      EngineState before,
      EngineState after) {

    String where() {
      return stream + " command #" + index + " " + command;
    }

    boolean rejected() {
      return events.size() == 1 && events.get(0) instanceof Event.Rejected;
    }
  }

  /** Runs {@code check} on each preset's stream of the seed, shrinking a stream that fails it. */
  private static void forEveryStream(long seed, Consumer<RandomStreams.Stream> check) {
    for (String preset : RandomStreams.presets()) {
      RandomStreams.Stream stream = RandomStreams.generate(preset, seed, LENGTH);
      Ddmin.shrinkOnFailure(
          stream.commands(),
          commands -> check.accept(new RandomStreams.Stream(preset, seed, commands)));
    }
  }

  /** The property: {@link #forEveryStream} for the seed of every try. */
  private static void checkEveryStream(TestInfo test, Consumer<RandomStreams.Stream> check) {
    Tries.forAll(test, TRIES, seed -> forEveryStream(seed, check));
  }

  /**
   * The property: {@code check} after every command of every try's streams, each in a fresh engine.
   */
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

  private static long units(Decimal money) {
    return money.toUnits(Fixed.MONEY_DECIMALS);
  }

  // ---------------------------------------------------------------- properties

  /**
   * deposited - withdrawn + insurance funded == sum of equity + insurance funds + fees - bad debt,
   * to the micro-unit, after every command.
   */
  @Test
  void valueIsConservedToTheLastUnit(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          assertThat(step.after().conservationError()).as(step.where()).isZero();
        });
  }

  /** Every position has a counterparty: long size equals short size in every market. */
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
   * The venue is solvent toward withdrawals: at every step total withdrawals are at most the
   * deposits plus the insurance top-ups (no trade, liquidation or write-off lets a trader take out
   * money that never came in), and no withdrawal leaves its margin account with negative collateral
   * or below the initial margin of its positions.
   */
  @Test
  void withdrawalsNeverExceedWhatCameIn(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          EngineState after = step.after();
          assertThat(units(after.withdrawn()))
              .as(step.where())
              .isLessThanOrEqualTo(
                  Math.addExact(units(after.deposited()), units(after.insuranceFunded())));
          if (step.command() instanceof Command.Withdraw w
              && step.events().stream().anyMatch(Event.Withdrawn.class::isInstance)) {
            String margin = (w.margin() == null ? MarginRef.cross() : w.margin()).toString();
            for (EngineState.MarginAccount a : after.accounts()) {
              if (a.account().equals(w.account()) && a.margin().equals(margin)) {
                assertThat(a.collateral().signum()).as(step.where() + " " + a).isNotNegative();
                assertThat(a.equity().compareTo(a.initialMargin()))
                    .as(step.where() + " " + a)
                    .isGreaterThanOrEqualTo(0);
              }
            }
          }
        });
  }

  /**
   * No margin account, makers, liquidity providers, the fund's account and vaults included, is left
   * with negative equity, and every rise of bad debt is announced by {@code BadDebtRecorded} events
   * adding up to it.
   */
  @Test
  void noSilentNegativeEquity(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          for (EngineState.MarginAccount a : step.after().accounts()) {
            // Every account, makers, liquidity providers, the fund's and the vaults' included.
            assertThat(a.equity().signum()).as(step.where() + " " + a).isGreaterThanOrEqualTo(0);
          }
          long rise =
              Math.subtractExact(units(step.after().badDebt()), units(step.before().badDebt()));
          long recorded = 0;
          for (Event e : step.events()) {
            if (e instanceof Event.BadDebtRecorded b) {
              recorded = Math.addExact(recorded, units(b.amount()));
              assertThat(b.amount().signum()).as(step.where()).isPositive();
              assertThat(b.totalBadDebt())
                  .as(step.where())
                  .isEqualTo(
                      Decimal.ofUnits(
                          units(step.before().badDebt()) + recorded, Fixed.MONEY_DECIMALS));
            }
          }
          assertThat(recorded).as(step.where() + " bad debt recorded").isEqualTo(rise);
        });
  }

  /**
   * A deleveraging takes profit and never more: a counterparty of an offsetting fill that ends the
   * command with bad debt must have been liquidated itself (its own losses), never bankrupted by
   * the fill's price.
   */
  @Test
  void noDeleveragingFillBankruptsItsCounterparty(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          java.util.Set<String> offset = new java.util.HashSet<>();
          java.util.Set<String> liquidated = new java.util.HashSet<>();
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

  /**
   * A settlement pool is bilateral: after every command, in every market, the user's position in
   * the pool is the exact opposite of the provider's.
   */
  @Test
  void poolSidesMirrorEachOther(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          Map<String, Long> net = new HashMap<>();
          for (EngineState.MarginAccount a : step.after().accounts()) {
            if (a.margin().startsWith("pool:")) {
              for (EngineState.Position p : a.positions()) {
                net.merge(a.margin() + " " + p.market(), p.size().toUnits(6), Math::addExact);
              }
            }
          }
          for (EngineState.OptionPosition p : step.after().optionPositions()) {
            assertThat(p.margin()).as(step.where() + " " + p).startsWith("pool:");
            net.merge(p.margin() + " " + p.option(), p.size().toUnits(6), Math::addExact);
          }
          net.forEach((where, sum) -> assertThat(sum).as(step.where() + " " + where).isZero());
        });
  }

  /**
   * A pool side holding options is never left below its scenario maintenance margin: the pool's
   * other side takes every close, options and perpetuals, so a liquidation always completes.
   */
  @Test
  void poolSidesWithOptionsStayAboveMaintenance(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          java.util.Set<String> holders = new java.util.HashSet<>();
          for (EngineState.OptionPosition p : step.after().optionPositions()) {
            holders.add(p.account() + " " + p.margin());
          }
          for (EngineState.MarginAccount a : step.after().accounts()) {
            if (holders.contains(a.account() + " " + a.margin())) {
              assertThat(a.equity().compareTo(a.maintenanceMargin()))
                  .as(step.where() + " " + a)
                  .isGreaterThanOrEqualTo(0);
            }
          }
        });
  }

  /**
   * After every command, a margin account with positions below maintenance margin is one whose
   * order-book positions nobody could take yet (the book empty within the order's limit, no taker
   * with the capital): never on an LP market or in a pool, whose provider takes every close.
   */
  @Test
  void onlyUnabsorbedBookPositionsStayBelowMaintenance(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          for (EngineState.MarginAccount a : step.after().accounts()) {
            if (a.positions().isEmpty() || a.equity().compareTo(a.maintenanceMargin()) >= 0) {
              continue;
            }
            assertThat(a.margin()).as(step.where() + " " + a).doesNotStartWith("pool:");
            for (EngineState.Position p : a.positions()) {
              EngineState.Market market =
                  step.after().markets().stream()
                      .filter(mk -> mk.market().equals(p.market()))
                      .findFirst()
                      .orElseThrow();
              assertThat(market.liquidity()).as(step.where() + " " + a).isEqualTo("book");
            }
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

  /** A rejected command leaves the state hash as it was. */
  @Test
  void rejectionsChangeNothing(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          int[] rejected = {0};
          forEveryStream(
              seed,
              stream -> {
                Engine engine = new Engine();
                for (int i = 0; i < stream.commands().size(); i++) {
                  Command command = stream.commands().get(i);
                  long before = engine.stateHash();
                  List<Event> events = engine.apply(command);
                  if (events.size() == 1 && events.get(0) instanceof Event.Rejected) {
                    rejected[0]++;
                    assertThat(engine.stateHash())
                        .as(stream + " command #" + i + " " + command + " " + events)
                        .isEqualTo(before);
                  }
                }
              });
          assertThat(rejected[0]).as("streams include rejected commands").isPositive();
        });
  }

  /**
   * A rejected line changes nothing later either: the stream run without it gives the same events,
   * sequence numbers included, after it, and the same final hash. One rejected line per stream, the
   * middle one, so the try costs two runs.
   */
  @Test
  void aStreamWithoutItsRejectedLineContinuesIdentically(TestInfo test) {
    checkEveryStream(
        test,
        stream -> {
          List<Command> commands = stream.commands();
          Engine full = new Engine();
          List<List<Event>> outputs = new java.util.ArrayList<>();
          List<Integer> rejected = new java.util.ArrayList<>();
          for (int i = 0; i < commands.size(); i++) {
            List<Event> events = full.apply(commands.get(i));
            outputs.add(events);
            if (events.size() == 1 && events.get(0) instanceof Event.Rejected) {
              rejected.add(i);
            }
          }
          if (rejected.isEmpty()) {
            return;
          }
          int cut = rejected.get(rejected.size() / 2);
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
   * A brute-force oracle for the liquidation index: from the snapshot alone (positions, marks and
   * the markets' risk tiers), recompute every margin account's maintenance margin and check that
   * none is below it, and that each position's liquidation price is exactly the boundary where its
   * account turns liquidatable, on the right side of the current mark ({@link LiquidationOracle}).
   */
  @Test
  void liquidationIndexMissesNothing(TestInfo test) {
    checkEveryStep(
        test,
        step -> {
          assertThat(step.engine().indexProblems()).as(step.where()).isEmpty();
          if (step.command() instanceof Command.SetPrice && !step.rejected()) {
            LiquidationOracle.check(step.stream().commands(), step.after(), step.where());
          }
        });
  }
}
