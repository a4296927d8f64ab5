package dev.backstop.sim.sweep;

import dev.backstop.sim.run.PolicyMetrics;
import dev.backstop.sim.run.SimulationResult;
import dev.backstop.sim.run.Simulator;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A sensitivity sweep: one scenario parameter over a list of values, every policy at every value,
 * each run in its own engine on the book, path and seed that value gives ({@link Simulator#run}
 * with one policy and one thread). The runs go to a fixed pool of worker threads, one run per task,
 * so the machine's cores stay busy; the engine stays single-threaded and deterministic, and the
 * result is put back in the order of the values and policies, so it is the same whatever the number
 * of threads (a test checks it).
 *
 * <p>Every value is applied and checked before anything runs, so a bad value fails at once, naming
 * the parameter, the field and the value.
 */
public final class Sweep {

  /** The most values one sweep takes. */
  public static final int MAX_VALUES = 200;

  /** Hears how the sweep progresses; called from the worker threads, one call at a time. */
  public interface Progress {
    /** The runs start: {@code values} times {@code policies} of them, on {@code threads}. */
    default void started(int values, int policies, int threads) {}

    /** One run has finished; {@code done} of {@code runs} are. */
    default void finished(double value, String policy, long millis, int done, int runs) {}
  }

  private Sweep() {}

  /**
   * Runs the sweep.
   *
   * @param base the scenario whose parameter varies
   * @param parameter the parameter
   * @param values its values, at least one, at most {@value #MAX_VALUES}, none twice
   * @param policies the policies, empty for the scenario's list (or every one)
   * @param threads worker threads, 0 for one per available core
   * @throws ScenarioException for a value the scenario cannot take, or a failed run
   */
  public static SweepResult run(
      Scenario base,
      SweepParameter parameter,
      List<Double> values,
      List<String> policies,
      int threads,
      Progress progress) {
    if (values.isEmpty() || values.size() > MAX_VALUES) {
      throw new ScenarioException(
          "a sweep takes 1 to " + MAX_VALUES + " values, not " + values.size());
    }
    if (values.stream().distinct().count() != values.size()) {
      throw new ScenarioException("--param " + parameter.wireName() + ": a value is given twice");
    }
    List<Scenario> scenarios = new ArrayList<>();
    for (double value : values) {
      scenarios.add(parameter.apply(base, value));
    }
    List<String> names = Simulator.policies(base, policies);
    int runs = values.size() * names.size();
    int workers =
        Math.min(runs, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    Object lock = new Object();
    int[] done = {0};
    progress.started(values.size(), names.size(), workers);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<PolicyMetrics>> futures = new ArrayList<>();
    try {
      for (int v = 0; v < values.size(); v++) {
        Scenario scenario = scenarios.get(v);
        double value = values.get(v);
        for (String policy : names) {
          futures.add(
              pool.submit(
                  () -> {
                    long start = System.nanoTime();
                    SimulationResult r =
                        Simulator.run(
                            scenario,
                            new Simulator.Options(
                                List.of(policy), 1, null, new Simulator.Progress() {}));
                    synchronized (lock) {
                      progress.finished(
                          value, policy, (System.nanoTime() - start) / 1_000_000, ++done[0], runs);
                    }
                    return r.policies().get(0).metrics();
                  }));
        }
      }
      List<SweepResult.Point> points = new ArrayList<>();
      for (int v = 0; v < values.size(); v++) {
        List<PolicyMetrics> metrics = new ArrayList<>();
        for (int p = 0; p < names.size(); p++) {
          metrics.add(futures.get(v * names.size() + p).get());
        }
        points.add(new SweepResult.Point(values.get(v), metrics));
      }
      return new SweepResult(base.name(), base.description(), parameter, values, names, points);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
