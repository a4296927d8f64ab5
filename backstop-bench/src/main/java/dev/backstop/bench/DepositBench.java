package dev.backstop.bench;

import dev.backstop.core.command.Command;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.num.Decimal;
import java.util.HashMap;
import java.util.Map;
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
 * Deposit commands per second into an existing account among {@code n} (account {@code i} in turn,
 * 1.00 each), against a hash-map lookup by name and an addition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DepositBench {
  @Param({"10000", "100000"})
  public int n;

  private Engine engine;
  private final Map<String, long[]> accounts = new HashMap<>();
  private Command.Deposit[] deposits;
  private int next;

  /** Builds the engine, the map and one deposit command per account. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, false, weak());
    before(engine);
    deposits = new Command.Deposit[n];
    for (int i = 0; i < n; i++) {
      deposits[i] = new Command.Deposit(Fixtures.name(i), Decimal.parse("1"), Fixtures.CROSS);
      accounts.put(Fixtures.name(i), new long[] {Fixtures.collateral(i, 0) * 100});
    }
  }

  /** How many of the {@code n} accounts are weak ({@link Fixtures#collateral}): none here. */
  int weak() {
    return 0;
  }

  /** What the engine goes through before the deposits are timed: nothing here. */
  void before(Engine built) {}

  /** One deposit. */
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
