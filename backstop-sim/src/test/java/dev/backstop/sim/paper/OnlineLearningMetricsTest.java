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
    assertThat(table.row("prod")).isEqualTo(new PolicyLoss("prod", 3, 80, 102.5, 182.5, 180, 20));
    // pr: H = B every wave, so tracking 0; fairness = 100*|0.25 - 0.125| = 12.5; taken 160
    assertThat(table.row("pr")).isEqualTo(new PolicyLoss("pr", 3, 0, 12.5, 12.5, 160, 0));
    // the benchmark has no fairness cost by definition; tracking = 1 + 0 + 1 = 2; taken 162
    assertThat(table.row("fixed_point_ilp_integer"))
        .isEqualTo(new PolicyLoss("fixed_point_ilp_integer", 3, 2, 0, 2, 162, 2));
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
