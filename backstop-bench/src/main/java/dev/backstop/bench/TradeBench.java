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
 * Trade commands per second between two funded accounts in a market of {@code n} other accounts
 * (buy and sell of 0.01 at 100,000 in turn), against looking both accounts up by name in a hash map
 * and updating their size, cost and fee.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TradeBench {
  @Param({"10000", "100000"})
  public int n;

  private Engine engine;
  private final Map<String, long[]> accounts = new HashMap<>();
  private boolean buy;
  private final Command.Trade xToY = Fixtures.trade(Fixtures.BTC, "x", "y", "0.01", "100000");
  private final Command.Trade yToX = Fixtures.trade(Fixtures.BTC, "y", "x", "0.01", "100000");

  /** Builds the engine, funds x and y; the same names in the map beside {@code n} others. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, false, 0);
    Fixtures.ok(engine, new Command.Deposit("x", Decimal.parse("1000000000000"), Fixtures.CROSS));
    Fixtures.ok(engine, new Command.Deposit("y", Decimal.parse("1000000000000"), Fixtures.CROSS));
    for (int i = 0; i < n; i++) {
      accounts.put(Fixtures.name(i), new long[] {Fixtures.collateral(i, 0) * 100, 100, 0});
    }
    accounts.put("x", new long[] {10_000_000, 0, 0});
    accounts.put("y", new long[] {10_000_000, 0, 0});
  }

  /** One trade. */
  @Benchmark
  public Object measured() {
    buy = !buy;
    return Fixtures.ok(engine, buy ? xToY : yToX);
  }

  /** Two lookups and the updates of a fill: size, cost, the taker's fee. */
  @Benchmark
  public long baseline() {
    buy = !buy;
    Command.Trade t = buy ? xToY : yToX;
    return Fixtures.fillOnMaps(accounts.get(t.buyer()), accounts.get(t.seller()));
  }
}
