package dev.backstop.sim.paper;

import dev.backstop.core.adl.allocation.Allocation;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.Allocator;
import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import dev.backstop.core.num.Fixed;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-wave counterfactual of an ADL episode, recomputed with Backstop's own allocators ({@link
 * Allocator#allocate} in {@link AllocationMode#BUDGET} mode) beside the columns a {@link WaveFile}
 * gives precomputed.
 *
 * <p><b>Inputs, read.</b> Per wave {@code t} the file gives the needed budget {@code B_t} ({@code
 * budget_needed}), the deficit {@code D_t} ({@code deficit_usd}) and the total capacity {@code U_t}
 * ({@code total_cap}, required here). The shared data has no per-account capacities per wave, no
 * per-coin gap per contract and no winner positions; the only per-account figures are the real
 * winners' realised ADL PnL pooled over the whole event ({@code adl_by_user.csv}), given here as a
 * {@link CandidateBook}.
 *
 * <p><b>Recomputed.</b> Each wave's capacity {@code U_t} is split among the winners in proportion
 * to their pooled capacities (the one assumption: the wave's winners are shaped like the event's),
 * and each policy of {@link #POLICIES} shares {@code B_t} over that split, each wave on its own, as
 * the paper's counterfactuals do (arXiv 2602.15182, section 5: every wave's benchmark targets its
 * own {@code B_t}). Measured per wave: the budget taken {@code H_t} and the largest burden {@code
 * m_t = max_i x_i / u_i}, normalised by capacity as the papers define it.
 *
 * <p><b>Where the inputs are the same.</b> Continuous wealth pro rata's {@code H_t = min(B_t, U_t)}
 * and {@code m_t = H_t / U_t} depend on {@code B_t} and {@code U_t} alone, however the capacity is
 * split, and so does the least possible largest burden {@code B_t / U_t} (the min-max optimum is
 * pro rata: Appendix C, Proposition 9). So Backstop's {@code pro-rata} must give the file's {@code
 * budget_pr} and {@code budget_pr / total_cap}, and Backstop's {@code min-max} must reach {@code
 * B_t / U_t}, each within {@link #BUDGET_TOLERANCE} and {@link #BURDEN_TOLERANCE}. The other
 * columns of the file are not comparable: the integer contract policies ({@code contract_pr},
 * {@code vector}, the min-max integer program {@code fixed_point_ilp_integer}) need the per-coin
 * gap per contract and the winners' positions, {@code pnl_pr} and {@code eq_pr} the per-wave PnL
 * and equities, and {@code prod} is the realised queue on the real positions; their {@code
 * max_pct_X} is normalised by equity besides. Backstop's queues, RAP and random draw depend on the
 * split, which the data does not give: they are shown, not matched.
 *
 * <p><b>Arithmetic.</b> The allocators are exact integer rules; here they run on shares of the
 * wave's capacity: the winners' capacities are put on a grid of {@value #UNITS} units summing to
 * exactly {@code U_t} (floor, then the remainder by largest fractional part, ties by candidate id),
 * and the target is {@code ceil(B_t / U_t * UNITS)} units. One unit is at most {@code U_t / 10^17}
 * dollars (below 10^-8 dollars on 2025-10-10), and one unit over the smallest winner's share moves
 * a burden by at most 10^-5 there, hence the tolerances. Amounts are then in dollars, as doubles:
 * these are statistics, not money movements. Deterministic: the same file, book and seed give the
 * same result.
 */
public final class WaveCounterfactual {

  /** The policies recomputed: every {@link AllocationPolicies} policy that allocates by budget. */
  public static final List<String> POLICIES =
      List.of("queue", "queue-full", "pro-rata", "rap", "min-max", "random");

  /** Backstop's wealth pro rata, compared with the file's {@value WaveFile#WEALTH_PRO_RATA}. */
  public static final String PRO_RATA = "pro-rata";

  /** Backstop's exact min-max burden, compared with {@code B_t / U_t}. */
  public static final String MIN_MAX = "min-max";

  /** Units of the share grid each wave's capacity is split on. */
  public static final long UNITS = 100_000_000_000_000_000L;

  /** How far a recomputed budget may be from the file's where the inputs are the same, dollars. */
  public static final double BUDGET_TOLERANCE = 1e-6;

  /** How far a recomputed largest burden may be from the file's where the inputs are the same. */
  public static final double BURDEN_TOLERANCE = 1e-5;

  /**
   * One policy's allocation in one wave.
   *
   * @param budget {@code H_t}, what it took, dollars
   * @param largestBurden {@code m_t = max_i x_i / u_i}, by capacity, rounded up at rate scale
   * @param accountsHit winners it took something from
   */
  public record Cell(double budget, double largestBurden, int accountsHit) {}

  /**
   * One wave: what was read, and each policy's recomputed allocation.
   *
   * @param label the wave's name in the file
   * @param needed {@code B_t}, read
   * @param deficit {@code D_t}, read
   * @param capacity {@code U_t}, read
   * @param recomputed per policy of {@link #POLICIES}, in that order
   */
  public record Wave(
      String label, double needed, double deficit, double capacity, Map<String, Cell> recomputed) {

    /** Copies the map, keeping its order. */
    public Wave {
      recomputed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recomputed));
    }

    /** The recomputed allocation of {@code policy}. */
    public Cell cell(String policy) {
      Cell cell = recomputed.get(policy);
      if (cell == null) {
        throw new IllegalArgumentException("no recomputed policy '" + policy + "'");
      }
      return cell;
    }
  }

  private final WaveFile file;
  private final String winnersSource;
  private final int winners;
  private final List<Wave> waves;

  private WaveCounterfactual(WaveFile file, String winnersSource, int winners, List<Wave> waves) {
    this.file = file;
    this.winnersSource = winnersSource;
    this.winners = winners;
    this.waves = List.copyOf(waves);
  }

  /**
   * Recomputes every wave of {@code file} with every policy of {@link #POLICIES}.
   *
   * @param winners the winners whose pooled capacities shape each wave's split; with supplied
   *     scores (or positions) for the queues and leverages for RAP
   * @param winnersSource where the winners were read, for the output
   * @param seed the seed of {@code random} (mixed with the wave's place from the second wave on)
   * @throws IllegalArgumentException if the file has no {@code total_cap} or the book no capacity
   */
  public static WaveCounterfactual compute(
      WaveFile file, CandidateBook winners, String winnersSource, long seed) {
    if (!file.hasTotalCapacity()) {
      throw new IllegalArgumentException(
          "the per-wave counterfactual needs the waves' capacities, column "
              + WaveFile.TOTAL_CAPACITY
              + ", in "
              + file.source());
    }
    CandidateBook shares = shares(winners);
    int withShare = 0;
    for (int i = 0; i < shares.count(); i++) {
      if (shares.capacity(i) > 0) {
        withShare++;
      }
    }
    List<AllocationPolicy> policies = new ArrayList<>();
    for (String name : POLICIES) {
      policies.add(
          AllocationPolicies.byName(
              name,
              QueueScore.HYPERLIQUID,
              RiskWeight.LEVERAGE,
              seed,
              Math.max(shares.count(), 1)));
    }
    List<Wave> out = new ArrayList<>();
    for (int t = 0; t < file.waveCount(); t++) {
      double needed = file.budgetNeeded(t);
      double capacity = file.totalCapacity(t);
      long target = target(needed, capacity);
      Map<String, Cell> cells = new LinkedHashMap<>();
      for (AllocationPolicy policy : policies) {
        AllocationPolicy drawn = t == 0 ? policy : policy.forDraw(t);
        Allocation a = Allocator.allocate(drawn, shares, AllocationMode.BUDGET, target);
        cells.put(
            policy.name(),
            new Cell(
                dollars(a.amountTaken(), capacity),
                Fixed.toDouble(a.maxBurden(), Fixed.RATE_DECIMALS),
                a.accountsHit()));
      }
      out.add(new Wave(file.waveLabel(t), needed, file.deficit(t), capacity, cells));
    }
    return new WaveCounterfactual(file, winnersSource, withShare, out);
  }

  /**
   * The winners with their capacities on the share grid: {@code floor(u_i * UNITS / U)}, the
   * remainder one unit each by largest fractional part, ties by ascending id; equities scaled alike
   * (saturating), leverages and scores as they were.
   */
  static CandidateBook shares(CandidateBook book) {
    int n = book.count();
    BigInteger total = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      total = total.add(BigInteger.valueOf(book.capacity(i)));
    }
    if (total.signum() == 0) {
      throw new IllegalArgumentException("the winners have no capacity to share a wave over");
    }
    BigInteger units = BigInteger.valueOf(UNITS);
    long[] share = new long[n];
    BigInteger[] remainder = new BigInteger[n];
    long given = 0;
    for (int i = 0; i < n; i++) {
      BigInteger[] qr =
          BigInteger.valueOf(book.capacity(i)).multiply(units).divideAndRemainder(total);
      share[i] = qr[0].longValueExact();
      remainder[i] = qr[1];
      given += share[i];
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        (a, b) -> {
          int c = remainder[b].compareTo(remainder[a]);
          return c != 0 ? c : Long.compare(book.id(a), book.id(b));
        });
    for (int k = 0; k < UNITS - given; k++) {
      share[order[k]]++;
    }
    CandidateBook.Builder b = CandidateBook.builder(n);
    BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
    for (int i = 0; i < n; i++) {
      BigInteger equity =
          BigInteger.valueOf(Math.max(book.equity(i), 0)).multiply(units).divide(total).min(max);
      b.add(book.id(i), share[i], equity.longValueExact());
      if (book.leverage(i) > 0) {
        b.leverage(book.leverage(i));
      }
      if (book.hasScores()) {
        b.score(book.score(i));
      }
    }
    return b.build();
  }

  /** {@code ceil(B_t / U_t * UNITS)}, exact from the doubles read; 0 without capacity. */
  private static long target(double needed, double capacity) {
    if (capacity <= 0 || needed <= 0) {
      return 0;
    }
    BigDecimal units =
        new BigDecimal(needed)
            .multiply(BigDecimal.valueOf(UNITS))
            .divide(new BigDecimal(capacity), MathContext.DECIMAL128)
            .setScale(0, RoundingMode.CEILING);
    return units.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact();
  }

  /** Units of the grid as dollars of a wave of capacity {@code capacity}. */
  private static double dollars(long units, double capacity) {
    return units == 0 ? 0 : capacity * ((double) units / UNITS);
  }

  /** The per-wave file the inputs and the precomputed columns were read from. */
  public WaveFile file() {
    return file;
  }

  /** Where the winners were read. */
  public String winnersSource() {
    return winnersSource;
  }

  /** Winners with a share of the capacity. */
  public int winners() {
    return winners;
  }

  /** The waves, in file order. */
  public List<Wave> waves() {
    return waves;
  }

  /** Whether the file has continuous wealth pro rata, the policy {@link #PRO_RATA} matches. */
  public boolean hasFileProRata() {
    return file.policies().contains(WaveFile.WEALTH_PRO_RATA);
  }

  /**
   * The largest gap over the waves between Backstop's {@code pro-rata} budget and the file's {@code
   * budget_pr}, dollars; NaN without that column.
   */
  public double proRataBudgetGap() {
    return largestGap(t -> waves.get(t).cell(PRO_RATA).budget(), WaveFile.WEALTH_PRO_RATA, false);
  }

  /**
   * The largest gap over the waves between Backstop's {@code pro-rata} largest burden and the
   * file's continuous pro rata's by capacity, {@code budget_pr / total_cap}; NaN without that
   * column.
   */
  public double proRataBurdenGap() {
    return largestGap(
        t -> waves.get(t).cell(PRO_RATA).largestBurden(), WaveFile.WEALTH_PRO_RATA, true);
  }

  /**
   * The largest gap over the waves between Backstop's {@code min-max} largest burden and the least
   * possible, {@code B_t / U_t} ({@link WaveFile#minMaxCapacityBurden}).
   */
  public double minMaxBurdenGap() {
    double gap = 0;
    for (int t = 0; t < waves.size(); t++) {
      gap =
          Math.max(
              gap,
              Math.abs(waves.get(t).cell(MIN_MAX).largestBurden() - file.minMaxCapacityBurden(t)));
    }
    return gap;
  }

  /**
   * The largest gap over the waves between Backstop's {@code min-max} budget and {@code min(B_t,
   * U_t)}, dollars.
   */
  public double minMaxBudgetGap() {
    double gap = 0;
    for (Wave w : waves) {
      gap = Math.max(gap, Math.abs(w.cell(MIN_MAX).budget() - Math.min(w.needed(), w.capacity())));
    }
    return gap;
  }

  private double largestGap(
      java.util.function.IntToDoubleFunction recomputed, String column, boolean burden) {
    if (!file.policies().contains(column)) {
      return Double.NaN;
    }
    double gap = 0;
    for (int t = 0; t < waves.size(); t++) {
      double read = burden ? file.capacityBurden(column, t) : file.budget(column, t);
      gap = Math.max(gap, Math.abs(recomputed.applyAsDouble(t) - read));
    }
    return gap;
  }

  /**
   * The online-learning losses of arXiv 2602.15182 (Table 2's columns) of each recomputed policy,
   * with burdens by capacity and the benchmark {@code m_t(minmax)} Backstop's own {@code min-max}
   * allocation of the same wave: tracking {@code sum_t |H_t - B_t|}, fairness {@code sum_t B_t *
   * |m_t - m_t(minmax)|}, total {@code tracking + lambda * fairness}.
   *
   * @param lambda the weight of the fairness cost, finite and {@code >= 0}
   */
  public List<PolicyLoss> losses(double lambda) {
    if (!Double.isFinite(lambda) || lambda < 0) {
      throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
    }
    List<PolicyLoss> rows = new ArrayList<>();
    for (String policy : POLICIES) {
      double tracking = 0;
      double fairness = 0;
      double taken = 0;
      double over = 0;
      double under = 0;
      for (Wave w : waves) {
        Cell c = w.cell(policy);
        double gap = c.budget() - w.needed();
        tracking += Math.abs(gap);
        fairness += w.needed() * Math.abs(c.largestBurden() - w.cell(MIN_MAX).largestBurden());
        taken += c.budget();
        over += Math.max(gap, 0);
        under += Math.max(-gap, 0);
      }
      rows.add(
          new PolicyLoss(
              policy,
              waves.size(),
              tracking,
              fairness,
              tracking + lambda * fairness,
              taken,
              over - under,
              over,
              under));
    }
    return rows;
  }
}
