package dev.backstop.core.testing;

import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.TestInfo;

/**
 * Runs a property body once per seed. The seeds derive from a fixed base seed, so every run checks
 * the same cases. Two system properties, passed through by Surefire, change that: {@code
 * backstop.seed} runs the single seed a failure reported, and {@code backstop.tries} multiplies the
 * number of tries (a positive factor, e.g. 10 or 0.1).
 *
 * <p>A failure names its seed and the Maven command that reruns it, keeps the original failure as
 * its cause, and includes the shrunk input of a {@link Counterexample}.
 */
public final class Tries {

  /** The base seed of every property's tries. */
  static final long BASE_SEED = 0x5EED_BAC5_7009L;

  private Tries() {}

  /** Runs {@code body} with each try's seed; {@code test} names the test to rerun. */
  public static void forAll(TestInfo test, int tries, LongConsumer body) {
    String name =
        test.getTestClass().orElseThrow().getSimpleName()
            + "#"
            + test.getTestMethod().orElseThrow().getName();
    check(
        name,
        seeds(tries, System.getProperty("backstop.seed"), System.getProperty("backstop.tries")),
        body);
  }

  /**
   * The seeds to try: {@code seed} alone if it is set, otherwise {@code tries} times {@code scale}
   * (at least one) seeds from the base seed. Empty strings count as unset.
   */
  static long[] seeds(int tries, String seed, String scale) {
    if (seed != null && !seed.isEmpty()) {
      return new long[] {Long.parseLong(seed)};
    }
    double factor = scale == null || scale.isEmpty() ? 1 : Double.parseDouble(scale);
    if (!(factor > 0)) {
      throw new IllegalArgumentException("backstop.tries must be a positive factor: " + scale);
    }
    // One draw after another, so that more tries extend the default ones.
    SplittableRandom random = new SplittableRandom(BASE_SEED);
    long[] seeds = new long[Math.toIntExact(Math.max(1, Math.round(tries * factor)))];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = random.nextLong();
    }
    return seeds;
  }

  /** Runs {@code body} for each seed and stops at the first failure, reported for {@code test}. */
  static void check(String test, long[] seeds, LongConsumer body) {
    for (int i = 0; i < seeds.length; i++) {
      try {
        body.accept(seeds[i]);
      } catch (AssertionError | RuntimeException e) {
        throw report(test, seeds[i], i, seeds.length, e);
      }
    }
  }

  private static AssertionError report(String test, long seed, int i, int tries, Throwable e) {
    Throwable original = e instanceof Counterexample ? e.getCause() : e;
    String shrunk = e instanceof Counterexample ? e.getMessage() + "\n" : "";
    String message =
        """
        %s failed on try %d of %d, seed %d:
        %s
        %sReproduce with: ./mvnw -pl backstop-core test -Dtest=%s -Dbackstop.seed=%d"""
            .formatted(test, i + 1, tries, seed, original, shrunk, test, seed);
    return new AssertionError(message, original);
  }
}
