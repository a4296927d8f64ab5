package dev.backstop.bench;

import dev.backstop.core.engine.Engine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A tick to 99,000 that liquidates the {@code k} weak accounts among {@code n} (whole closes into
 * the book, the rest to the insurance fund), against a rescan of the {@code n} positions that finds
 * the {@code k} below maintenance and closes them in the arrays. Before each invocation (not timed)
 * the mark goes back to 100,000 and the {@code k} accounts are reopened.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LiquidationBench {
  @Param({"10000", "100000"})
  public int n;

  @Param({"100"})
  public int k;

  private Engine engine;
  private Fixtures.Arrays arrays;
  private boolean opened = true;
  private long clock;

  /** Builds the engine and the arrays. */
  @Setup(Level.Trial)
  public void setup() {
    engine = Fixtures.engine(n, false, k);
    arrays = new Fixtures.Arrays(n, false, k);
  }

  /**
   * Lets the book's consumed depth come back (ten minutes, ten half-lives), puts the mark back and
   * reopens the liquidated accounts, in both forms.
   */
  @Setup(Level.Invocation)
  public void reopen() {
    clock += 600_000;
    Fixtures.ok(engine, new dev.backstop.core.command.Command.AdvanceTime(clock));
    Fixtures.ok(engine, Fixtures.price(Fixtures.BTC, "100000"));
    if (!opened) {
      for (int i = 0; i < k; i++) {
        Fixtures.open(engine, i, k, false);
      }
      opened = true;
    }
    for (int i = 0; i < k; i++) {
      arrays.cash[i] = Fixtures.WEAK * 100;
      arrays.size[i] = Fixtures.BTC_SIZE;
      arrays.entry[i] = Fixtures.BTC_PRICE;
    }
  }

  /** The liquidating tick; fails unless it liquidated exactly {@code k}. */
  @Benchmark
  public int measured() {
    int liquidated =
        Fixtures.liquidations(Fixtures.ok(engine, Fixtures.price(Fixtures.BTC, "99000")));
    opened = false;
    if (liquidated != k) {
      throw new IllegalStateException("liquidated " + liquidated + ", expected " + k);
    }
    return liquidated;
  }

  /** The rescan at 99,000 and the closes: size to zero, the rest of the cash to a fund total. */
  @Benchmark
  public long baseline() {
    long mark = 99_000_00L;
    long fund = 0;
    int liquidated = 0;
    for (int i = 0; i < arrays.cash.length; i++) {
      if (arrays.size[i] != 0 && arrays.excess(i, mark) < 0) {
        long equity = arrays.cash[i] + arrays.size[i] * (mark - arrays.entry[i]) / 10_000;
        fund += equity;
        arrays.cash[i] = 0;
        arrays.size[i] = 0;
        liquidated++;
      }
    }
    if (liquidated != k) {
      throw new IllegalStateException("liquidated " + liquidated + ", expected " + k);
    }
    return fund;
  }
}
