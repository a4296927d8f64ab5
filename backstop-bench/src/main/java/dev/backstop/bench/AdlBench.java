package dev.backstop.bench;

import dev.backstop.core.command.Command;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.num.Decimal;
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
 * The ADL ranking of BTC-PERP's {@code n} + 1 positions (BitMEX's queue: profit ratio times
 * leverage), against computing the same {@code n} scores into an array and sorting it. The engine
 * caches a ranking per state, so each measured call first deposits 0.01 into an account of its own
 * (a command of a few microseconds, see {@link DepositBench}) to make a new state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdlBench {
  @Param({"10000", "100000"})
  public int n;

  private Engine engine;
  private Fixtures.Arrays arrays;
  private long[] scores;
  private final Command touch = new Command.Deposit("touch", Decimal.parse("0.01"), Fixtures.CROSS);

  /** Builds the engine, in profit at 101,000, and the arrays. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, false, 0);
    Fixtures.ok(engine, Fixtures.price(Fixtures.BTC, "101000"));
    arrays = new Fixtures.Arrays(n, false, 0);
    scores = new long[n];
  }

  /** A new state, then its ranking. */
  @Benchmark
  public Object measured() {
    Fixtures.ok(engine, touch);
    return engine.adlRanking(Fixtures.BTC);
  }

  /** Each score (profit over collateral times notional over collateral, in ppm), then a sort. */
  @Benchmark
  public long baseline() {
    return arrays.sortedScores(101_000_00L, scores);
  }
}
