package dev.backstop.sim.run;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.replay.ReplayResult;
import java.util.List;

/**
 * Everything one {@code backstop simulate} run measured: the scenario, the price path every policy
 * saw, one {@link PolicyResult} per policy (in the order asked for), and the real-population replay
 * when its data was found. Deterministic: the same scenario and seed give an equal result.
 *
 * @param scenario the scenario's name
 * @param description what the scenario models and what it is calibrated to
 * @param seed the seed of the population and the synthetic price path
 * @param market the simulated market's name
 * @param accounts the number of trader accounts in the book
 * @param openInterest the book's open interest at the start: its long size, exact, in contracts
 * @param path the mark prices fed to every run
 * @param policies one result per policy, in the order asked for
 * @param replay the real-population replay, or null when its data was not found or not asked for
 */
public record SimulationResult(
    String scenario,
    String description,
    long seed,
    String market,
    int accounts,
    Decimal openInterest,
    PathSeries path,
    List<PolicyResult> policies,
    ReplayResult replay) {

  /** Copies the list. */
  public SimulationResult {
    policies = List.copyOf(policies);
  }

  /**
   * The price path as fed to the engine.
   *
   * @param times milliseconds from the start of the path
   * @param marks mark prices, one per time
   * @param depths the order book's depth within 1% of mark (dollars) at each time
   */
  public record PathSeries(long[] times, double[] marks, double[] depths) {}
}
