package dev.backstop.bench;

import dev.backstop.core.engine.Engine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A quiet price tick on BTC-PERP with {@code n} cross accounts each holding BTC-PERP and ETH-PERP
 * (the known slow case), against a rescan of the {@code n} accounts over both positions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CrossTickBench {
  @Param({"10000", "100000"})
  public int n;

  private Engine engine;
  private Fixtures.Arrays arrays;
  private boolean up;

  /** Builds the engine and the same population as arrays. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, true, 0);
    arrays = new Fixtures.Arrays(n, true, 0);
  }

  /** One tick, alternately 100,050 and 100,000. */
  @Benchmark
  public Object measured() {
    up = !up;
    return Fixtures.ok(engine, Fixtures.price(Fixtures.BTC, up ? "100050" : "100000"));
  }

  /** The rescan: every account's excess margin at the new mark, counting those below zero. */
  @Benchmark
  public int baseline() {
    up = !up;
    long mark = up ? 100_050_00L : Fixtures.BTC_PRICE;
    int below = 0;
    for (int i = 0; i < arrays.cash.length; i++) {
      if (arrays.excess(i, mark) < 0) {
        below++;
      }
    }
    return below;
  }
}
