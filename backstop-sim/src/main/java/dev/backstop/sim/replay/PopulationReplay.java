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
 * The real-population replay: the same total clawback shared over the same real winners by each
 * allocation policy, compared on concentration. The winners are the users deleveraged on
 * Hyperliquid on 2025-10-10 ({@link RealPopulation}); the per-user file sums each user's
 * deleveraging over the whole event, so the replay is one round that shares the event's total at
 * once, not wave by wave.
 *
 * <p><b>Budget.</b> By default the total that Hyperliquid's production queue took over the 16 waves
 * of the event: the sum of {@code budget_prod} in {@value #WAVES_FILE} (Chitra, Thogiti, Trujillo
 * Ramirez, Xu, "Autodeleveraging as Online Learning", arXiv 2602.15182), read from the same folder,
 * about 60,108,335.33 dollars, rounded up to the micro-dollar. It is what was actually taken from
 * these winners, so every policy is asked to take the same amount and only the way it is shared
 * differs. (The budget that was needed, {@code budget_needed}, is about a quarter of it.) Without
 * that file the budget must be given.
 *
 * <p><b>Policies.</b> By their {@link AllocationPolicies} names, each run with {@link
 * Allocator#allocate} in {@link AllocationMode#BUDGET} mode: {@code queue} and {@code queue-full}
 * ranked by Hyperliquid's score (supplied by the population; {@link QueueScore#HYPERLIQUID}),
 * {@code rap} with {@code g(l) = 1}, {@code random} from an explicit seed visiting every winner
 * (dYdX's limit of 500 accounts applies to one deleveraging in one block; here it would leave most
 * of the budget unallocated). Policies that only allocate a size in lots ({@code
 * contract-pro-rata}, {@code water-filling}) need positions, which the per-user file does not have:
 * they are {@link #notApplicable()} and refused if asked for.
 *
 * <p><b>Measures</b> per policy ({@link ReplayRow}), over every winner, zeros included: what was
 * taken ({@code queue-full} closes whole capacities and may take more than the budget; a policy
 * takes less only when the budget exceeds the total capacity), accounts hit ({@code x_i > 0}), the
 * largest burden {@code max_i x_i / u_i} ({@link Allocation#maxBurden()}, rounded up at rate
 * scale), and, on the amounts in dollars, the share of the ten largest ({@link
 * Concentration#topShare}), the Gini coefficient ({@link Concentration#gini}) and the Lorenz curve
 * at {@value #LORENZ_POINTS} points ({@link Concentration#lorenz}). Deterministic: the same file,
 * budget, policies and seed give the same result.
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
   * default policy} and the production queue's total as the budget.
   *
   * @throws NoSuchFileException if {@value #WAVES_FILE} is absent (then give the budget)
   * @throws IOException if a file cannot be read or is malformed
   */
  public static ReplayResult run(Path folder) throws IOException {
    return run(folder, productionBudget(folder));
  }

  /**
   * Replays {@value RealPopulation#FILE_NAME} in {@code folder} with every {@link #DEFAULT_POLICIES
   * default policy} and the given budget.
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
    Path file = folder.resolve(WAVES_FILE);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "no per-wave file to take the budget from; give the budget");
    }
    WaveFile waves = WaveFile.read(file);
    BigDecimal total = BigDecimal.ZERO;
    for (int t = 0; t < waves.waveCount(); t++) {
      total = total.add(new BigDecimal(waves.budget(WaveFile.PRODUCTION, t)));
    }
    return Units.round(total, Fixed.MONEY_DECIMALS, RoundingMode.CEILING);
  }

  /**
   * Shares {@code budget} over the population's winners with each of {@code policies}.
   *
   * @param budget micro-dollars, {@code >= 0}
   * @param policies {@link AllocationPolicies} names, each allocating by budget; rows come in this
   *     order
   * @param seed the seed of {@code random}
   * @throws IllegalArgumentException for an unknown policy, or one that does not allocate by budget
   */
  public static ReplayResult replay(
      RealPopulation population, long budget, List<String> policies, long seed) {
    if (budget < 0) {
      throw new IllegalArgumentException("budget must not be negative: " + budget);
    }
    CandidateBook book = population.book();
    List<ReplayRow> rows = new ArrayList<>();
    for (String name : policies) {
      AllocationPolicy policy = policy(name, seed, book.count());
      if (!policy.supports(AllocationMode.BUDGET)) {
        throw new IllegalArgumentException(
            "policy "
                + name
                + " does not allocate by budget: it closes a size in lots, and this population"
                + " has no positions");
      }
      rows.add(row(name, Allocator.allocate(policy, book, AllocationMode.BUDGET, budget)));
    }
    return new ReplayResult(
        population.source(),
        population.winners(),
        Units.money(population.capacity()),
        Units.money(budget),
        rows);
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

  private static ReplayRow row(String name, Allocation allocation) {
    double[] amounts = new double[allocation.count()];
    for (int i = 0; i < amounts.length; i++) {
      amounts[i] = Fixed.toDouble(allocation.amount(i), Fixed.MONEY_DECIMALS);
    }
    return new ReplayRow(
        name,
        Units.money(allocation.taken()),
        allocation.accountsHit(),
        Fixed.toDouble(allocation.maxBurden(), Fixed.RATE_DECIMALS),
        Concentration.topShare(amounts, TOP),
        Concentration.gini(amounts),
        Concentration.lorenz(amounts, LORENZ_POINTS));
  }
}
