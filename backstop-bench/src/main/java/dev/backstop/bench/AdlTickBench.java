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
 * A tick that deleverages one bankrupt position against the {@code n} winners of the other side:
 * account {@code loser} is short 0.02 BTC at 101,000 with 100 of collateral (bankrupt at 106,000),
 * BitMEX's preset without an insurance fund, and the tick to 107,000 leaves its close beyond the
 * book's limit, so the queue closes it against the two top-ranked longs (two fills). The baseline
 * computes the same side's scores and sorts them, as a deleveraging that ranks from scratch does.
 * Each invocation's setup, not timed, puts the mark back, lets the book's depth return, and reopens
 * the loser and the two longs it closed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdlTickBench {
  @Param({"10000", "100000"})
  public int n;

  private static final String LOSER = "loser";

  private Engine engine;
  private Fixtures.Arrays arrays;
  private long[] scores;
  private long clock;
  private final List<Event.Offsetting> closed = new ArrayList<>();
  private boolean loserOpen;

  /** Builds the engine, without a fund, and the arrays. */
  @Setup(Level.Trial)
  public void setup() {
    engine = Fixtures.engine(n, false, 0, "0");
    arrays = new Fixtures.Arrays(n, false, 0);
    scores = new long[n];
  }

  /** The mark back at 101,000, the depth back, and the loser and its counterparties reopened. */
  @Setup(Level.Invocation)
  public void reopen() {
    clock = Fixtures.beforeDeleveraging(engine, clock, closed);
    if (!loserOpen) {
      Fixtures.ok(engine, new Command.Deposit(LOSER, Decimal.parse("100"), Fixtures.CROSS));
      Fixtures.ok(engine, Fixtures.trade(Fixtures.BTC, "book", LOSER, "0.02", "101000"));
      loserOpen = true;
    }
  }

  /** The deleveraging tick; fails unless it made exactly two deleveraging fills. */
  @Benchmark
  public int measured() {
    List<Event> events = Fixtures.ok(engine, Fixtures.price(Fixtures.BTC, "107000"));
    loserOpen = false;
    int fills = Fixtures.offsettingFills(events, closed);
    if (fills != 2) {
      throw new IllegalStateException("deleveraged " + fills + " fills, expected 2");
    }
    return fills;
  }

  /** The side's scores at 107,000, then a sort. */
  @Benchmark
  public long baseline() {
    return arrays.sortedScores(107_000_00L, scores);
  }
}
