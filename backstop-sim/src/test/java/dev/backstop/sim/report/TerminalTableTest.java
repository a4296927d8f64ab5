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
