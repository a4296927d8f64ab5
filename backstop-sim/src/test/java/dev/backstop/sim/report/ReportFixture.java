package dev.backstop.sim.report;

import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.metrics.Concentration;
import dev.backstop.sim.paper.WaveCounterfactual;
import dev.backstop.sim.paper.WaveFile;
import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import dev.backstop.sim.run.BurdenBins;
import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.PolicyResult;
import dev.backstop.sim.run.PolicyResult.Timeline;
import dev.backstop.sim.run.SimulationResult;
import dev.backstop.sim.run.SimulationResult.PathSeries;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hand-built simulation result shaped like a real run: a 12-minute crash of about 15% on a
 * 200-point path with thinning depth, four venue policies (two queues that run their funds dry, a
 * pro-rata haircut, and a venue whose fund covers everything), and a three-policy replay over
 * synthetic winners. Descriptions hold commas, quotes and angle brackets, to exercise escaping.
 */
final class ReportFixture {

  static final List<String> POLICIES = List.of("binance", "hyperliquid", "percolator", "okx-fund");

  static final List<String> REPLAY_POLICIES = List.of("queue", "pro-rata", "water-filling");

  static final int POINTS = 200;

  /** Where the fixture's report "came from": fixed, so the files are the same bytes every time. */
  static final RunInfo RUN =
      new RunInfo(
          "backstop",
          "0.1.0-test",
          "0123456789ab",
          "backstop simulate --scenario 'my crash.yaml'",
          "2026-12-01T00:00:00Z");

  static final long STEP_MILLIS = 3_600;

  private ReportFixture() {}

  /** The fixture, with the replay. */
  static SimulationResult result() {
    return result(replay());
  }

  /** {@code result} with its policy at {@code index} replaced, everything else the same. */
  static SimulationResult withPolicy(SimulationResult result, int index, PolicyResult policy) {
    List<PolicyResult> policies = new ArrayList<>(result.policies());
    policies.set(index, policy);
    return new SimulationResult(
        result.scenario(),
        result.description(),
        result.seed(),
        result.market(),
        result.accounts(),
        result.openInterest(),
        result.path(),
        policies,
        result.replay());
  }

  /** The fixture with {@code replay} (null for none). */
  static SimulationResult result(ReplayResult replay) {
    PathSeries path = path();
    List<PolicyResult> policies =
        List.of(
            policy(
                "binance",
                "queue ADL ranked by PnL% x leverage <score>, fills at the bankruptcy price,"
                    + " fund first",
                path,
                4_000_000,
                0.36,
                queueBurdens(37, 11),
                "1f3a9c0e5b7d2a64"),
            policy(
                "hyperliquid",
                "queue ADL by unrealised PnL, HLP vault as backstop",
                path,
                2_500_000,
                0.34,
                queueBurdens(52, 17),
                "9e0b44c1d2a37f58"),
            policy(
                "percolator",
                "one global \"haircut\" on withdrawable profit, pro rata",
                path,
                4_000_000,
                0.36,
                proRataBurdens(1_850, 0.0712),
                "03c6d5e2f1a09b87"),
            policy(
                "okx-fund",
                "fund covers all; ADL only if the fund runs dry",
                path,
                40_000_000,
                0.0,
                new double[0],
                "5a5a0f0f3c3c9696"));
    return new SimulationResult(
        "btc-cascade-12min",
        "BTC-PERP falls about 15% in 12 minutes while depth within 1% of mark thins from $45M to"
            + " $9M; calibrated to 2025-10-10 (BTC about -13% in the window).",
        20251010L,
        "BTC-PERP",
        10_000,
        Decimal.parse("18432.517"),
        path,
        policies,
        replay);
  }

  /** The crash: a drift, a cascade from minute 3 to 6, a partial bounce. */
  static PathSeries path() {
    long[] times = new long[POINTS];
    double[] marks = new double[POINTS];
    double[] depths = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      times[i] = i * STEP_MILLIS;
      double minute = times[i] / 60_000.0;
      double fall = 0.15 / (1 + Math.exp(-(minute - 4.6) * 2.2));
      double bounce = minute > 6 ? 0.025 * (1 - Math.exp(-(minute - 6) / 1.5)) : 0;
      double wiggle = 0.0025 * Math.sin(i * 0.9) + 0.0015 * Math.sin(i * 2.3);
      marks[i] = Math.round(62_000 * (1 - fall + bounce + wiggle) * 10) / 10.0;
      double thin = 1 - 0.8 * Math.exp(-Math.pow((minute - 5.2) / 1.6, 2));
      depths[i] = Math.round(45_000_000 * thin * (1 + 0.04 * Math.sin(i * 1.7)));
    }
    return new PathSeries(times, marks, depths);
  }

  private static PolicyResult policy(
      String name,
      String description,
      PathSeries path,
      long fundStartDollars,
      double ratio,
      double[] burdens,
      String stateHash) {
    // liquidations on every falling tick of the cascade, more as it deepens
    List<Long> liqTimes = new ArrayList<>();
    List<Double> liqPrices = new ArrayList<>();
    List<Long> fundTimes = new ArrayList<>(List.of(0L));
    List<Double> fundBalances = new ArrayList<>(List.of((double) fundStartDollars));
    double fund = fundStartDollars;
    long liquidatedNotionalCents = 0;
    for (int i = 1; i < POINTS; i++) {
      double drop = path.marks()[i - 1] - path.marks()[i];
      if (drop <= 0 || path.times()[i] < 90_000) {
        continue;
      }
      int closes = (int) Math.min(12, 1 + drop / 60);
      for (int k = 0; k < closes; k++) {
        liqTimes.add(path.times()[i]);
        liqPrices.add(path.marks()[i]);
        liquidatedNotionalCents += Math.round(drop * 4_500) * 100 + 37;
      }
      double depthFactor = 45_000_000 / path.depths()[i];
      fund = Math.max(0, fund + 6_000 - closes * drop * 180 * depthFactor);
      fundTimes.add(path.times()[i]);
      fundBalances.add(Math.round(fund * 100) / 100.0);
    }
    double fundLow = fundBalances.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double fundEnd = fundBalances.get(fundBalances.size() - 1);
    // the backstop acts after the fund hits its floor
    int actions = burdens.length == 0 ? 0 : Math.min(burdens.length, 40);
    long[] adlTimes = new long[actions];
    double[] adlPrices = new double[actions];
    int firstEmpty = fundBalances.indexOf(0.0);
    long start = firstEmpty < 0 ? 300_000 : fundTimes.get(firstEmpty);
    for (int a = 0; a < actions; a++) {
      int point = (int) Math.min(POINTS - 1, start / STEP_MILLIS + a * 2L);
      adlTimes[a] = path.times()[point];
      adlPrices[a] = path.marks()[point];
    }
    boolean backstop = burdens.length > 0;
    Decimal needed = backstop ? money(18_204_331_517_250L) : Decimal.ZERO;
    Decimal taken =
        backstop
            ? money(18_204_331_517_250L + (name.equals("percolator") ? 0 : 1_402_117_900_000L))
            : Decimal.ZERO;
    Decimal overshoot = Decimal.ofUnits(taken.toUnits(6) - needed.toUnits(6), 6);
    Decimal shortfall =
        money(Math.round((fundStartDollars - fundLow) * 1_000_000) + needed.toUnits(6));
    double fundDrawdown =
        fundStartDollars == 0 ? 0 : (fundStartDollars - fundLow) / fundStartDollars;
    double[] amounts = new double[burdens.length + 400];
    for (int i = 0; i < burdens.length; i++) {
      amounts[i] = burdens[i] * (1_000 + 97.0 * i);
    }
    double largest = Arrays.stream(burdens).max().orElse(0);
    PolicyMetrics metrics =
        new PolicyMetrics(
            liqTimes.size(),
            Decimal.ofUnits(liqTimes.size() * 37L, 2),
            Decimal.ofUnits(liquidatedNotionalCents, 2),
            Decimal.of(fundStartDollars),
            money(Math.round(fundEnd * 1_000_000)),
            money(Math.round(fundLow * 1_000_000)),
            fundDrawdown,
            shortfall,
            needed,
            taken,
            overshoot,
            actions,
            burdens.length,
            largest,
            Concentration.gini(amounts),
            Concentration.topShare(amounts, 10),
            backstop ? ratio : null,
            backstop ? ratio * 3.1 : null,
            backstop ? (name.equals("percolator") ? 0 : 1_204 + burdens.length) : 0,
            backstop ? (name.equals("percolator") ? 0 : 0.0731) : 0,
            backstop ? (name.equals("percolator") ? 0 : 17) : 0,
            backstop ? (name.equals("percolator") ? 0 : 0.0042) : 0,
            Decimal.ZERO,
            liqTimes.size(),
            backstop ? actions : 0,
            backstop ? actions / 2 : 0,
            Decimal.ofUnits(backstop ? 1_250 : 0, 4),
            Decimal.of(backstop ? 12_000 : 0),
            Decimal.ofUnits(backstop ? 3_3300 : 0, 4),
            Decimal.of(backstop ? 41_000 : 0),
            Decimal.of(backstop ? 40_000 : 0),
            backstop ? actions * 3L : 0,
            backstop ? 0.25 : 0.0,
            backstop ? 62.0 : null,
            backstop ? 3 : 0,
            Decimal.of(1_000_000),
            null,
            0,
            stateHash);
    Timeline timeline =
        new Timeline(
            fundTimes.stream().mapToLong(Long::longValue).toArray(),
            fundBalances.stream().mapToDouble(Double::doubleValue).toArray(),
            liqTimes.stream().mapToLong(Long::longValue).toArray(),
            liqPrices.stream().mapToDouble(Double::doubleValue).toArray(),
            adlTimes,
            adlPrices,
            BurdenBins.count(burdens));
    return new PolicyResult(name, description, metrics, timeline);
  }

  /** A queue: most accounts it reaches lose all their profit, a few partly, the last one least. */
  private static double[] queueBurdens(int accounts, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] burdens = new double[accounts];
    for (int i = 0; i < accounts; i++) {
      burdens[i] = random.nextDouble() < 0.8 ? 1.0 : 0.15 + 0.8 * random.nextDouble();
    }
    burdens[accounts - 1] = 0.043;
    return burdens;
  }

  private static double[] proRataBurdens(int accounts, double haircut) {
    double[] burdens = new double[accounts];
    Arrays.fill(burdens, haircut);
    return burdens;
  }

  /** Three allocations of the same clawback over 2,000 synthetic heavy-tailed winners. */
  static ReplayResult replay() {
    int winners = 2_000;
    double[] capacity = new double[winners];
    SplittableRandom random = new SplittableRandom(7);
    double total = 0;
    for (int i = 0; i < winners; i++) {
      capacity[i] = 500 / Math.pow(1 - random.nextDouble(), 1 / 1.3);
      total += capacity[i];
    }
    double budget = total * 0.31;
    double[] queue = new double[winners];
    double left = budget;
    for (int i = 0; i < winners && left > 0; i++) {
      queue[i] = Math.min(capacity[i], left);
      left -= queue[i];
    }
    double[] proRata = new double[winners];
    double[] waterFilling = new double[winners];
    for (int i = 0; i < winners; i++) {
      proRata[i] = capacity[i] * 0.31;
      waterFilling[i] = capacity[i] * Math.min(1, 0.08 + 0.45 * random.nextDouble());
    }
    String once = "production's total, 1 round";
    List<ReplayRow> rows =
        List.of(
            row("queue", once, budget, queue, capacity),
            row("pro-rata", once, budget, proRata, capacity),
            row("water-filling", once, budget, waterFilling, capacity));
    double[] halfProRata = new double[winners];
    for (int i = 0; i < winners; i++) {
      halfProRata[i] = proRata[i] / 2;
    }
    List<ReplayRow> perWave =
        List.of(row("pro-rata", "needed per wave, 3 rounds", budget / 2, halfProRata, capacity));
    return new ReplayResult(
        "hyperliquid-2025-10-10/adl_positions.csv",
        winners,
        money(Math.round(total * 1_000_000)),
        money(Math.round(budget * 1_000_000)),
        rows,
        money(Math.round(budget / 2 * 1_000_000)),
        perWave,
        counterfactual());
  }

  /**
   * The per-wave counterfactual of two waves over three winners with pooled capacities (50, 30,
   * 20): wave 3 needs 10 of a capacity of 1,000 (pro rata takes 10, every burden 1%); wave 8 needs
   * 2,000 of 1,000 (pro rata takes all 1,000, burden 100%).
   */
  static WaveCounterfactual counterfactual() {
    String csv =
        """
        wave,budget_needed,deficit_usd,total_cap,budget_prod,max_pct_prod,budget_pr,max_pct_pr,\
        budget_fixed_point_ilp_integer,max_pct_fixed_point_ilp_integer
        3,10,40,1000,60,0.5,10,0.02,11,0.03
        8,2000,2500,1000,900,1,1000,1,1000,1
        """;
    long rate = Fixed.RATE_ONE;
    CandidateBook winners =
        CandidateBook.builder(3)
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
    try {
      WaveFile file = WaveFile.parse(new StringReader(csv), "adl_waves_policy_metrics.csv");
      return WaveCounterfactual.compute(file, winners, "adl_by_user.csv", 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ReplayRow row(
      String policy, String basis, double budget, double[] taken, double[] capacity) {
    double sum = 0;
    int hit = 0;
    double largest = 0;
    for (int i = 0; i < taken.length; i++) {
      sum += taken[i];
      if (taken[i] > 0) {
        hit++;
      }
      largest = Math.max(largest, taken[i] / capacity[i]);
    }
    return new ReplayRow(
        policy,
        basis,
        basis.startsWith("needed") ? 3 : 1,
        money(Math.round(budget * 1_000_000)),
        money(Math.round(sum * 1_000_000)),
        hit,
        largest,
        Concentration.topShare(taken, 10),
        Concentration.gini(taken),
        Concentration.lorenz(taken, 101));
  }

  private static Decimal money(long micros) {
    return Decimal.ofUnits(micros, 6);
  }
}
