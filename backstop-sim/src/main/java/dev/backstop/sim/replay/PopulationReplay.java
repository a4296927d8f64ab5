package dev.backstop.sim.replay;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.metrics.Concentration;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.paper.WaveCounterfactual;
import dev.backstop.sim.paper.WaveFile;
import dev.backstop.sim.replay.ReplayResult.ReplayRow;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real-population replay: the same clawback shared over the same real winners by each
 * allocation policy, compared on concentration. The winners are the users deleveraged on
 * Hyperliquid on 2025-10-10 ({@link RealPopulation}); their capacities are the PnL they realised by
 * ADL, summed per user over the whole event (all 16 waves and 162 coins: the per-user file has no
 * per-wave or per-coin breakdown).
 *
 * <p><b>Budgets.</b> Two, each row saying which ({@link ReplayRow#basis()}):
 *
 * <ul>
 *   <li><em>production's total, one round</em> ({@link ReplayResult#rows()}): what Hyperliquid's
 *       production queue took over the 16 waves, the sum of {@code budget_prod} in {@value
 *       #WAVES_FILE}, about 60,108,335.33 dollars, shared at once. It is what was actually taken
 *       from these winners, so only the way it is shared differs; but it is four times what was
 *       needed, and one round where there were 16;
 *   <li><em>needed per wave</em> ({@link ReplayResult#perWave()}): the papers' needed budget {@code
 *       B_t} ({@code budget_needed}; Chitra, Thogiti, Trujillo Ramirez, Xu, arXiv 2602.15182, eq.
 *       6), about 15,079,669.61 dollars in all, one round per wave in wave order, each round
 *       sharing its {@code B_t} over the capacities the earlier rounds left. The capacities are
 *       still the pooled ones; which winners were in which wave is not known.
 * </ul>
 *
 * Each budget is rounded up to the micro-dollar (exact sum of the values read, then one rounding;
 * per wave, each wave's). Without the per-wave file the one-round budget must be given and there is
 * no per-wave replay.
 *
 * <p><b>Policies.</b> By their {@link AllocationPolicies} names, each run with {@link
 * Allocator#allocate} in {@link AllocationMode#BUDGET} mode: {@code queue} and {@code queue-full}
 * ranked by Hyperliquid's score (supplied by the population; {@link QueueScore#HYPERLIQUID}),
 * {@code rap} with {@code g(l) = 1}, {@code random} from an explicit seed (mixed with the round
 * number from the second round on) visiting every winner (dYdX's limit of 500 accounts applies to
 * one deleveraging in one block; here it would leave most of the budget unallocated). Policies that
 * only allocate a size in lots ({@code contract-pro-rata}, {@code water-filling}) need positions,
 * which the per-user file does not have: they are {@link #notApplicable()} and refused if asked
 * for.
 *
 * <p><b>Measures</b> per policy ({@link ReplayRow}), over every winner, zeros included: what was
 * taken ({@code queue-full} closes whole capacities and may take more than the budget; a policy
 * takes less only when the budget exceeds the capacity), accounts hit ({@code x_i > 0} in some
 * round), the largest burden {@code x_{i,t} / u_{i,t}} of any round ({@link
 * Allocation#maxBurden()}, rounded up at rate scale), and, on the amounts summed over the rounds in
 * dollars, the share of the ten largest ({@link Concentration#topShare}), the Gini coefficient
 * ({@link Concentration#gini}) and the Lorenz curve at {@value #LORENZ_POINTS} points ({@link
 * Concentration#lorenz}). Deterministic: the same files, budgets, policies and seed give the same
 * result.
 */
public final class PopulationReplay {

  /** The per-wave file whose {@code budget_prod} column gives the default budget. */
  public static final String WAVES_FILE = "adl_waves_policy_metrics.csv";

  /** The seed of {@code random} (the CLI's default). */
  public static final long DEFAULT_SEED = 0;

  /** Points of each Lorenz curve: every 1% of the winners, from 0 to 1. */
  public static final int LORENZ_POINTS = 101;

  /** How many of the largest amounts the top share counts. */
  public static final int TOP = 10;

  /** Every policy that allocates by budget, in the order of {@link AllocationPolicies#NAMES}. */
  public static final List<String> DEFAULT_POLICIES = byBudget(true);

  private PopulationReplay() {}

  /**
   * Replays {@value RealPopulation#FILE_NAME} in {@code folder} with every {@link #DEFAULT_POLICIES
   * default policy}: production's total in one round, and the needed budgets wave by wave; with the
   * waves' capacities, also the per-wave counterfactual ({@link WaveCounterfactual}, as {@code
   * paper-table --per-wave} computes it, with the same seed).
   *
   * @throws NoSuchFileException if {@value #WAVES_FILE} is absent (then give the budget)
   * @throws IOException if a file cannot be read or is malformed
   */
  public static ReplayResult run(Path folder) throws IOException {
    RealPopulation population = RealPopulation.read(folder.resolve(RealPopulation.FILE_NAME));
    WaveFile waves = waves(folder);
    ReplayResult replay =
        replay(
            population,
            productionBudget(waves),
            neededBudgets(waves),
            DEFAULT_POLICIES,
            DEFAULT_SEED);
    return waves.hasTotalCapacity()
        ? replay.withCounterfactual(
            WaveCounterfactual.compute(waves, population.book(), population.source(), DEFAULT_SEED))
        : replay;
  }

  /**
   * Replays {@value RealPopulation#FILE_NAME} in {@code folder} with every {@link #DEFAULT_POLICIES
   * default policy} and the given budget in one round (no per-wave replay).
   *
   * @param budget micro-dollars, {@code >= 0}
   * @throws IOException if the file cannot be read or is malformed
   */
  public static ReplayResult run(Path folder, long budget) throws IOException {
    RealPopulation population = RealPopulation.read(folder.resolve(RealPopulation.FILE_NAME));
    return replay(population, budget, DEFAULT_POLICIES, DEFAULT_SEED);
  }

  /**
   * The sum of {@code budget_prod} over the waves of {@value #WAVES_FILE} in {@code folder}, in
   * micro-dollars, rounded up (exact sum of the values read, then one rounding).
   *
   * @throws NoSuchFileException if the file is absent
   * @throws IOException if it cannot be read or is malformed
   */
  public static long productionBudget(Path folder) throws IOException {
    return productionBudget(waves(folder));
  }

  /**
   * Each wave's {@code budget_needed} in {@value #WAVES_FILE} in {@code folder}, in micro-dollars,
   * each rounded up.
   *
   * @throws NoSuchFileException if the file is absent
   * @throws IOException if it cannot be read or is malformed
   */
  public static long[] neededBudgets(Path folder) throws IOException {
    return neededBudgets(waves(folder));
  }

  private static WaveFile waves(Path folder) throws IOException {
    Path file = folder.resolve(WAVES_FILE);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "no per-wave file to take the budget from; give the budget");
    }
    return WaveFile.read(file);
  }

  private static long productionBudget(WaveFile waves) {
    BigDecimal total = BigDecimal.ZERO;
    for (int t = 0; t < waves.waveCount(); t++) {
      total = total.add(new BigDecimal(waves.budget(WaveFile.PRODUCTION, t)));
    }
    return Units.round(total, Fixed.MONEY_DECIMALS, RoundingMode.CEILING);
  }

  private static long[] neededBudgets(WaveFile waves) {
    long[] needed = new long[waves.waveCount()];
    for (int t = 0; t < needed.length; t++) {
      needed[t] =
          Units.round(
              new BigDecimal(waves.budgetNeeded(t)), Fixed.MONEY_DECIMALS, RoundingMode.CEILING);
    }
    return needed;
  }

  /**
   * Shares {@code budget} over the population's winners in one round with each of {@code policies};
   * no per-wave replay.
   *
   * @param budget micro-dollars, {@code >= 0}
   * @param policies {@link AllocationPolicies} names, each allocating by budget; rows come in this
   *     order
   * @param seed the seed of {@code random}
   * @throws IllegalArgumentException for an unknown policy, or one that does not allocate by budget
   */
  public static ReplayResult replay(
      RealPopulation population, long budget, List<String> policies, long seed) {
    return replay(population, budget, new long[0], policies, seed);
  }

  /**
   * Shares {@code budget} over the population's winners in one round, and {@code waveBudgets} in
   * one round each, with each of {@code policies}.
   *
   * @param budget micro-dollars, {@code >= 0}
   * @param waveBudgets micro-dollars per wave, each {@code >= 0}, in wave order; empty for no
   *     per-wave replay
   * @param policies {@link AllocationPolicies} names, each allocating by budget; rows come in this
   *     order
   * @param seed the seed of {@code random}
   * @throws IllegalArgumentException for an unknown policy, or one that does not allocate by budget
   */
  public static ReplayResult replay(
      RealPopulation population,
      long budget,
      long[] waveBudgets,
      List<String> policies,
      long seed) {
    if (budget < 0) {
      throw new IllegalArgumentException("budget must not be negative: " + budget);
    }
    long needed = 0;
    for (long b : waveBudgets) {
      if (b < 0) {
        throw new IllegalArgumentException("a wave's budget must not be negative: " + b);
      }
      needed = Math.addExact(needed, b);
    }
    CandidateBook book = population.book();
    List<ReplayRow> rows = new ArrayList<>();
    List<ReplayRow> perWave = new ArrayList<>();
    for (String name : policies) {
      AllocationPolicy policy = policy(name, seed, book.count());
      if (!policy.supports(AllocationMode.BUDGET)) {
        throw new IllegalArgumentException(
            "policy "
                + name
                + " does not allocate by budget: it closes a size in lots, and this population"
                + " has no positions");
      }
      rows.add(rounds(name, "production's total, 1 round", policy, book, new long[] {budget}));
      if (waveBudgets.length > 0) {
        perWave.add(
            rounds(
                name,
                "needed per wave, " + waveBudgets.length + " rounds",
                policy,
                book,
                waveBudgets));
      }
    }
    return new ReplayResult(
        population.source(),
        population.winners(),
        Units.money(population.capacity()),
        Units.money(budget),
        rows,
        waveBudgets.length > 0 ? Units.money(needed) : null,
        perWave);
  }

  /** The policies that do not allocate by budget, in the order of {@link AllocationPolicies}. */
  public static List<String> notApplicable() {
    return byBudget(false);
  }

  private static List<String> byBudget(boolean supported) {
    List<String> names = new ArrayList<>();
    for (String name : AllocationPolicies.NAMES) {
      if (policy(name, DEFAULT_SEED, 1).supports(AllocationMode.BUDGET) == supported) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  private static AllocationPolicy policy(String name, long seed, int winners) {
    return AllocationPolicies.byName(
        name, QueueScore.HYPERLIQUID, RiskWeight.LEVERAGE, seed, Math.max(winners, 1));
  }

  /**
   * Shares each of {@code budgets} in its own round, in order, over the capacities the earlier
   * rounds left; the random policy draws a new start each round after the first.
   */
  private static ReplayRow rounds(
      String name, String basis, AllocationPolicy policy, CandidateBook book, long[] budgets) {
    int n = book.count();
    long[] left = new long[n];
    for (int i = 0; i < n; i++) {
      left[i] = book.capacity(i);
    }
    long[] taken = new long[n];
    long asked = 0;
    long total = 0;
    long largest = 0;
    for (int t = 0; t < budgets.length; t++) {
      CandidateBook round = t == 0 ? book : withCapacities(book, left);
      AllocationPolicy drawn = t == 0 ? policy : policy.forDraw(t);
      Allocation a = Allocator.allocate(drawn, round, AllocationMode.BUDGET, budgets[t]);
      asked = Math.addExact(asked, budgets[t]);
      total = Math.addExact(total, a.amountTaken());
      largest = Math.max(largest, a.maxBurden());
      for (int i = 0; i < n; i++) {
        long x = a.amount(i);
        taken[i] += x;
        left[i] -= x;
      }
    }
    double[] amounts = new double[n];
    int hit = 0;
    for (int i = 0; i < n; i++) {
      amounts[i] = Fixed.toDouble(taken[i], Fixed.MONEY_DECIMALS);
      if (taken[i] > 0) {
        hit++;
      }
    }
    return new ReplayRow(
        name,
        basis,
        budgets.length,
        Units.money(asked),
        Units.money(total),
        hit,
        Fixed.toDouble(largest, Fixed.RATE_DECIMALS),
        Concentration.topShare(amounts, TOP),
        Concentration.gini(amounts),
        Concentration.lorenz(amounts, LORENZ_POINTS));
  }

  /** The book with capacities {@code left} (what earlier rounds left), all else as it was. */
  private static CandidateBook withCapacities(CandidateBook book, long[] left) {
    CandidateBook.Builder b = CandidateBook.builder(book.count());
    for (int i = 0; i < book.count(); i++) {
      b.add(book.id(i), left[i], book.equity(i)).leverage(book.leverage(i));
      if (book.hasScores()) {
        b.score(book.score(i));
      }
    }
    return b.build();
  }
}
