package dev.backstop.bench;

import dev.backstop.core.command.Command;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.event.Event;
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
import java.util.List;
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
 * One tick that bankrupts {@code k} positions at once and deleverages each against the {@code n}
 * winners of the other side: {@link AdlTickBench}'s loser {@code k} times over (each short 0.02 BTC
 * at 101,000 with 100 of collateral, BitMEX's preset without an insurance fund, the tick to 107,000
 * beyond the book's limit), so that the queue makes two fills for each, {@code 2k} in all. What a
 * crash tick costs when the engine reads the side once per tick rather than once per bankruptcy.
 * The baseline is {@code k} times what one deleveraging that ranks from scratch does: the side's
 * scores and a sort. Each invocation's setup, not timed, puts the mark back, reopens the losers and
 * puts the longs they closed back as they were.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdlBurstBench {
  @Param({"100000", "10000"})
  public int n;

  @Param({"100", "10"})
  public int k;

  private Engine engine;
  private Fixtures.Arrays arrays;
  private long[] scores;
  private long clock;
  private final List<Event.Offsetting> closed = new ArrayList<>();
  private boolean losersOpen;

  /** Builds the engine, without a fund, and the arrays. */
  @Setup(Level.Trial)
  public void setup() {
    engine = Fixtures.engine(n, false, 0, "0");
    arrays = new Fixtures.Arrays(n, false, 0);
    scores = new long[n];
  }

  /** The mark back at 101,000, and the losers and their counterparties reopened. */
  @Setup(Level.Invocation)
  public void reopen() {
    clock = Fixtures.beforeDeleveraging(engine, clock, closed);
    if (!losersOpen) {
      for (int i = 0; i < k; i++) {
        String loser = "loser-" + i;
        Fixtures.ok(engine, new Command.Deposit(loser, Decimal.parse("100"), Fixtures.CROSS));
        Fixtures.ok(engine, Fixtures.trade(Fixtures.BTC, "book", loser, "0.02", "101000"));
      }
      losersOpen = true;
    }
  }

  /** The tick; fails unless it made exactly two deleveraging fills per loser. */
  @Benchmark
  public int measured() {
    List<Event> events = Fixtures.ok(engine, Fixtures.price(Fixtures.BTC, "107000"));
    losersOpen = false;
    int fills = Fixtures.offsettingFills(events, closed);
    if (fills != 2 * k) {
      throw new IllegalStateException("deleveraged " + fills + " fills, expected " + 2 * k);
    }
    return fills;
  }

  /** {@code k} times the side's scores at 107,000 and a sort. */
  @Benchmark
  public long baseline() {
    long sum = 0;
    for (int i = 0; i < k; i++) {
      sum += arrays.sortedScores(107_000_00L, scores);
    }
    return sum;
  }
}
