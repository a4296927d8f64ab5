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
 * A venue's everyday mix through the engine, beside the {@code n} accounts: 70% trades of 0.01 BTC
 * at 100,000 between two of 1,000 funded traders drawn at random, 25% deposits of 1.00 into one of
 * them, 5% quiet price ticks (100,000 and 100,050 in turn), from a fixed cycle of 65,536 commands
 * drawn once with a fixed seed. The baseline applies the same cycle to hash maps: two lookups and a
 * fill's updates for a trade, a lookup and an addition for a deposit, a field write for a tick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MixBench {
  @Param({"10000", "100000"})
  public int n;

  private static final int CYCLE = 1 << 16;

  private Engine engine;
  private final Map<String, long[]> accounts = new HashMap<>();
  private Command[] commands;
  private int next;
  private long mark;

  /** Builds the engine with the traders funded, the maps, and the cycle of commands. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, false, 0);
    Fixtures.fundTraders(engine);
    for (int i = 0; i < n; i++) {
      accounts.put(Fixtures.name(i), new long[] {Fixtures.collateral(i, 0) * 100, 100, 0});
    }
    for (int t = 0; t < Fixtures.TRADERS; t++) {
      accounts.put("t" + t, new long[] {100_000_000_000L, 0, 0});
    }
    commands = new Command[CYCLE];
    Fixtures.MixStep[] steps = Fixtures.mix(CYCLE);
    for (int k = 0; k < CYCLE; k++) {
      Fixtures.MixStep step = steps[k];
      commands[k] =
          switch (step.kind()) {
            case 't' ->
                Fixtures.trade(
                    Fixtures.BTC, "t" + step.buyer(), "t" + step.seller(), "0.01", "100000");
            case 'd' -> new Command.Deposit("t" + step.buyer(), Decimal.parse("1"), Fixtures.CROSS);
            default -> Fixtures.price(Fixtures.BTC, step.high() ? "100050" : "100000");
          };
    }
  }

  private Command next() {
    Command c = commands[next];
    next = (next + 1) & (CYCLE - 1);
    return c;
  }

  /** One command of the mix. */
  @Benchmark
  public Object measured() {
    return Fixtures.ok(engine, next());
  }

  /** The same command on the maps. */
  @Benchmark
  public long baseline() {
    return switch (next()) {
      case Command.Trade t ->
          Fixtures.fillOnMaps(accounts.get(t.buyer()), accounts.get(t.seller()));
      case Command.Deposit d -> {
        long[] cash = accounts.get(d.account());
        cash[0] += 100;
        yield cash[0];
      }
      case Command.SetPrice p -> {
        mark = p.mark().unscaled();
        yield mark;
      }
      default -> throw new IllegalStateException("not in the mix");
    };
  }
}
