package dev.backstop.sim.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics of arXiv 2602.15182 on a three-wave file small enough to compute by hand. Every
 * number below is exact in binary floating point, so the assertions are exact.
 */
class OnlineLearningMetricsTest {

  /**
   * Three waves, policies prod, pr and the min-max benchmark. {@code budget_target} has no {@code
   * max_pct_target}, so it is not a policy; {@code t_start} is quoted and contains a comma.
   */
  static final String THREE_WAVES =
      """
      wave,t_start,budget_needed,budget_prod,budget_pr,budget_fixed_point_ilp_integer,\
      budget_target,overshoot_prod,max_pct_prod,max_pct_pr,max_pct_fixed_point_ilp_integer,\
      deficit_usd
      1,"21:16:04, UTC",100,150,100,101,100,50,1,0.25,0.125,300
      2,"21:16:56, UTC",50,20,50,50,50,-30,0.5,0.25,0.25,400
      3,"21:17:14, UTC",10,10,10,11,10,0,0.25,0.5,0.5,1200
      """;

  static WaveFile parse(String csv) throws IOException {
    return WaveFile.parse(new StringReader(csv), "waves.csv");
  }

  @Test
  void findsEveryPolicyWithBothABudgetAndABurdenColumn() throws IOException {
    WaveFile waves = parse(THREE_WAVES);
    assertThat(waves.policies()).containsExactly("prod", "pr", "fixed_point_ilp_integer");
    assertThat(waves.waveCount()).isEqualTo(3);
  }

  @Test
  void computesTheHandWorkedTable() throws IOException {
    PaperTable table = OnlineLearningMetrics.compute(parse(THREE_WAVES), 1, 4);

    // prod: H = (150, 20, 10), B = (100, 50, 10)
    //   tracking  = 50 + 30 + 0 = 80
    //   fairness  = 100*|1 - 0.125| + 50*|0.5 - 0.25| + 10*|0.25 - 0.5| = 87.5 + 12.5 + 2.5 = 102.5
    //   total     = 80 + 1 * 102.5 = 182.5; taken = 180; overshoot = 50 - 30 + 0 = 20
    //   overshoot [H - B]+ = 50 + 0 + 0 = 50; undershoot V_T = [B - H]+ = 0 + 30 + 0 = 30
    assertThat(table.row("prod"))
        .isEqualTo(new PolicyLoss("prod", 3, 80, 102.5, 182.5, 180, 20, 50, 30));
    // pr: H = B every wave, so tracking 0; fairness = 100*|0.25 - 0.125| = 12.5; taken 160
    assertThat(table.row("pr")).isEqualTo(new PolicyLoss("pr", 3, 0, 12.5, 12.5, 160, 0, 0, 0));
    // the benchmark has no fairness cost by definition; tracking = 1 + 0 + 1 = 2, all overshoot
    assertThat(table.row("fixed_point_ilp_integer"))
        .isEqualTo(new PolicyLoss("fixed_point_ilp_integer", 3, 2, 0, 2, 162, 2, 2, 0));
    assertThat(table.rows())
        .extracting(PolicyLoss::policy)
        .containsExactly("prod", "pr", "fixed_point_ilp_integer");

    // O = sum_t (H_prod,t - B_t) = 20
    assertThat(table.productionOvershoot()).isEqualTo(20);
    // D = (300, 400, 1200): sum D_t^2 = 1,690,000 = 1300^2; P = 4: sqrt(9 * 1300^2) = 3900
    assertThat(table.regretBound()).isEqualTo(3900);
    assertThat(table.shareOfBound(table.row("prod")).getAsDouble()).isEqualTo(182.5 / 3900);
  }

  @Test
  void lambdaWeighsTheFairnessCost() throws IOException {
    PaperTable table = OnlineLearningMetrics.compute(parse(THREE_WAVES), 2, 4);
    // prod: 80 + 2 * 102.5 = 285; pr: 0 + 2 * 12.5 = 25
    assertThat(table.row("prod").total()).isEqualTo(285);
    assertThat(table.row("pr").total()).isEqualTo(25);
    // the sweep of Table 3 is the same formula at other lambdas
    assertThat(table.row("prod").totalLoss(0.5)).isEqualTo(131.25);
    assertThat(PaperTable.SWEEP_LAMBDAS).containsExactly(0.5, 1.0, 1.5, 2.0);
  }

  @Test
  void theDefaultPathLengthIsThePapersEstimate() throws IOException {
    PaperTable table =
        OnlineLearningMetrics.compute(
            parse(THREE_WAVES),
            OnlineLearningMetrics.DEFAULT_LAMBDA,
            OnlineLearningMetrics.DEFAULT_PATH_LENGTH);
    // sqrt((1 + 2 * 7.06) * 1300^2) = 1300 * sqrt(15.12) = 5054.97774...
    assertThat(table.regretBound()).isCloseTo(1300 * Math.sqrt(15.12), within(1e-9));
    assertThat(table.regretBound()).isCloseTo(5054.9777, within(1e-4));
    assertThat(table.lambda()).isEqualTo(1);
    assertThat(table.pathLength()).isEqualTo(7.06);
  }

  /**
   * Proposition 1 of arXiv 2602.15182: {@code P = sum_{t>=2} |theta_t - theta_{t-1}|} with {@code
   * theta_t = min(1, B_t / D_t)}. Here theta = (100/300, 50/400, 10/1200) = (1/3, 1/8, 1/120), so P
   * = 5/24 + 7/60 = 39/120 = 0.325, and the bound with it is 1300 sqrt(1 + 0.65).
   */
  @Test
  void recomputesThePathLengthFromTheFile() throws IOException {
    PaperTable table = OnlineLearningMetrics.compute(parse(THREE_WAVES), 1, 4);
    assertThat(table.pathLengthFromFile()).isCloseTo(0.325, within(1e-15));
    assertThat(table.regretBoundFromFile()).isCloseTo(1300 * Math.sqrt(1.65), within(1e-9));
    assertThat(table.pathLength()).isEqualTo(4);
    assertThat(table.totalDeficit()).isEqualTo(1900);
    assertThat(table.eachLoserOnce()).isFalse();
  }

  /**
   * Burdens by capacity, {@code m_t = max_i x_i / u_i} (arXiv 2602.15182, eq. 10). With total
   * capacities U = (400, 100, 20) the benchmark is the least possible burden B_t / U_t = (0.25,
   * 0.5, 0.5) (Appendix C, Proposition 9: pro rata). Continuous pro rata has m_t = H_t / U_t, the
   * same, so no fairness cost (0 here where the equity-normalised file gives it 12.5). prod's
   * capacity burdens are given, (1, 1, 0.5): 100 * 0.75 + 50 * 0.5 + 0 = 100. The benchmark's own
   * integer burdens by capacity are not in the file: unknown (NaN), so no total.
   */
  @Test
  void burdensByCapacityUseWhatTheFileDetermines() throws IOException {
    String withCapacity =
        """
        budget_needed,budget_prod,budget_pr,budget_fixed_point_ilp_integer,max_pct_prod,\
        max_pct_pr,max_pct_fixed_point_ilp_integer,deficit_usd,total_cap,max_burden_prod
        100,150,100,101,1,0.25,0.125,300,400,1
        50,20,50,50,0.5,0.25,0.25,400,100,1
        10,10,10,11,0.25,0.5,0.5,1200,20,0.5
        """;
    PaperTable table =
        OnlineLearningMetrics.compute(
            parse(withCapacity), 1, 4, BurdenNormalisation.CAPACITY, null);
    assertThat(table.burden()).isEqualTo(BurdenNormalisation.CAPACITY);
    assertThat(table.row("pr").fairness()).isZero();
    assertThat(table.row("prod").fairness()).isEqualTo(100);
    assertThat(table.row("prod").total()).isEqualTo(180);
    assertThat(table.row("fixed_point_ilp_integer").hasFairness()).isFalse();
    assertThat(table.shareOfBound(table.row("fixed_point_ilp_integer"))).isEmpty();
    assertThatThrownBy(
            () ->
                OnlineLearningMetrics.compute(
                    parse(THREE_WAVES), 1, 4, BurdenNormalisation.CAPACITY, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total_cap");
  }

  /**
   * Each loser once ({@link LoserWaves}): the largest losses (200, 200, 50) show the first wave's
   * loser short again in the second, so the deficits (300, 400, 1200) become (300, 200, 1200): in
   * all 1700. theta = (1/3, 1/4, 1/120): P = 1/12 + 29/120 = 39/120 again, and sum D^2 = 1,570,000.
   */
  @Test
  void eachLoserCountedOnce() throws IOException {
    LoserWaves losers =
        LoserWaves.parse(
            new StringReader("wave,deficit_usd,max_loss_usd\n1,300,200\n2,400,200\n3,1200,50\n"),
            "losers.csv");
    WaveFile waves = parse(THREE_WAVES);
    assertThat(losers.repeats()).isEqualTo(1);
    double[] once = losers.deficitsCountingEachLoserOnce(waves);
    assertThat(once).containsExactly(300, 200, 1200);
    PaperTable table = OnlineLearningMetrics.compute(waves, 1, 4, BurdenNormalisation.EQUITY, once);
    assertThat(table.eachLoserOnce()).isTrue();
    assertThat(table.totalDeficit()).isEqualTo(1700);
    assertThat(table.regretBound()).isCloseTo(Math.sqrt(9 * 1_570_000.0), within(1e-9));
    assertThat(table.pathLengthFromFile()).isCloseTo(0.325, within(1e-15));
    LoserWaves other =
        LoserWaves.parse(
            new StringReader("deficit_usd,max_loss_usd\n300,1\n401,1\n1200,1\n"), "other.csv");
    assertThatThrownBy(() -> other.deficitsCountingEachLoserOnce(waves))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wave 2: the deficit is 401.0 in other.csv but 400.0 in waves.csv");
  }

  /**
   * Table 3 of arXiv 2602.15182 reads production's total against the others'; at lambda = 0.5
   * prod's total is 80 + 51.25 = 131.25 and pr's 6.25: 21 times.
   */
  @Test
  void productionsRatioToEachPolicy() throws IOException {
    PaperTable table = OnlineLearningMetrics.compute(parse(THREE_WAVES), 1, 4);
    assertThat(table.productionRatio(table.row("pr"), 0.5).getAsDouble()).isEqualTo(21);
    assertThat(table.productionRatio(table.row("prod"), 2).getAsDouble()).isEqualTo(1);
  }

  @Test
  void readsTheHorizonSweep() throws IOException {
    HorizonSweep sweep =
        HorizonSweep.parse(
            new StringReader(
                """
                gap_ms,eval_horizon_ms,num_waves,total_deficit_usd,total_budget_needed_usd,\
                total_H_prod_usd,total_overshoot_prod_minus_needed_usd
                5000,0,16,100,15,60,45
                5000,500,16,100,15,66.5,51.5
                5000,1000,16,100,15,14,-1
                """),
            "horizons.csv");
    assertThat(sweep.rows()).hasSize(3);
    assertThat(sweep.lowest().horizonMillis()).isEqualTo(1000);
    assertThat(sweep.lowest().overshoot()).isEqualTo(-1);
    assertThat(sweep.highest().horizonMillis()).isEqualTo(500);
    assertThat(sweep.rows().get(0).production()).isEqualTo(60);
  }

  @Test
  void rejectsANegativeOrNonFiniteLambdaOrPathLength() throws IOException {
    WaveFile waves = parse(THREE_WAVES);
    assertThatThrownBy(() -> OnlineLearningMetrics.compute(waves, -1, 7.06))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lambda");
    assertThatThrownBy(() -> OnlineLearningMetrics.compute(waves, 1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path length");
  }

  @Test
  void aBoundOfZeroHasNoShare() throws IOException {
    String noDeficit =
        """
        budget_needed,deficit_usd,budget_prod,max_pct_prod,budget_fixed_point_ilp_integer,\
        max_pct_fixed_point_ilp_integer
        1,0,2,1,1,0.5
        """;
    PaperTable table = OnlineLearningMetrics.compute(parse(noDeficit), 1, 7.06);
    assertThat(table.regretBound()).isZero();
    assertThat(table.shareOfBound(table.row("prod"))).isEmpty();
    assertThat(List.of(table.row("prod").tracking(), table.row("prod").fairness()))
        .containsExactly(1.0, 0.5);
  }
}
