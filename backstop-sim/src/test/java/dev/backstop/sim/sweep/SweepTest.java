package dev.backstop.sim.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.report.RunInfo;
import dev.backstop.sim.report.SweepReport;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.ScenarioException;
import dev.backstop.sim.scenario.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sweep on a small crash: the values applied, every run done, the same whatever the threads. */
class SweepTest {

  private static final RunInfo RUN = new RunInfo("backstop", "test", "test", "test", "test");

  private static Scenario small() {
    return Scenarios.load(Scenarios.DEFAULT).withAccounts(600);
  }

  @Test
  void theResultIsTheSameWhateverTheNumberOfThreads() {
    List<Double> funds = List.of(0.0, 50_000.0, 5_000_000.0);
    List<String> policies = List.of("bad-debt", "hyperliquid", "pro-rata");
    AtomicInteger finished = new AtomicInteger();
    Sweep.Progress counting =
        new Sweep.Progress() {
          @Override
          public void finished(double value, String policy, long millis, int done, int runs) {
            assertThat(runs).isEqualTo(9);
            finished.incrementAndGet();
          }
        };
    SweepResult one = Sweep.run(small(), SweepParameter.FUND, funds, policies, 1, counting);
    SweepResult two = Sweep.run(small(), SweepParameter.FUND, funds, policies, 2, counting);
    SweepResult three = Sweep.run(small(), SweepParameter.FUND, funds, policies, 3, counting);
    assertThat(finished).hasValue(27);
    assertThat(two).isEqualTo(one);
    assertThat(three).isEqualTo(one);
    assertThat(SweepReport.csv(two)).isEqualTo(SweepReport.csv(one));
    assertThat(SweepReport.json(three, RUN)).isEqualTo(SweepReport.json(one, RUN));
    assertThat(one.conserved()).isTrue();
    assertThat(one.values()).containsExactlyElementsOf(funds);
    assertThat(one.policies()).containsExactlyElementsOf(policies);
  }

  @Test
  void eachValueIsTheOneTheRunSaw() {
    List<Double> funds = List.of(0.0, 10_000_000.0);
    SweepResult r =
        Sweep.run(
            small(), SweepParameter.FUND, funds, List.of("bad-debt"), 2, new Sweep.Progress() {});
    PolicyMetrics none = r.metrics(0, "bad-debt");
    PolicyMetrics deep = r.metrics(1, "bad-debt");
    assertThat(none.fundStart()).isEqualTo(Decimal.ZERO);
    assertThat(deep.fundStart()).isEqualTo(Decimal.of(10_000_000));
    // a fund deep enough covers every shortfall: no bad debt left, and the fund never runs dry
    assertThat(deep.residualBadDebt()).isEqualTo(Decimal.ZERO);
    assertThat(deep.fundLow().signum()).isPositive();
    assertThat(none.fundLow()).isEqualTo(Decimal.ZERO);
  }

  @Test
  void everyParameterSetsItsField() {
    Scenario s = small();
    assertThat(SweepParameter.FUND.apply(s, 1234.5).insuranceFund())
        .isEqualTo(Decimal.parse("1234.5"));
    assertThat(SweepParameter.DEPTH.apply(s, 2_000_000).liquidity().depth())
        .isEqualTo(Decimal.of(2_000_000));
    assertThat(SweepParameter.THINNING.apply(s, 0.5).liquidity().thinning()).isEqualTo(0.5);
    assertThat(SweepParameter.CRASH_DEPTH.apply(s, 0.2).pricePath().synthetic().crash().depth())
        .isEqualTo(0.2);
    assertThat(SweepParameter.CRASH_MINUTES.apply(s, 6).pricePath().synthetic().crash().minutes())
        .isEqualTo(6);
    assertThat(SweepParameter.CRASH_WAVES.apply(s, 3).pricePath().synthetic().crash().waves())
        .isEqualTo(3);
    assertThat(SweepParameter.REBOUND.apply(s, 0).pricePath().synthetic().crash().rebound())
        .isZero();
    assertThat(SweepParameter.LEVERAGE.apply(s, 5).population().synthetic().leverage().median())
        .isEqualTo(5);
    assertThat(SweepParameter.ACCOUNTS.apply(s, 50).population().synthetic().accounts())
        .isEqualTo(50);
    assertThat(SweepParameter.VOLATILITY.apply(s, 0.1).pricePath().synthetic().volatility())
        .isEqualTo(0.1);
    // the rest of the scenario is unchanged
    Scenario deeper = SweepParameter.CRASH_DEPTH.apply(s, 0.2);
    assertThat(deeper.insuranceFund()).isEqualTo(s.insuranceFund());
    assertThat(deeper.liquidity()).isEqualTo(s.liquidity());
    assertThat(deeper.population()).isEqualTo(s.population());
    List<String> names = new ArrayList<>(SweepParameter.names());
    assertThat(names).contains("fund", "depth", "crash-depth", "crash-minutes", "accounts");
    assertThat(SweepParameter.of("crash-depth")).isEqualTo(SweepParameter.CRASH_DEPTH);
  }

  @Test
  void aValueTheFieldCannotTakeIsRefusedBeforeAnythingRuns() {
    Scenario s = small();
    assertThatThrownBy(() -> SweepParameter.CRASH_DEPTH.apply(s, 1.5))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("crash-depth")
        .hasMessageContaining("1.5")
        .hasMessageContaining("crash.depth must be in (0, 1)");
    assertThatThrownBy(() -> SweepParameter.FUND.apply(s, -1))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("--param fund (insuranceFund) = -1: must be >= 0");
    assertThatThrownBy(() -> SweepParameter.CRASH_WAVES.apply(s, 2.5))
        .hasMessageContaining("must be a whole number");
    assertThatThrownBy(() -> SweepParameter.THINNING.apply(s, 1))
        .hasMessageContaining("must be in [0, 1)");
    assertThatThrownBy(() -> SweepParameter.of("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fund, depth");
    AtomicInteger started = new AtomicInteger();
    Sweep.Progress listening =
        new Sweep.Progress() {
          @Override
          public void started(int values, int policies, int threads) {
            started.incrementAndGet();
          }
        };
    assertThatThrownBy(
            () ->
                Sweep.run(
                    s, SweepParameter.CRASH_DEPTH, List.of(0.1, 2.0), List.of(), 1, listening))
        .isInstanceOf(ScenarioException.class);
    assertThatThrownBy(
            () -> Sweep.run(s, SweepParameter.FUND, List.of(1.0, 1.0), List.of(), 1, listening))
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> Sweep.run(s, SweepParameter.FUND, List.of(), List.of(), 1, listening))
        .hasMessageContaining("1 to 200 values");
    assertThat(started).hasValue(0);
  }
}
