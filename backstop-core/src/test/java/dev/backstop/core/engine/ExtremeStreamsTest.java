package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.Event.FillKind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The extreme streams reach what they are for: several presets per engine, refusals at the edge of
 * the range ({@code overflow}) and of time ({@code stale-time}), one-lot fills, marks moving 85% or
 * more in one step, liquidations in pools and elsewhere, bad debt or the backstop, and funding.
 */
class ExtremeStreamsTest {

  /**
   * Stream 26: a cross account of the liquidator vault of one market and the vault of another is
   * liquidated with a position of 5.3 billion lots. Each vault took the other's positions over in
   * turn, every move counted as progress, until the heap ran out; a takeover account is now never
   * taken over, and the stream runs to its end with value conserved.
   */
  @Test
  void twoVaultsDoNotHandThePositionsBackAndForth() {
    Engine engine = new Engine();
    for (Command c : ExtremeStreams.generate(26, 400).commands()) {
      engine.apply(c);
    }
    assertThat(engine.state().conservationError()).isZero();
    assertThat(engine.indexProblems()).isEmpty();
  }

  @Test
  void streamsReachTheEdgesTheyAreMadeFor() {
    Map<String, Integer> seen = new HashMap<>();
    Set<Integer> presetCounts = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      ExtremeStreams.Stream stream = ExtremeStreams.generate(seed, 400);
      Set<String> presets = new HashSet<>();
      Engine engine = new Engine();
      Map<String, Double> marks = new HashMap<>();
      for (Command c : stream.commands()) {
        for (Event e : engine.apply(c)) {
          seen.merge(kind(e), 1, Integer::sum);
          switch (e) {
            case Event.MarketCreated m -> presets.add(m.preset());
            case Event.PriceUpdated p -> {
              Double before = marks.put(p.market(), p.mark().toDouble());
              if (before != null
                  && (p.mark().toDouble() <= 0.15 * before
                      || p.mark().toDouble() >= 1.85 * before)) {
                seen.merge("move of 85% or more", 1, Integer::sum);
              }
            }
            case Event.Fill f when f.size().unscaled() == 1 ->
                seen.merge("one-lot fill", 1, Integer::sum);
            default -> {}
          }
        }
      }
      presetCounts.add(presets.size());
    }
    assertThat(presetCounts).as("markets of several presets in one engine").anyMatch(n -> n >= 3);
    assertThat(seen)
        .as(seen.toString())
        .containsKeys(
            "rejected overflow",
            "rejected stale-time",
            "one-lot fill",
            "move of 85% or more",
            "liquidated pool",
            "liquidated cross",
            "liquidated isolated",
            "FundingSettled",
            "CounterpartyLiquidation");
    assertThat(seen)
        .containsAnyOf(
            Map.entry("BadDebtRecorded", seen.getOrDefault("BadDebtRecorded", -1)),
            Map.entry("BackstopApplied", seen.getOrDefault("BackstopApplied", -1)));
    assertThat(seen.getOrDefault("trade", 0)).isGreaterThan(500);
  }

  private static String kind(Event e) {
    return switch (e) {
      case Event.Rejected r -> "rejected " + dev.backstop.core.event.WireName.of(r.code());
      case Event.Fill f -> f.kind() == FillKind.TRADE ? "trade" : "liquidation";
      case Event.Liquidated l -> "liquidated " + l.margin().replaceFirst(":.*", "");
      default -> e.getClass().getSimpleName();
    };
  }
}
