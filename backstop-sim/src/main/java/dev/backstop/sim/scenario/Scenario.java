package dev.backstop.sim.scenario;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.path.SyntheticPathSpec;
import java.util.List;

/**
 * A crash scenario: one market, a population of traders, a price path, a liquidity model, the
 * insurance fund and the policies to compare. Read from JSON or YAML by {@link ScenarioReader}; the
 * fields are documented in {@code docs/scenarios.md}. Every policy runs on the same book, path and
 * seed.
 *
 * @param name a short name
 * @param description what the scenario models and the public figures it is calibrated to
 * @param seed seeds the population and the synthetic path
 * @param market the simulated market
 * @param insuranceFund the fund's balance at the start, dollars
 * @param population the traders
 * @param pricePath the marks fed to the engine
 * @param liquidity who takes liquidation closes, and how the book thins in a crash
 * @param policies the policies to compare; empty for every applicable one
 */
public record Scenario(
    String name,
    String description,
    long seed,
    MarketSpec market,
    Decimal insuranceFund,
    PopulationSpec population,
    PathSpec pricePath,
    LiquidityModel liquidity,
    List<String> policies) {

  /** The fewest accounts of a synthetic population: one winner and one loser at least. */
  public static final int MIN_ACCOUNTS = 2;

  /** The most accounts of a synthetic population: a stress test that fits a laptop's memory. */
  public static final int MAX_ACCOUNTS = 2_000_000;

  /** Copies the list; an absent list means every applicable policy. */
  public Scenario {
    policies = policies == null ? List.of() : List.copyOf(policies);
  }

  /** The same scenario with another seed. */
  public Scenario withSeed(long newSeed) {
    return new Scenario(
        name,
        description,
        newSeed,
        market,
        insuranceFund,
        population,
        pricePath,
        liquidity,
        policies);
  }

  /** The same scenario with a population of another size (synthetic populations only). */
  public Scenario withAccounts(int accounts) {
    if (population.synthetic() == null) {
      throw new IllegalArgumentException("--accounts needs a synthetic population");
    }
    SyntheticPopulation s = population.synthetic();
    SyntheticPopulation resized =
        new SyntheticPopulation(
            accounts, s.equity(), s.leverage(), s.longShare(), s.entry(), s.maxProfitShare());
    return new Scenario(
        name,
        description,
        seed,
        market,
        insuranceFund,
        new PopulationSpec(resized, null),
        pricePath,
        liquidity,
        policies);
  }

  /**
   * The market every policy trades: a base preset (risk tiers, fees, liquidation mode) whose
   * backstop each policy replaces.
   *
   * @param name the market's name
   * @param preset the base preset's name
   */
  public record MarketSpec(String name, String preset) {}

  /**
   * Exactly one of a synthetic generator and a CSV file.
   *
   * @param synthetic the generator, or null
   * @param csv a population file (relative to the scenario file), or null
   */
  public record PopulationSpec(SyntheticPopulation synthetic, String csv) {}

  /**
   * A seeded population. Each trader has an equity at the start drawn from {@code equity}, a
   * leverage at the start from {@code leverage} (capped below the market's limit), a side, and an
   * entry price from {@code entry}; the deposit is what makes the equity at the start price come
   * out right.
   *
   * @param accounts how many traders
   * @param equity log-normal equity at the start, dollars
   * @param leverage log-normal leverage at the start
   * @param longShare the share of traders that are long
   * @param entry the entry price relative to the start: log-normal, {@code mean} and {@code sigma}
   *     of {@code ln(entry / start)}
   * @param maxProfitShare the largest unrealized profit at the start as a share of equity (keeps
   *     every deposit positive), in (0, 1)
   */
  public record SyntheticPopulation(
      int accounts,
      LogNormal equity,
      LogNormal leverage,
      double longShare,
      Normal entry,
      double maxProfitShare) {}

  /**
   * A log-normal distribution by its median and the standard deviation of its log, clipped to [min,
   * max].
   */
  public record LogNormal(double median, double sigma, double min, double max) {}

  /** A normal distribution. */
  public record Normal(double mean, double sigma) {}

  /**
   * Exactly one of a synthetic path and a klines file.
   *
   * @param synthetic a seeded synthetic path, or null
   * @param klines a 1-minute klines CSV (relative to the scenario file), or null
   */
  public record PathSpec(SyntheticPathSpec synthetic, String klines) {}

  /**
   * Who takes liquidation closes. Order-book policies close into the book's maker ladder (the
   * makers' account, holding {@code makerCapital}, rests {@code depth} within 1% of mark, 50 levels
   * 0.1% apart from the half spread), which liquidations consume, which replenishes with a
   * half-life of {@code halfLife} seconds, and which the makers thin as the crash deepens: {@code
   * depth * (1 - thinning * drawdown / maxDrawdown)}, where drawdown is the fall from the path's
   * running peak and maxDrawdown the path's largest. What the book cannot fill goes to the
   * insurance fund's takeover, then to the policy. Pool venues (GMX, Tradoor) close against an LP
   * holding {@code lpCapital}.
   *
   * @param depth notional within 1% of mark on each side at the start, dollars
   * @param halfSpread half the bid-ask spread (0.0001 = 1 bp)
   * @param halfLife the half-life of consumed depth, seconds, positive
   * @param thinning the share of depth gone at the path's deepest point, in [0, 1)
   * @param lpCapital the LP's capital on pool venues, dollars
   * @param makerCapital the capital of the makers who took the population's trades, dollars
   */
  public record LiquidityModel(
      Decimal depth,
      double halfSpread,
      double halfLife,
      double thinning,
      Decimal lpCapital,
      Decimal makerCapital) {}
}
