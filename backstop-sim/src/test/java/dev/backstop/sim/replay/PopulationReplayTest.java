package dev.backstop.sim.replay;

import static dev.backstop.sim.replay.RealPopulationTest.TWELVE_WINNERS;
import static dev.backstop.sim.replay.RealPopulationTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.paper.WaveCounterfactual;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay on {@link RealPopulationTest#TWELVE_WINNERS}, small enough to allocate by hand:
 * capacities {@code u = (40, 30, 3 x 10)}, {@code U = 100}, leverages {@code (6, 4, 1 x 10)},
 * Hyperliquid scores {@code (3, 2, 0.1 x 10)}, budget 50 dollars.
 */
class PopulationReplayTest {

  private static final long FIFTY_DOLLARS = 50_000_000L;
  private static final Offset<Double> EXACT = within(1e-12);

  private static ReplayResult replay(long budget, List<String> policies) throws IOException {
    return PopulationReplay.replay(
        parse(TWELVE_WINNERS), budget, policies, PopulationReplay.DEFAULT_SEED);
  }

  private static ReplayRow row(ReplayResult result, String policy) {
    return result.rows().stream().filter(r -> r.policy().equals(policy)).findFirst().orElseThrow();
  }

  @Test
  void theDefaultPoliciesAreThoseThatAllocateByBudget() {
    assertThat(PopulationReplay.DEFAULT_POLICIES)
        .containsExactly("queue", "queue-full", "pro-rata", "rap", "min-max", "random");
    assertThat(PopulationReplay.notApplicable())
        .containsExactly("contract-pro-rata", "water-filling");
  }

  @Test
  void proRataTakesHalfOfEveryCapacity() throws IOException {
    ReplayResult result = replay(FIFTY_DOLLARS, List.of("pro-rata"));
    assertThat(result.source()).isEqualTo("users.csv");
    assertThat(result.winners()).isEqualTo(12);
    assertThat(result.capacity()).isEqualTo(Decimal.of(100));
    assertThat(result.budget()).isEqualTo(Decimal.of(50));
    // h = 50 / 100: x = (20, 15, 1.5 x 10)
    ReplayRow proRata = result.rows().get(0);
    assertThat(proRata.policy()).isEqualTo("pro-rata");
    assertThat(proRata.taken()).isEqualTo(Decimal.of(50));
    assertThat(proRata.accountsHit()).isEqualTo(12);
    assertThat(proRata.largestBurden()).isEqualTo(0.5);
    // the ten largest: 20 + 15 + 8 x 1.5 = 47 of 50
    assertThat(proRata.top10Share()).isCloseTo(0.94, EXACT);
    // sum_ij |x_i - x_j| = 2 (5 + 10 x 18.5 + 10 x 13.5) = 650; 2 n^2 mean = 2 x 144 x 50/12 = 1200
    assertThat(proRata.gini()).isCloseTo(650.0 / 1200, EXACT);
    // the smallest half (six accounts of 1.5) hold 9 of 50
    assertThat(proRata.lorenz()).hasSize(101);
    assertThat(proRata.lorenz()[0]).isZero();
    assertThat(proRata.lorenz()[50]).isCloseTo(0.18, EXACT);
    assertThat(proRata.lorenz()[100]).isEqualTo(1);
  }

  @Test
  void theQueueTakesTheHighestScoresFirst() throws IOException {
    // scores 3 then 2: big gives all of its 40, second the remaining 10; x = (40, 10, 0 x 10)
    ReplayRow queue = row(replay(FIFTY_DOLLARS, List.of("queue")), "queue");
    assertThat(queue.taken()).isEqualTo(Decimal.of(50));
    assertThat(queue.accountsHit()).isEqualTo(2);
    assertThat(queue.largestBurden()).isEqualTo(1);
    assertThat(queue.top10Share()).isEqualTo(1);
    // sum_ij |x_i - x_j| = 2 (30 + 10 x 40 + 10 x 10) = 1060, over 1200
    assertThat(queue.gini()).isCloseTo(1060.0 / 1200, EXACT);
    assertThat(queue.lorenz()[50]).isZero();
    assertThat(queue.lorenz()[100]).isEqualTo(1);
  }

  @Test
  void everyDefaultPolicyTakesTheBudget() throws IOException {
    ReplayResult result = replay(FIFTY_DOLLARS, PopulationReplay.DEFAULT_POLICIES);
    assertThat(result.rows())
        .extracting(ReplayRow::policy)
        .containsExactlyElementsOf(PopulationReplay.DEFAULT_POLICIES);
    for (ReplayRow row : result.rows()) {
      if (!row.policy().equals("queue-full")) {
        assertThat(row.taken()).as(row.policy()).isEqualTo(Decimal.of(50));
      }
    }
    // the full-close queue closes big and second whole: 70, overshooting by 20
    ReplayRow full = row(result, "queue-full");
    assertThat(full.taken()).isEqualTo(Decimal.of(70));
    assertThat(full.accountsHit()).isEqualTo(2);
    // min-max: the least largest burden is the common h = 0.5, the pro-rata allocation
    ReplayRow minMax = row(result, "min-max");
    assertThat(minMax.largestBurden()).isEqualTo(0.5);
    assertThat(minMax.gini()).isCloseTo(650.0 / 1200, EXACT);
    // RAP (Chitra, arXiv 2512.01112, corrected text, "Risk-aware Policies"): the fraction h_i =
    // min(1, tau * lambda_i) of u_i. r_i u_i = (240, 120, 3 x 10), sum 390; 50 * 6 = 300 < 390, so
    // no cap binds: tau = 50 / 390, h = (10/13, 20/39, 5/39 x 10), x = (30.77, 15.38, 0.385 x 10)
    ReplayRow rap = row(result, "rap");
    assertThat(rap.accountsHit()).isEqualTo(12);
    assertThat(rap.largestBurden()).isEqualTo(0.76923078); // 10 / 13, rounded up at rate scale
    // the ten largest: (240 + 120 + 8 x 3) / 390 of the budget (micro-dollar rounding aside)
    assertThat(rap.top10Share()).isCloseTo(384.0 / 390, within(1e-6));
    // sum_ij |x_i - x_j| in proportion 2 (120 + 10 x 237 + 10 x 117) = 7320, 2 n^2 mean 9360
    assertThat(rap.gini()).isCloseTo(7320.0 / 9360, within(1e-6));
  }

  /**
   * Per wave: budgets of 20 then 30 dollars, each round sharing what the earlier ones left. Pro
   * rata: h = 20/100 = 0.2 takes (8, 6, 0.6 x 10), leaving (32, 24, 2.4 x 10), 80 in all; then h =
   * 30/80 = 0.375 takes (12, 9, 0.9 x 10). In all (20, 15, 1.5 x 10), as in one round of 50 (pro
   * rata is path-independent), but the largest burden of a round is 0.375, not 0.5. The queue: big
   * gives 20 of its 40 (burden 0.5), then its last 20 (burden 1 of what it had left) and second 10:
   * (40, 10, 0) as in one round.
   */
  @Test
  void perWaveEachRoundSharesWhatTheEarlierOnesLeft() throws IOException {
    ReplayResult result =
        PopulationReplay.replay(
            parse(TWELVE_WINNERS),
            FIFTY_DOLLARS,
            new long[] {20_000_000L, 30_000_000L},
            List.of("pro-rata", "queue"),
            PopulationReplay.DEFAULT_SEED);
    assertThat(result.neededBudget()).isEqualTo(Decimal.of(50));
    ReplayRow proRata = result.perWave().get(0);
    assertThat(proRata.basis()).isEqualTo("needed per wave, 2 rounds");
    assertThat(proRata.rounds()).isEqualTo(2);
    assertThat(proRata.budget()).isEqualTo(Decimal.of(50));
    assertThat(proRata.taken()).isEqualTo(Decimal.of(50));
    assertThat(proRata.largestBurden()).isEqualTo(0.375);
    assertThat(proRata.gini()).isCloseTo(650.0 / 1200, EXACT);
    ReplayRow queue = result.perWave().get(1);
    assertThat(queue.taken()).isEqualTo(Decimal.of(50));
    assertThat(queue.largestBurden()).isEqualTo(1);
    assertThat(queue.gini()).isCloseTo(1060.0 / 1200, EXACT);
    assertThat(result.rows().get(0).basis()).isEqualTo("production's total, 1 round");
    assertThat(result.rows().get(0).largestBurden()).isEqualTo(0.5);
  }

  @Test
  void aBudgetBeyondTheCapacityIsTakenAsFarAsItGoes() throws IOException {
    ReplayResult result = replay(150_000_000L, PopulationReplay.DEFAULT_POLICIES);
    assertThat(result.budget()).isEqualTo(Decimal.of(150));
    for (ReplayRow row : result.rows()) {
      assertThat(row.taken()).as(row.policy()).isEqualTo(Decimal.of(100));
      assertThat(row.accountsHit()).as(row.policy()).isEqualTo(12);
      assertThat(row.largestBurden()).as(row.policy()).isEqualTo(1);
    }
  }

  @Test
  void theReplayIsDeterministic() throws IOException {
    ReplayResult first = replay(FIFTY_DOLLARS, PopulationReplay.DEFAULT_POLICIES);
    ReplayResult second = replay(FIFTY_DOLLARS, PopulationReplay.DEFAULT_POLICIES);
    assertThat(second).usingRecursiveComparison().isEqualTo(first);
  }

  @Test
  void refusesAPolicyThatDoesNotAllocateByBudget() {
    assertThatThrownBy(() -> replay(FIFTY_DOLLARS, List.of("pro-rata", "contract-pro-rata")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("policy contract-pro-rata does not allocate by budget");
    assertThatThrownBy(() -> replay(FIFTY_DOLLARS, List.of("fifo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown policy 'fifo'");
    assertThatThrownBy(() -> replay(-1, List.of("pro-rata")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void theDefaultBudgetIsTheProductionQueuesTotalRoundedUp(@TempDir Path folder)
      throws IOException {
    write(folder, RealPopulation.FILE_NAME, TWELVE_WINNERS);
    write(
        folder,
        PopulationReplay.WAVES_FILE,
        """
        wave,budget_needed,budget_prod,max_pct_prod,budget_fixed_point_ilp_integer,\
        max_pct_fixed_point_ilp_integer,deficit_usd
        1,5,10.5,1,5,0.1,20
        2,5,20.25,1,5,0.1,20
        3,1,0.0000005,1,1,0.1,20
        """);
    // 10.5 + 20.25 + 0.0000005 (read as a double just below it) = 30.7500004999...: up to 30.750001
    assertThat(PopulationReplay.productionBudget(folder)).isEqualTo(30_750_001L);
    ReplayResult result = PopulationReplay.run(folder);
    assertThat(result.source()).isEqualTo(folder.resolve(RealPopulation.FILE_NAME).toString());
    assertThat(result.budget()).isEqualTo(Decimal.ofUnits(30_750_001L, 6));
    assertThat(result.rows())
        .extracting(ReplayRow::policy)
        .containsExactlyElementsOf(PopulationReplay.DEFAULT_POLICIES);
    // without the waves' capacities (total_cap) there is no per-wave counterfactual
    assertThat(result.counterfactual()).isNull();
  }

  /**
   * With the waves' capacities the replay carries the per-wave counterfactual of {@code paper-table
   * --per-wave}: wave 1 needs 5 of a capacity of 100, wave 2 needs 300 of 200; wealth pro rata
   * takes min(B_t, U_t), 5 and 200, with burdens 5% and 100%.
   */
  @Test
  void withTheWavesCapacitiesItHasThePerWaveCounterfactual(@TempDir Path folder)
      throws IOException {
    write(folder, RealPopulation.FILE_NAME, TWELVE_WINNERS);
    write(
        folder,
        PopulationReplay.WAVES_FILE,
        """
        wave,budget_needed,total_cap,budget_prod,max_pct_prod,budget_fixed_point_ilp_integer,\
        max_pct_fixed_point_ilp_integer,deficit_usd
        1,5,100,10.5,1,5,0.1,20
        2,300,200,20.25,1,5,0.1,20
        """);
    WaveCounterfactual c = PopulationReplay.run(folder).counterfactual();
    assertThat(c).isNotNull();
    assertThat(c.waves()).hasSize(2);
    assertThat(c.waves().get(0).cell("pro-rata").budget()).isCloseTo(5, within(1e-9));
    assertThat(c.waves().get(0).cell("pro-rata").largestBurden()).isEqualTo(0.05);
    assertThat(c.waves().get(1).cell("pro-rata").budget()).isCloseTo(200, within(1e-9));
    assertThat(c.waves().get(1).cell("pro-rata").largestBurden()).isEqualTo(1.0);
  }

  @Test
  void withoutTheWavesFileTheBudgetMustBeGiven(@TempDir Path folder) throws IOException {
    write(folder, RealPopulation.FILE_NAME, TWELVE_WINNERS);
    assertThatThrownBy(() -> PopulationReplay.run(folder))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(PopulationReplay.WAVES_FILE)
        .hasMessageContaining("give the budget");
    assertThat(PopulationReplay.run(folder, FIFTY_DOLLARS).budget()).isEqualTo(Decimal.of(50));
  }

  private static void write(Path folder, String name, String text) throws IOException {
    Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
  }
}
