package dev.backstop.sim.run;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.io.FileErrors;
import dev.backstop.sim.num.Units;
import dev.backstop.sim.path.Klines;
import dev.backstop.sim.path.PricePath;
import dev.backstop.sim.path.SyntheticPath;
import dev.backstop.sim.replay.ReplayResult;
import dev.backstop.sim.scenario.Population;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.ScenarioException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs a scenario under each policy on the same book, path and seed, one engine per policy, the
 * policies spread over the machine's cores. The engine itself stays single-threaded; threads live
 * here, in the adapter. The result does not depend on the number of threads.
 */
public final class Simulator {

  /** Hears how the runs progress; called from the worker threads. */
  public interface Progress {
    /** The book is built and the runs start. */
    default void started(int accounts, int points, int policies, int threads) {}

    /** A policy's run has reached {@code percent} of the path. */
    default void advanced(String policy, int percent) {}

    /** A policy's run has finished. */
    default void finished(String policy, long millis) {}
  }

  /**
   * How to run.
   *
   * @param policies the policies to compare, empty for the scenario's list (or every one)
   * @param threads worker threads, 0 for one per available core
   * @param replay computes the real-population replay, or null to skip it
   * @param progress hears progress
   */
  public record Options(
      List<String> policies, int threads, Supplier<ReplayResult> replay, Progress progress) {}

  private Simulator() {}

  /**
   * Runs the scenario.
   *
   * @throws ScenarioException when the scenario's files or values cannot be used
   */
  public static SimulationResult run(Scenario scenario, Options options) {
    List<String> policies = policies(scenario, options.policies());
    Book book = book(scenario);
    Map<String, Integer> traders = new HashMap<>();
    for (int i = 0; i < book.population().size(); i++) {
      if (traders.put(book.population().name(i), i) != null
          || book.population().name(i).equals(PolicyRun.BOOK_ACCOUNT)
          || book.population().name(i).equals(PolicyRun.LP_ACCOUNT)) {
        throw new ScenarioException(
            "trader name '" + book.population().name(i) + "' is repeated or reserved");
      }
    }
    int threads =
        Math.min(
            policies.size(),
            options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors());
    options
        .progress()
        .started(book.population().size(), book.times().length, policies.size(), threads);
    List<PolicyResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<PolicyResult>> futures = new ArrayList<>();
      for (String policy : policies) {
        futures.add(
            pool.submit(
                () -> {
                  long start = System.nanoTime();
                  PolicyResult r =
                      new PolicyRun(book, policy, traders)
                          .run(percent -> options.progress().advanced(policy, percent));
                  options.progress().finished(policy, (System.nanoTime() - start) / 1_000_000);
                  return r;
                }));
      }
      for (int i = 0; i < futures.size(); i++) {
        results.add(result(futures.get(i), policies.get(i), book, threads));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("simulation interrupted", e);
    } finally {
      pool.shutdownNow();
    }
    ReplayResult replay = options.replay() == null ? null : options.replay().get();
    long longLots = 0;
    for (int i = 0; i < book.population().size(); i++) {
      long lots = book.population().lots(i);
      if (lots > 0) {
        longLots = Math.addExact(longLots, lots);
      }
    }
    return new SimulationResult(
        scenario.name(),
        scenario.description(),
        scenario.seed(),
        scenario.market().name(),
        book.population().size(),
        book.base().size(longLots),
        pathSeries(book),
        results,
        replay);
  }

  /**
   * A run's result; a run that failed throws its failure, and one that ran out of memory a {@link
   * ScenarioException} that says so and what to do about it.
   */
  private static PolicyResult result(
      Future<PolicyResult> future, String policy, Book book, int threads)
      throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof OutOfMemoryError) {
        long maxMib = Runtime.getRuntime().maxMemory() >> 20;
        throw new ScenarioException(
            String.format(
                Locale.ROOT,
                "policy %s ran out of memory with %,d accounts, %d %s at once, in a Java heap of"
                    + " at most %,d MiB: a run holds its engine and the undo log of one price step,"
                    + " which grows with the accounts when a policy takes from every winner; give"
                    + " Java more memory (BACKSTOP_JAVA_OPTS=-Xmx18g)%s; docs/performance.md has"
                    + " the figures",
                policy,
                book.population().size(),
                threads,
                threads == 1 ? "run" : "runs",
                maxMib,
                threads == 1 ? "" : " and run one policy at a time (--threads 1)"));
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** The policies to run: the option's, else the scenario's, else every one; checked. */
  public static List<String> policies(Scenario scenario, List<String> asked) {
    List<String> names =
        !asked.isEmpty()
            ? asked
            : !scenario.policies().isEmpty() ? scenario.policies() : Policies.all();
    List<String> checked = new ArrayList<>();
    for (String name : names) {
      String problem = Policies.problem(name);
      if (problem != null) {
        throw new ScenarioException("policy " + name + ": " + problem);
      }
      if (checked.contains(name)) {
        throw new ScenarioException("policy " + name + " is listed twice");
      }
      checked.add(name);
    }
    return checked;
  }

  /** Builds what every run shares: market, path in ticks, depths, population. */
  static Book book(Scenario scenario) {
    MarketConfig base =
        MarketPresets.get(scenario.market().preset(), MarketConfig.DEFAULT_INSURANCE_FUND);
    PricePath path = path(scenario);
    int n = path.size();
    long[] marks = new long[n];
    long tick = Fixed.pow10(base.priceDecimals());
    for (int k = 0; k < n; k++) {
      marks[k] = Math.max(1, Math.round(path.prices()[k] * tick));
    }
    long[] depths = depths(scenario.liquidity(), path);
    Population population =
        scenario.population().synthetic() != null
            ? Population.synthetic(
                scenario.population().synthetic(), base, marks[0], scenario.seed())
            : Population.csv(Path.of(scenario.population().csv()), base);
    return new Book(scenario, base, population, path.times(), marks, depths);
  }

  private static PricePath path(Scenario scenario) {
    Scenario.PathSpec spec = scenario.pricePath();
    try {
      return spec.synthetic() != null
          ? SyntheticPath.generate(spec.synthetic(), scenario.seed())
          : Klines.read(Path.of(spec.klines()));
    } catch (IOException e) {
      throw new ScenarioException(
          "pricePath.klines " + FileErrors.describe(Path.of(spec.klines()), e), e);
    } catch (IllegalArgumentException e) {
      throw new ScenarioException("pricePath.synthetic: " + e.getMessage(), e);
    }
  }

  /**
   * Depth at each point: {@code depth * (1 - thinning * drawdown / maxDrawdown)}, drawdown from the
   * running peak; the full depth on a path that never falls.
   */
  static long[] depths(Scenario.LiquidityModel liquidity, PricePath path) {
    long full = Units.microDollars(liquidity.depth());
    double worst = path.maxDrawdown();
    long[] depths = new long[path.size()];
    double peak = 0;
    for (int k = 0; k < path.size(); k++) {
      peak = Math.max(peak, path.prices()[k]);
      double drawdown = 1 - path.prices()[k] / peak;
      double share = worst > 0 ? 1 - liquidity.thinning() * drawdown / worst : 1;
      depths[k] = Math.max(1, Math.round(full * share));
    }
    return depths;
  }

  private static SimulationResult.PathSeries pathSeries(Book book) {
    int n = book.times().length;
    double[] marks = new double[n];
    double[] depths = new double[n];
    for (int k = 0; k < n; k++) {
      marks[k] = Fixed.toDouble(book.marks()[k], book.base().priceDecimals());
      depths[k] = Fixed.toDouble(book.depths()[k], Fixed.MONEY_DECIMALS);
    }
    return new SimulationResult.PathSeries(book.times().clone(), marks, depths);
  }
}
