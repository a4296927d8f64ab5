package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.Event.FillKind;
import dev.backstop.core.event.Event.FundReason;
import dev.backstop.core.market.MarketPresets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generated streams reach what the properties are about: for every preset, plenty of filled
 * trades besides the refused ones, liquidations (isolated too), and across presets shortfalls
 * covered by the fund, bad debt, surplus to the fund, partial and full closes and pool
 * liquidations.
 */
class RandomStreamsTest {

  @Test
  void streamsDriveEveryPresetThroughLiquidationsAndBadDebt() {
    Map<String, Integer> all = new HashMap<>();
    for (String preset : MarketPresets.names()) {
      Map<String, Integer> seen = new HashMap<>();
      for (long seed = 0; seed < 4; seed++) {
        Engine engine = new Engine();
        for (Command c : RandomStreams.generate(preset, seed, 300).commands()) {
          for (Event e : engine.apply(c)) {
            seen.merge(kind(e), 1, Integer::sum);
            all.merge(kind(e), 1, Integer::sum);
          }
        }
      }
      assertThat(seen.getOrDefault("trade", 0)).as(preset + " " + seen).isGreaterThan(50);
      assertThat(seen.getOrDefault("refused", 0)).as(preset + " " + seen).isGreaterThan(50);
      assertThat(seen.getOrDefault("liquidation", 0)).as(preset + " " + seen).isGreaterThan(20);
      assertThat(seen)
          .as(preset + ": the backstop acts or bad debt is recorded")
          .containsAnyOf(
              Map.entry("BadDebtRecorded", seen.getOrDefault("BadDebtRecorded", -1)),
              Map.entry("BackstopApplied", seen.getOrDefault("BackstopApplied", -1)));
    }
    assertThat(all)
        .containsKeys(
            "fund " + FundReason.SHORTFALL_COVER,
            "fund " + FundReason.LIQUIDATION_SURPLUS,
            "fund " + FundReason.LIQUIDATION_FEE,
            "liquidated isolated",
            "liquidated pool");
  }

  /**
   * The streams with settlement pools (omni, mixed) trade options in them and take them through
   * liquidation at the volatility plus the penalty, counterparty liquidation, volatility updates
   * and expiry, besides refused option trades.
   */
  @Test
  void poolStreamsTradeLiquidateAndExpireOptions() {
    Map<String, Integer> seen = new HashMap<>();
    for (String preset : java.util.List.of("omni", RandomStreams.MIXED)) {
      for (long seed = 0; seed < 6; seed++) {
        Engine engine = new Engine();
        for (Command c : RandomStreams.generate(preset, seed, 400).commands()) {
          for (Event e : engine.apply(c)) {
            String k = e.getClass().getSimpleName();
            if (e instanceof Event.Rejected r) {
              k = r.command().startsWith("option") ? "refused option" : "";
            } else if (e instanceof Event.Fill f && f.market().startsWith("O")) {
              k = "option " + f.kind();
            } else if (e instanceof Event.CounterpartyLiquidation cl
                && cl.market().startsWith("O")) {
              k = "option counterparty";
            }
            seen.merge(k, 1, Integer::sum);
          }
        }
      }
    }
    assertThat(seen.getOrDefault("option " + FillKind.TRADE, 0))
        .as(seen.toString())
        .isGreaterThan(50);
    assertThat(seen.getOrDefault("refused option", 0)).as(seen.toString()).isGreaterThan(20);
    assertThat(seen.getOrDefault("OptionLiquidated", 0)).as(seen.toString()).isGreaterThan(5);
    assertThat(seen)
        .as(seen.toString())
        .containsKeys("option counterparty", "VolatilityUpdated", "OptionExpired");
  }

  private static String kind(Event e) {
    return switch (e) {
      case Event.Rejected r -> "refused";
      case Event.Fill f -> f.kind() == FillKind.TRADE ? "trade" : "liquidation";
      case Event.Liquidated l -> "liquidated " + l.margin().replaceFirst(":.*", "");
      case Event.InsuranceFundChanged f -> "fund " + f.reason();
      default -> e.getClass().getSimpleName();
    };
  }
}
