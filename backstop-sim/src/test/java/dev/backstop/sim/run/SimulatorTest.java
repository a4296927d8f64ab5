package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.sim.report.RunInfo;
import dev.backstop.sim.report.SummaryJson;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the built-in crash on a small book: the same on every run, conserved in every policy. */
class SimulatorTest {

  private static final Simulator.Progress QUIET = new Simulator.Progress() {};

  private static SimulationResult run(Scenario s, List<String> policies, int threads) {
    return Simulator.run(s, new Simulator.Options(policies, threads, null, QUIET));
  }

  private static Scenario smallCrash() {
    return Scenarios.load(Scenarios.DEFAULT).withAccounts(3_000);
  }

  @Test
  void theSameScenarioAndSeedGiveTheSameSummaryWhateverTheThreads() {
    List<String> policies = List.of("bitmex", "hyperliquid", "pro-rata", "water-filling");
    SimulationResult once = run(smallCrash(), policies, 1);
    SimulationResult twice = run(smallCrash(), policies, 2);
    RunInfo run = new RunInfo("backstop", "test", "test", "test", "test");
    assertThat(SummaryJson.render(twice, run)).isEqualTo(SummaryJson.render(once, run));
    assertThat(twice.policies())
        .extracting(p -> p.metrics().stateHash())
        .isEqualTo(once.policies().stream().map(p -> p.metrics().stateHash()).toList());
  }

  @Test
  void anotherSeedGivesAnotherBook() {
    List<String> policies = List.of("bitmex");
    SimulationResult a = run(smallCrash(), policies, 1);
    SimulationResult b = run(smallCrash().withSeed(7), policies, 1);
    assertThat(b.policies().get(0).metrics().stateHash())
        .isNotEqualTo(a.policies().get(0).metrics().stateHash());
  }

  @Test
  void everyPolicyConservesValueToTheUnitAndTheCrashReachesTheBackstop() {
    SimulationResult r = run(smallCrash(), List.of(), 0);
    assertThat(r.policies()).extracting(PolicyResult::policy).isEqualTo(Policies.all());
    for (PolicyResult p : r.policies()) {
      assertThat(p.metrics().conservationError()).as(p.policy()).isZero();
      assertThat(p.metrics().liquidations()).as(p.policy()).isPositive();
    }
    PolicyMetrics baseline = metrics(r, "bad-debt");
    assertThat(baseline.shortfall().signum()).isPositive();
    assertThat(baseline.residualBadDebt().signum()).isPositive();
    assertThat(baseline.accountsDeleveraged()).isZero();
    // With a backstop, winners are hit and far less bad debt is left than without one. What is
    // left comes from positions the fund's account took over (a whole-position queue's excess
    // among them) and later could not sell back within its slippage: the book is finite.
    for (String policy : List.of("bitmex", "hyperliquid", "pro-rata", "water-filling")) {
      PolicyMetrics m = metrics(r, policy);
      assertThat(4 * m.residualBadDebt().toUnits(6))
          .as(policy)
          .isLessThan(baseline.residualBadDebt().toUnits(6));
      assertThat(m.accountsDeleveraged()).as(policy).isPositive();
    }
    // The waterfall is measured: orders the book left unfilled went to the takeover layer and
    // the backstop, which acted in waves after the first liquidation; nothing deleverages without
    // a backstop; the makers end with their capital.
    assertThat(baseline.adlNotional().signum()).isZero();
    assertThat(baseline.backstopWaves()).isZero();
    assertThat(baseline.firstAdlSeconds()).isNull();
    for (String policy : List.of("bitmex", "hyperliquid")) {
      PolicyMetrics m = metrics(r, policy);
      assertThat(m.ordersLeftUnfilled()).as(policy).isPositive();
      assertThat(m.adlNotional().signum()).as(policy).isPositive();
      assertThat(m.adlShareOfLiquidated()).as(policy).isBetween(0.0, 1.0);
      assertThat(m.firstAdlSeconds()).as(policy).isNotNull().isNotNegative();
      assertThat(m.backstopWaves()).as(policy).isBetween(1L, m.backstopActions());
      assertThat(m.makersEquity().signum()).as(policy).isPositive();
    }
    // A queue concentrates; pro rata spreads the same loss over every winner.
    assertThat(metrics(r, "pro-rata").accountsDeleveraged())
        .isGreaterThan(metrics(r, "bitmex").accountsDeleveraged());
    assertThat(metrics(r, "pro-rata").gini()).isLessThan(metrics(r, "bitmex").gini());
    assertThat(metrics(r, "pro-rata").budgetTaken())
        .isEqualTo(metrics(r, "pro-rata").budgetNeeded());
  }

  /**
   * The papers' fairness measures on the small crash. A burden is per round and never above 1
   * (arXiv 2602.15182, {@code m_t = max_i x_{i,t} / u_{i,t}}). Wealth pro rata and min-max give
   * every winner of a round the same burden up to one unit of rounding (2602.15182, Appendix C,
   * Proposition 9): no inversion, no monotonicity violation in any round. With a finite book the
   * policies no longer share one path of liquidations (a haircut changes what the book's maker can
   * absorb), so their deficits differ and are not compared here.
   */
  @Test
  void burdensArePerRoundAndNeverAboveCapacity() {
    SimulationResult r = run(smallCrash(), List.of("bad-debt", "pro-rata", "min-max", "bitmex"), 0);
    for (PolicyResult p : r.policies()) {
      assertThat(p.metrics().largestBurden()).as(p.policy()).isBetween(0.0, 1.0);
      // every account hit is in a bin up to 100%, none above
      long[] counts = p.timeline().burdenCounts();
      assertThat(counts[counts.length - 1]).as(p.policy()).isZero();
      assertThat(p.timeline().accountsHit())
          .as(p.policy())
          .isEqualTo(p.metrics().accountsDeleveraged());
    }
    // Inversions and monotonicity are counted per round, over the round's winners.
    for (String policy : List.of("pro-rata", "min-max")) {
      PolicyMetrics m = metrics(r, policy);
      assertThat(m.accountsDeleveraged()).as(policy).isPositive();
      assertThat(m.rankingInversions()).as(policy).isZero();
      assertThat(m.monotonicityViolations()).as(policy).isZero();
    }
    // The queue empties whole positions while smaller winners keep theirs.
    assertThat(metrics(r, "bitmex").monotonicityViolations()).isPositive();
    // PTSR and PMR share their numerator, so PTSR / PMR = Delta / D for every policy.
    for (String policy : List.of("bad-debt", "pro-rata")) {
      PolicyMetrics m = metrics(r, policy);
      assertThat(m.ptsr()).as(policy).isPositive();
      assertThat(m.pmr()).as(policy).isPositive();
    }
  }

  /**
   * Black Thursday keeps its story on the finite book: BitMEX's fund was deep enough that "ADL was
   * completely prevented". The fund takes over what the book cannot fill and covers what its
   * account loses; no backstop acts, so BitMEX's queue and pro rata give the same run (the markets'
   * configurations differ, so their state hashes do).
   */
  @Test
  void onBlackThursdayTheDeepFundPreventsAdl() {
    Scenario thursday = Scenarios.load("crash-2020-03-12").withAccounts(10_000);
    SimulationResult r = run(thursday, List.of("bitmex", "pro-rata"), 0);
    for (PolicyResult p : r.policies()) {
      assertThat(p.metrics().backstopActions()).as(p.policy()).isZero();
      assertThat(p.metrics().fundLow().signum()).as(p.policy()).isPositive();
      assertThat(p.metrics().conserved()).as(p.policy()).isTrue();
    }
    PolicyMetrics queue = metrics(r, "bitmex");
    PolicyMetrics proRata = metrics(r, "pro-rata");
    assertThat(queue.liquidations()).isEqualTo(proRata.liquidations());
    assertThat(queue.fundLow()).isEqualTo(proRata.fundLow());
    assertThat(queue.fundEnd()).isEqualTo(proRata.fundEnd());
    assertThat(queue.shortfall()).isEqualTo(proRata.shortfall());
  }

  /**
   * The default scenario, at its 10,000 accounts, is calibrated to the public figures of 2025-10-10
   * (Hyperliquid: 2.1B of ADL notional of 5.5B liquidated, the first ADL about 62 s after the first
   * liquidation, 16 waves): deleveraging closes between 20% and 60% of what liquidations closed,
   * the first ADL comes within two minutes of the first liquidation, in several waves, for a queue
   * at the bankruptcy price (BitMEX) and for Hyperliquid's whole-position queue alike.
   */
  @Test
  void theDefaultScenarioDeleveragesAShareOfTheLiquidatedNotionalLike2025_10_10() {
    Scenario s = Scenarios.load(Scenarios.DEFAULT);
    assertThat(s.population().synthetic().accounts()).isEqualTo(10_000);
    SimulationResult r = run(s, List.of("bitmex", "hyperliquid", "pro-rata"), 0);
    for (String policy : List.of("bitmex", "hyperliquid")) {
      PolicyResult p =
          r.policies().stream().filter(q -> q.policy().equals(policy)).findFirst().orElseThrow();
      PolicyMetrics m = p.metrics();
      assertThat(m.adlShareOfLiquidated()).as(p.policy()).isBetween(0.2, 0.6);
      assertThat(m.firstAdlSeconds()).as(p.policy()).isNotNull().isBetween(0.0, 120.0);
      assertThat(m.backstopWaves()).as(p.policy()).isBetween(3L, 40L);
      assertThat(m.budgetTaken().signum()).as(p.policy()).isPositive();
      assertThat(m.conserved()).as(p.policy()).isTrue();
    }
    // Wealth pro rata gives every winner of a round the same burden, to a unit of rounding: no
    // ranking inversion and no monotonicity violation in any of its rounds. (The positions the
    // fund took over from liquidated traders are no longer theirs: counted as theirs, they made
    // winners the engine could not haircut, spared at burden 0, and 99.9% of pairs inverted.)
    PolicyMetrics proRata = metrics(r, "pro-rata");
    assertThat(proRata.backstopActions()).isPositive();
    assertThat(proRata.rankingInversions()).isZero();
    assertThat(proRata.monotonicityViolations()).isZero();
  }

  @Test
  void theCalmDayLeavesTheBackstopIdle() {
    Scenario calm = Scenarios.load("calm-day").withAccounts(2_000);
    SimulationResult r = run(calm, List.of("bitmex", "pro-rata"), 0);
    for (PolicyResult p : r.policies()) {
      assertThat(p.metrics().backstopActions()).as(p.policy()).isZero();
      assertThat(p.metrics().conserved()).isTrue();
    }
  }

  @Test
  void depthThinsWithTheDrawdownDownToTheStatedShare() {
    Book book = Simulator.book(smallCrash());
    long full = book.depths()[0];
    long thinnest = java.util.Arrays.stream(book.depths()).min().orElseThrow();
    // thinning 0.9: 10% of the depth is left at the path's deepest point.
    assertThat((double) thinnest / full).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-6));
  }

  private static PolicyMetrics metrics(SimulationResult r, String policy) {
    return r.policies().stream()
        .filter(p -> p.policy().equals(policy))
        .findFirst()
        .orElseThrow()
        .metrics();
  }
}
