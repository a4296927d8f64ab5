package dev.backstop.sim.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.paper.WaveCounterfactual.Wave;
import java.io.IOException;
import java.io.StringReader;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The per-wave counterfactual on a hand-made file of two waves and three winners, small enough to
 * allocate by hand: pooled capacities {@code (50, 30, 20)} dollars, so each wave's capacity {@code
 * U_t = 1000} is split {@code (500, 300, 200)}; leverages {@code (2, 4, 8)}; queue scores {@code
 * (3, 2, 1)}.
 */
class WaveCounterfactualTest {

  /** Doubles from exact units of a 10^17 grid: the budgets are exact to far below a cent. */
  private static final Offset<Double> CLOSE = within(1e-9);

  static final String TWO_WAVES =
      """
      wave,budget_needed,deficit_usd,total_cap,budget_prod,max_pct_prod,budget_pr,max_pct_pr,\
      budget_fixed_point_ilp_integer,max_pct_fixed_point_ilp_integer
      3,10,40,1000,60,0.5,10,0.02,11,0.03
      8,2000,2500,1000,900,1,1000,1,1000,1
      """;

  static CandidateBook threeWinners() {
    long rate = Fixed.RATE_ONE;
    return CandidateBook.builder(3)
        .add(1, 50_000_000L, 100_000_000L)
        .leverage(2 * rate)
        .score(3 * rate)
        .add(2, 30_000_000L, 60_000_000L)
        .leverage(4 * rate)
        .score(2 * rate)
        .add(3, 20_000_000L, 40_000_000L)
        .leverage(8 * rate)
        .score(rate)
        .build();
  }

  private static WaveCounterfactual compute(String csv) throws IOException {
    WaveFile file = WaveFile.parse(new StringReader(csv), "waves.csv");
    return WaveCounterfactual.compute(file, threeWinners(), "users.csv", 0);
  }

  @Test
  void readsTheWavesAndSplitsEachCapacityLikeThePooledOne() throws IOException {
    WaveCounterfactual c = compute(TWO_WAVES);
    assertThat(c.winners()).isEqualTo(3);
    assertThat(c.winnersSource()).isEqualTo("users.csv");
    assertThat(c.waves()).extracting(Wave::label).containsExactly("3", "8");
    Wave first = c.waves().get(0);
    assertThat(first.needed()).isEqualTo(10);
    assertThat(first.deficit()).isEqualTo(40);
    assertThat(first.capacity()).isEqualTo(1000);
    assertThat(first.recomputed().keySet()).containsExactlyElementsOf(WaveCounterfactual.POLICIES);
    CandidateBook shares = WaveCounterfactual.shares(threeWinners());
    assertThat(shares.capacity(0) + shares.capacity(1) + shares.capacity(2))
        .isEqualTo(WaveCounterfactual.UNITS);
    assertThat(shares.capacity(0)).isEqualTo(WaveCounterfactual.UNITS / 2);
    assertThat(shares.leverage(2)).isEqualTo(8 * Fixed.RATE_ONE);
    assertThat(shares.score(0)).isEqualTo(3 * Fixed.RATE_ONE);
  }

  @Test
  void proRataAndMinMaxTakeTheNeedWithTheSameBurdenEverywhere() throws IOException {
    Wave first = compute(TWO_WAVES).waves().get(0);
    // h = 10 / 1000: x = (5, 3, 2), every burden 1%
    assertThat(first.cell("pro-rata").budget()).isCloseTo(10, CLOSE);
    assertThat(first.cell("pro-rata").largestBurden()).isEqualTo(0.01);
    assertThat(first.cell("pro-rata").accountsHit()).isEqualTo(3);
    assertThat(first.cell("min-max").budget()).isCloseTo(10, CLOSE);
    assertThat(first.cell("min-max").largestBurden()).isEqualTo(0.01);
  }

  @Test
  void theQueuesTakeTheHighestScoreFirst() throws IOException {
    Wave first = compute(TWO_WAVES).waves().get(0);
    // the queue takes all 10 from winner 1 (score 3, share 500): burden 10 / 500
    assertThat(first.cell("queue").budget()).isCloseTo(10, CLOSE);
    assertThat(first.cell("queue").largestBurden()).isEqualTo(0.02);
    assertThat(first.cell("queue").accountsHit()).isEqualTo(1);
    // queue-full closes winner 1 whole: 500 taken where 10 were needed
    assertThat(first.cell("queue-full").budget()).isCloseTo(500, CLOSE);
    assertThat(first.cell("queue-full").largestBurden()).isEqualTo(1);
  }

  @Test
  void rapCutsTheMostLeveredHardest() throws IOException {
    Wave first = compute(TWO_WAVES).waves().get(0);
    // h_i = tau * lambda_i: tau (2 * 500 + 4 * 300 + 8 * 200) = 10, tau = 10 / 3800;
    // winner 3 loses 8 tau = 2.105% of its 200
    assertThat(first.cell("rap").budget()).isCloseTo(10, CLOSE);
    assertThat(first.cell("rap").largestBurden()).isCloseTo(80.0 / 3800, within(1e-8));
  }

  @Test
  void aNeedAboveTheCapacityTakesAllOfIt() throws IOException {
    Wave second = compute(TWO_WAVES).waves().get(1);
    for (String policy : WaveCounterfactual.POLICIES) {
      assertThat(second.cell(policy).budget()).as(policy).isCloseTo(1000, CLOSE);
      assertThat(second.cell(policy).largestBurden()).as(policy).isEqualTo(1);
    }
  }

  @Test
  void matchesTheFilesProRataAndTheLeastBurdenWithinTheTolerances() throws IOException {
    WaveCounterfactual c = compute(TWO_WAVES);
    assertThat(c.hasFileProRata()).isTrue();
    assertThat(c.proRataBudgetGap()).isLessThanOrEqualTo(WaveCounterfactual.BUDGET_TOLERANCE);
    // budget_pr / total_cap = 0.01, then 1
    assertThat(c.proRataBurdenGap()).isLessThanOrEqualTo(WaveCounterfactual.BURDEN_TOLERANCE);
    assertThat(c.minMaxBurdenGap()).isLessThanOrEqualTo(WaveCounterfactual.BURDEN_TOLERANCE);
    assertThat(c.minMaxBudgetGap()).isLessThanOrEqualTo(WaveCounterfactual.BUDGET_TOLERANCE);
  }

  @Test
  void theLossesOfTable2ByCapacityAgainstBackstopsMinMax() throws IOException {
    WaveCounterfactual c = compute(TWO_WAVES);
    PolicyLoss proRata = c.losses(1).get(2);
    assertThat(proRata.policy()).isEqualTo("pro-rata");
    // wave 8 needs 2000 of a capacity of 1000: 1000 short; pro rata's burdens are min-max's
    assertThat(proRata.tracking()).isCloseTo(1000, CLOSE);
    assertThat(proRata.undershoot()).isCloseTo(1000, CLOSE);
    assertThat(proRata.fairness()).isCloseTo(0, CLOSE);
    PolicyLoss queueFull = c.losses(2).get(1);
    assertThat(queueFull.policy()).isEqualTo("queue-full");
    // 490 over in wave 3, 1000 under in wave 8; fairness 10 * |1 - 0.01|, twice with lambda 2
    assertThat(queueFull.tracking()).isCloseTo(1490, CLOSE);
    assertThat(queueFull.overshootPositive()).isCloseTo(490, CLOSE);
    assertThat(queueFull.fairness()).isCloseTo(9.9, CLOSE);
    assertThat(queueFull.total()).isCloseTo(1490 + 2 * 9.9, CLOSE);
  }

  @Test
  void needsTheWavesCapacities() {
    String withoutCapacity = TWO_WAVES.replace(",total_cap", ",cap");
    assertThatThrownBy(() -> compute(withoutCapacity))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total_cap");
  }
}
