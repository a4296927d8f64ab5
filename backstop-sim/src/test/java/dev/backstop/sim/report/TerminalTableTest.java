package dev.backstop.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.sim.run.SimulationResult;
import org.junit.jupiter.api.Test;

/** The terminal comparison: header, one row per policy, legend, replay table; fits 160 columns. */
class TerminalTableTest {

  @Test
  void showsTheHeaderEveryPolicyAndTheLegend() {
    String table = TerminalTable.render(ReportFixture.result());
    assertThat(table).startsWith("Scenario btc-cascade-12min\n");
    assertThat(table)
        .contains("seed 20251010")
        .contains("10,000 accounts")
        .contains("200 points over 11.9 min")
        .contains("max drawdown");
    for (String policy : ReportFixture.POLICIES) {
      assertThat(table).containsPattern("(?m)^" + policy + " ");
    }
    String words = table.replaceAll("\\s+", " ");
    assertThat(words)
        .contains("Legend: liqs = liquidation closes")
        .contains("PTSR = largest haircutable endowment left, max (w_i - x_i)+, over the deficit")
        .contains("cons = value in equals value held");
  }

  /**
   * The waterfall per layer (count, size, notional each), the deleveraging fills, when the backstop
   * acted and the liquidity's equity are in the terminal too, each policy a row.
   */
  @Test
  void showsTheWaterfallPerLayerAndTheLiquiditysEquity() {
    String table = TerminalTable.render(ReportFixture.result());
    String waterfall = table.substring(table.indexOf("The waterfall: filled by the liquidity"));
    String header =
        waterfall.lines().filter(l -> l.startsWith("policy ")).findFirst().orElseThrow();
    assertThat(header.trim().split("\\s{2,}"))
        .containsExactly(
            "policy",
            "liqs",
            "liq size",
            "liquidated",
            "t/o",
            "t/o size",
            "t/o USD",
            "to bs",
            "bs size",
            "bs USD",
            "ADL USD",
            "fills");
    // binance in the fixture: size 0.125 taken over for 12,000; 3.33 sent to the backstop, at
    // 41,000; 40,000 of deleveraging fills
    String binance =
        waterfall.lines().filter(l -> l.startsWith("binance ")).findFirst().orElseThrow();
    assertThat(binance.trim().split("\\s{2,}"))
        .contains("0.13", "12,000", "3.33", "41,000", "40,000");
    String timing = table.substring(table.indexOf("When the backstop acted"));
    String timingHeader =
        timing.lines().filter(l -> l.startsWith("policy ")).findFirst().orElseThrow();
    assertThat(timingHeader.trim().split("\\s{2,}"))
        .containsExactly("policy", "ADL/liq", "1st ADL s", "waves", "makers", "LP");
    String timed = timing.lines().filter(l -> l.startsWith("binance ")).findFirst().orElseThrow();
    // 25% of liquidated notional, 62 s, makers 1,000,000, no LP on a book venue
    assertThat(timed.trim().split("\\s{2,}"))
        .containsSequence("25.0%", "62")
        .endsWith("1,000,000", "-");
  }

  @Test
  void moneyIsInWholeDollarsWithThousandsSeparators() {
    String table = TerminalTable.render(ReportFixture.result());
    // budget needed 18,204,331.51725 and overshoot 1,402,117.90
    assertThat(table).contains(" 18,204,332 ").contains(" 1,402,118 ");
    assertThat(table).doesNotContain("18204331");
  }

  @Test
  void aMissingRatioIsADashAndConservationIsYesOrNo() {
    String table = TerminalTable.render(ReportFixture.result());
    String okx = table.lines().filter(l -> l.startsWith("okx-fund ")).findFirst().orElseThrow();
    assertThat(okx).contains(" -  ").endsWith("yes");
  }

  @Test
  void showsTheReplayWhenThereIsOne() {
    String table = TerminalTable.render(ReportFixture.result());
    assertThat(table).contains("Real-population replay (hyperliquid-2025-10-10/adl_positions.csv)");
    for (String policy : ReportFixture.REPLAY_POLICIES) {
      assertThat(table).containsPattern("(?m)^" + policy + " ");
    }
    assertThat(table)
        .contains("budget production's total, 1 round: ")
        .contains("budget needed per wave, 3 rounds: ");
    String without = TerminalTable.render(ReportFixture.result(null));
    assertThat(without).doesNotContain("Real-population replay");
  }

  @Test
  void fitsIn160Columns() {
    SimulationResult result = ReportFixture.result();
    assertThat(TerminalTable.render(result).lines())
        .allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(160));
  }
}
