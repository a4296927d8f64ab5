package dev.backstop.sim.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.num.Decimal;
import dev.backstop.sim.replay.PopulationReplay;
import dev.backstop.sim.replay.RealPopulation;
import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The real-population replay on {@code adl_by_user.csv} (the 19,337 users deleveraged on
 * Hyperliquid on 2025-10-10) with the production queue's total from {@code
 * adl_waves_policy_metrics.csv} as the budget, beside the repository; skipped when the files are
 * absent. It lives beside {@link SharedData}, which finds them.
 */
class HyperliquidPopulationTest {

  private static RealPopulation population;
  private static ReplayResult cached;

  /** Read and replayed once; each test asks, so that each is reported as skipped when absent. */
  private static ReplayResult result() throws IOException {
    if (cached == null) {
      Path folder = SharedData.hyperliquidFile(RealPopulation.FILE_NAME).getParent();
      SharedData.hyperliquidFile(PopulationReplay.WAVES_FILE);
      population = RealPopulation.read(folder.resolve(RealPopulation.FILE_NAME));
      cached =
          PopulationReplay.replay(
              population,
              PopulationReplay.productionBudget(folder),
              PopulationReplay.DEFAULT_POLICIES,
              PopulationReplay.DEFAULT_SEED);
    }
    return cached;
  }

  private static ReplayRow row(String policy) throws IOException {
    return result().rows().stream()
        .filter(r -> r.policy().equals(policy))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void readsEveryUserAndKeepsTheWinners() throws IOException {
    ReplayResult result = result();
    assertThat(population.accounts()).isEqualTo(19_337);
    assertThat(result.winners()).isEqualTo(19_230);
    // winners whose account value is negative (the file records leverage 0 for them)
    assertThat(population.unboundedlyLevered()).isEqualTo(124);
    assertThat(result.capacity()).isEqualTo(new Decimal(834_554_147_755_761L, 6));
  }

  @Test
  void theBudgetIsWhatTheProductionQueueTookOverTheSixteenWaves() throws IOException {
    ReplayResult result = result();
    assertThat(result.budget().toDouble()).isCloseTo(60_108_335.33, within(0.005));
    assertThat(result.budget()).isEqualTo(new Decimal(60_108_335_328_145L, 6));
  }

  @Test
  void everyPolicyTakesTheWholeBudget() throws IOException {
    ReplayResult result = result();
    assertThat(result.rows())
        .extracting(ReplayRow::policy)
        .containsExactlyElementsOf(PopulationReplay.DEFAULT_POLICIES);
    for (ReplayRow row : result.rows()) {
      if (row.policy().equals("queue-full")) {
        // closing whole capacities, the last account closed overshoots
        assertThat(row.taken()).as(row.policy()).isGreaterThan(result.budget());
      } else {
        assertThat(row.taken()).as(row.policy()).isEqualTo(result.budget());
      }
      assertThat(row.lorenz()).as(row.policy()).hasSize(101);
      assertThat(row.lorenz()[0]).as(row.policy()).isZero();
      assertThat(row.lorenz()[100]).as(row.policy()).isCloseTo(1, within(1e-12));
    }
  }

  @Test
  void proRataBurdensEveryWinnerByTheBudgetOverTheCapacity() throws IOException {
    ReplayResult result = result();
    double h = result.budget().toDouble() / result.capacity().toDouble();
    // integer shares: x_i <= h u_i + 1 micro-dollar, so x_i / u_i <= h + 1 / min u_i
    CandidateBook book = population.book();
    long smallest = Long.MAX_VALUE;
    for (int i = 0; i < book.count(); i++) {
      smallest = Math.min(smallest, book.capacity(i));
    }
    double rounding = 1.0 / smallest + 1e-8;
    assertThat(row("pro-rata").largestBurden()).isBetween(h, h + rounding);
    assertThat(row("pro-rata").accountsHit()).isEqualTo(result.winners());
    // min-max reaches h itself (up to the rate scale's last digit)
    assertThat(row("min-max").largestBurden()).isCloseTo(h, within(2e-8));
  }

  @Test
  void theQueueConcentratesTheClawbackOnFarFewerAccounts() throws IOException {
    ReplayRow queue = row("queue");
    ReplayRow proRata = row("pro-rata");
    assertThat(queue.accountsHit()).isLessThan(proRata.accountsHit() / 5);
    assertThat(queue.largestBurden()).isEqualTo(1);
    assertThat(queue.gini()).isGreaterThan(proRata.gini());
    assertThat(queue.top10Share()).isGreaterThan(proRata.top10Share());
  }

  /**
   * The papers' needed budget wave by wave (arXiv 2602.15182, eq. 6: {@code budget_needed}), 16
   * rounds, 15,079,669.61 dollars in all where production took 60.1M, each round sharing what the
   * earlier ones left of the pooled capacities. Every policy but queue-full takes exactly it; the
   * queue reaches 787 accounts, pro rata all 19,230 with a largest burden per round of 0.70% (the
   * largest of the rounds' B_t over the capacity left).
   */
  @Test
  void perWaveWithTheNeededBudget() throws IOException {
    Path folder = SharedData.hyperliquidFile(RealPopulation.FILE_NAME).getParent();
    SharedData.hyperliquidFile(PopulationReplay.WAVES_FILE);
    long[] needed = PopulationReplay.neededBudgets(folder);
    assertThat(needed).hasSize(16);
    ReplayResult perWave =
        PopulationReplay.replay(
            RealPopulation.read(folder.resolve(RealPopulation.FILE_NAME)),
            PopulationReplay.productionBudget(folder),
            needed,
            PopulationReplay.DEFAULT_POLICIES,
            PopulationReplay.DEFAULT_SEED);
    assertThat(perWave.neededBudget()).isEqualTo(new Decimal(15_079_669_609_016L, 6));
    for (ReplayRow row : perWave.perWave()) {
      assertThat(row.basis()).isEqualTo("needed per wave, 16 rounds");
      if (!row.policy().equals("queue-full")) {
        assertThat(row.taken()).as(row.policy()).isEqualTo(perWave.neededBudget());
      }
    }
    ReplayRow queue = perWave.perWave().get(0);
    ReplayRow proRata = perWave.perWave().get(2);
    assertThat(queue.policy()).isEqualTo("queue");
    assertThat(queue.accountsHit()).isEqualTo(787);
    assertThat(proRata.policy()).isEqualTo("pro-rata");
    assertThat(proRata.accountsHit()).isEqualTo(19_230);
    assertThat(proRata.largestBurden()).isCloseTo(0.0070373, within(1e-7));
  }
}
