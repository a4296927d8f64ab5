package dev.backstop.sim.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Table 2 of arXiv 2602.15182 recomputed from {@code adl_waves_policy_metrics.csv} (2025-10-10 on
 * Hyperliquid, 16 waves), beside the repository; skipped when the file is absent. The expected
 * figures were computed independently from the same file with the definitions of RESEARCH.md
 * section 2, lambda = 1, P = 7.06, D_t = deficit_usd.
 */
class HyperliquidWavesTest {

  private static final Offset<Double> CENT = within(0.01);

  private static PaperTable cached;

  /** Read once; each test asks, so that each is reported as skipped when the file is absent. */
  private static PaperTable table() throws IOException {
    if (cached == null) {
      WaveFile waves = WaveFile.read(SharedData.hyperliquidFile("adl_waves_policy_metrics.csv"));
      cached =
          OnlineLearningMetrics.compute(
              waves,
              OnlineLearningMetrics.DEFAULT_LAMBDA,
              OnlineLearningMetrics.DEFAULT_PATH_LENGTH);
    }
    return cached;
  }

  @Test
  void findsTheSevenPoliciesOfTheFile() throws IOException {
    PaperTable table = table();
    assertThat(table.waves()).isEqualTo(16);
    assertThat(table.rows())
        .extracting(PolicyLoss::policy)
        .containsExactly(
            "prod", "pr", "pnl_pr", "eq_pr", "vector", "contract_pr", "fixed_point_ilp_integer");
  }

  @Test
  void productionQueue() throws IOException {
    PaperTable table = table();
    PolicyLoss prod = table.row("prod");
    assertThat(prod.tracking()).isCloseTo(53_782_490.53, CENT);
    assertThat(prod.fairness()).isCloseTo(11_077_031.68, CENT);
    assertThat(prod.total()).isCloseTo(64_859_522.21, CENT);
    assertThat(prod.taken()).isCloseTo(60_108_335.33, CENT);
    assertThat(table.productionOvershoot()).isCloseTo(45_028_665.72, CENT);
  }

  @Test
  void counterfactualPolicies() throws IOException {
    PaperTable table = table();
    assertThat(table.row("pr").fairness()).isCloseTo(2_732_437.29, CENT);
    assertThat(table.row("pnl_pr").fairness()).isCloseTo(1_677_764.43, CENT);
    assertThat(table.row("eq_pr").fairness()).isCloseTo(2_800_072.86, CENT);
    assertThat(table.row("vector").tracking()).isCloseTo(1_793_022.03, CENT);
    assertThat(table.row("vector").fairness()).isCloseTo(2_620_345.57, CENT);
    assertThat(table.row("contract_pr").tracking()).isCloseTo(3_020_120.65, CENT);
    assertThat(table.row("contract_pr").fairness()).isCloseTo(384_064.35, CENT);
    assertThat(table.row("contract_pr").total()).isCloseTo(3_404_185.00, CENT);
    assertThat(table.row("fixed_point_ilp_integer").tracking()).isCloseTo(106_205.81, CENT);
    assertThat(table.row("fixed_point_ilp_integer").fairness()).isZero();
    // every continuous pro-rata variant takes exactly the needed budget: 15,079,669.61 in all
    for (String policy : new String[] {"pr", "pnl_pr", "eq_pr"}) {
      assertThat(table.row(policy).tracking()).as(policy).isLessThan(1e-6);
      assertThat(table.row(policy).taken()).as(policy).isCloseTo(15_079_669.61, CENT);
    }
  }

  @Test
  void productionIsWorstOnEveryMeasure() throws IOException {
    PaperTable table = table();
    PolicyLoss prod = table.row("prod");
    for (PolicyLoss other : table.rows()) {
      if (other != prod) {
        assertThat(prod.tracking()).as(other.policy()).isGreaterThan(other.tracking());
        assertThat(prod.fairness()).as(other.policy()).isGreaterThan(other.fairness());
        assertThat(prod.total()).as(other.policy()).isGreaterThan(other.total());
      }
    }
  }

  @Test
  void regretBoundAndThePapersHeadlineShares() throws IOException {
    PaperTable table = table();
    // sqrt((1 + 2 * 7.06) * sum_t deficit_t^2)
    assertThat(table.regretBound()).isCloseTo(129_703_897.32, CENT);
    // the abstract: production about 50% of the bound, the optimised (integer pro rata) about 2.6%
    assertThat(table.shareOfBound(table.row("prod")).getAsDouble()).isCloseTo(0.5001, within(1e-4));
    assertThat(table.shareOfBound(table.row("contract_pr")).getAsDouble())
        .isCloseTo(0.0262, within(1e-4));
  }
}
