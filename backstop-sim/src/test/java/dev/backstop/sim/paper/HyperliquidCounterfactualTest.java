package dev.backstop.sim.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backstop.sim.paper.WaveCounterfactual.Wave;
import dev.backstop.sim.replay.RealPopulation;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The per-wave counterfactual of 2025-10-10 on Hyperliquid ({@code adl_waves_policy_metrics.csv}
 * and the real winners of {@code adl_by_user.csv}), beside the repository; skipped when the files
 * are absent. Where the inputs are the same, Backstop's allocators must give the file's figures:
 * pro rata's budget within {@value WaveCounterfactual#BUDGET_TOLERANCE} dollars and its burden by
 * capacity within {@value WaveCounterfactual#BURDEN_TOLERANCE}, in every one of the 16 waves.
 */
class HyperliquidCounterfactualTest {

  private static WaveCounterfactual cached;

  private static WaveCounterfactual counterfactual() throws IOException {
    if (cached == null) {
      Path waves = SharedData.hyperliquidFile("adl_waves_policy_metrics.csv");
      Path users = SharedData.hyperliquidFile(RealPopulation.FILE_NAME);
      RealPopulation population = RealPopulation.read(users);
      cached =
          WaveCounterfactual.compute(
              WaveFile.read(waves), population.book(), population.source(), 0);
    }
    return cached;
  }

  @Test
  void everyWaveOfTheFileSharedOverTheRealWinners() throws IOException {
    WaveCounterfactual c = counterfactual();
    assertThat(c.winners()).isEqualTo(19_230);
    assertThat(c.waves()).hasSize(16);
    assertThat(c.waves().get(2).label()).isEqualTo("4");
    assertThat(c.waves().get(15).label()).isEqualTo("28");
  }

  @Test
  void proRataIsTheFilesContinuousProRataInEveryWave() throws IOException {
    WaveCounterfactual c = counterfactual();
    assertThat(c.proRataBudgetGap()).isLessThanOrEqualTo(WaveCounterfactual.BUDGET_TOLERANCE);
    assertThat(c.proRataBurdenGap()).isLessThanOrEqualTo(WaveCounterfactual.BURDEN_TOLERANCE);
    // wave 1: 2,266,239.82 of 261,289,318.81, every winner 0.867%
    Wave first = c.waves().get(0);
    assertThat(first.cell("pro-rata").budget()).isCloseTo(2_266_239.82, within(0.01));
    assertThat(first.cell("pro-rata").largestBurden()).isCloseTo(0.0086733, within(1e-5));
  }

  @Test
  void minMaxReachesTheLeastPossibleBurdenInEveryWave() throws IOException {
    WaveCounterfactual c = counterfactual();
    assertThat(c.minMaxBurdenGap()).isLessThanOrEqualTo(WaveCounterfactual.BURDEN_TOLERANCE);
    assertThat(c.minMaxBudgetGap()).isLessThanOrEqualTo(WaveCounterfactual.BUDGET_TOLERANCE);
  }

  @Test
  void theQueuesBurdenTheirFirstWinnersWhole() throws IOException {
    for (Wave w : counterfactual().waves()) {
      assertThat(w.cell("queue").budget()).isCloseTo(w.needed(), within(1e-6));
      assertThat(w.cell("queue-full").budget()).isGreaterThanOrEqualTo(w.needed() - 1e-6);
      assertThat(w.cell("queue-full").largestBurden()).isEqualTo(1);
    }
  }

  @Test
  void theNeededBudgetIsTakenInAll() throws IOException {
    PolicyLoss proRata = counterfactual().losses(1).get(2);
    assertThat(proRata.taken()).isCloseTo(15_079_669.61, within(0.01));
    assertThat(proRata.tracking()).isLessThan(1e-5);
    // pro rata's burdens are min-max's within the tolerance, in every wave
    assertThat(proRata.fairness()).isLessThan(15_079_669.61 * WaveCounterfactual.BURDEN_TOLERANCE);
  }
}
