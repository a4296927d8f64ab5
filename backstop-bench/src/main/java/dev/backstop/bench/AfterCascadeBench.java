package dev.backstop.bench;

import dev.backstop.core.command.Command;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.event.Event;
import dev.backstop.core.num.Decimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * {@link DepositBench}'s deposits, made after a cascade: in setup, a tick to 99,000 liquidates the
 * weak half of the {@code n} accounts in one command (the book fills the first, the insurance fund
 * takes the others over). A command's cost must not keep what the largest command before it
 * touched: the working sets a cascade fills are emptied for every later command. Against the same
 * hash-map lookup and addition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AfterCascadeBench {
  @Param({"10000", "100000"})
  public int n;

  private Engine engine;
  private final Map<String, long[]> accounts = new HashMap<>();
  private Command.Deposit[] deposits;
  private int next;

  /** Builds the engine, runs the cascade, makes one deposit command per account. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, false, n / 2);
    Set<String> closed = new HashSet<>();
    for (Event e : Fixtures.ok(engine, Fixtures.price(Fixtures.BTC, "99000"))) {
      if (e instanceof Event.PositionChanged p && p.size().signum() == 0) {
        closed.add(p.account());
      }
    }
    // The book fills the first weak accounts, the insurance fund takes the others over.
    if (closed.size() < n / 2) {
      throw new IllegalStateException("the cascade closed " + closed.size() + " of " + n / 2);
    }
    deposits = new Command.Deposit[n];
    for (int i = 0; i < n; i++) {
      deposits[i] = new Command.Deposit(Fixtures.name(i), Decimal.parse("1"), Fixtures.CROSS);
      accounts.put(Fixtures.name(i), new long[] {Fixtures.collateral(i, 0) * 100});
    }
  }

  /** One deposit after the cascade. */
  @Benchmark
  public Object measured() {
    Command.Deposit d = deposits[next];
    next = next + 1 == deposits.length ? 0 : next + 1;
    return Fixtures.ok(engine, d);
  }

  /** The lookup and the addition. */
  @Benchmark
  public long baseline() {
    Command.Deposit d = deposits[next];
    next = next + 1 == deposits.length ? 0 : next + 1;
    long[] cash = accounts.get(d.account());
    cash[0] += 100;
    return cash[0];
  }
}
