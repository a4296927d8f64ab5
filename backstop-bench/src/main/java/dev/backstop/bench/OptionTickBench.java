package dev.backstop.bench;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.option.Black76;
import dev.backstop.core.option.OptionKind;
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
 * A quiet tick of an option's underlying: {@code n} Omni settlement pools, each user short one ETH
 * call (strike 3000, 30 days, 60%) against the OLP, so {@code 2n} pool sides hold options; they are
 * not in the liquidation index and each is checked against its scenario margin (21 scenarios). The
 * baseline computes the same for the {@code 2n} sides from plain arrays with the same Black-76
 * function: the mark premium and the worst of the 21 scenario premiums, equity less margin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptionTickBench {
  @Param({"1000", "10000"})
  public int n;

  private static final String OPTION = "ETH-C3000";
  private static final long T0 = 1_700_000_000_000L;
  private static final long MONTH = 30L * 24 * 60 * 60 * 1000;
  private static final double YEARS = MONTH / (365.0 * 24 * 60 * 60 * 1000);
  private static final double[] MOVES = {-0.15, -0.10, -0.05, 0, 0.05, 0.10, 0.15};
  private static final double[] VOL_FACTORS = {0.75, 1, 1.25};

  private Engine engine;
  private double[] collateral;
  private double[] size;
  private boolean up;

  /** The pools, each user short one call at the mark premium 205.62, and the same as arrays. */
  @Setup
  public void setup() {
    engine = new Engine();
    Fixtures.ok(engine, new Command.AdvanceTime(T0));
    Fixtures.ok(
        engine, new Command.CreateMarket(Fixtures.ETH, MarketPresets.get("omni", "insurance")));
    Fixtures.ok(engine, Fixtures.price(Fixtures.ETH, "3000"));
    Fixtures.ok(
        engine,
        new Command.CreateOption(
            OPTION,
            Fixtures.ETH,
            OptionKind.CALL,
            Decimal.parse("3000"),
            T0 + MONTH,
            Decimal.parse("0.6")));
    collateral = new double[2 * n];
    size = new double[2 * n];
    for (int i = 0; i < n; i++) {
      String pool = "p" + i;
      String user = Fixtures.name(i);
      MarginRef ref = MarginRef.pool(pool);
      long c = 1_000 + (i * 7_919L) % 981;
      Fixtures.ok(engine, new Command.CreatePool(pool, user, "olp"));
      Fixtures.ok(engine, new Command.Deposit(user, Decimal.of(c), ref));
      Fixtures.ok(engine, new Command.Deposit("olp", Decimal.of(1_000), ref));
      Fixtures.ok(
          engine,
          new Command.OptionTrade(
              OPTION, "olp", user, Decimal.of(1), Decimal.parse("205.62"), false, pool));
      collateral[2 * i] = c;
      size[2 * i] = -1;
      collateral[2 * i + 1] = 1_000;
      size[2 * i + 1] = 1;
    }
  }

  /** One tick, alternately 3001.50 and 3000. */
  @Benchmark
  public Object measured() {
    up = !up;
    return Fixtures.ok(engine, Fixtures.price(Fixtures.ETH, up ? "3001.5" : "3000"));
  }

  /** Every side's equity less its scenario margin at the new mark, counting those below zero. */
  @Benchmark
  public int baseline() {
    up = !up;
    double mark = up ? 3001.5 : 3000;
    double premium = Black76.price(OptionKind.CALL, mark, 3000, YEARS, 0.6, 0);
    double[] scenario = new double[MOVES.length * VOL_FACTORS.length];
    int k = 0;
    for (double move : MOVES) {
      for (double factor : VOL_FACTORS) {
        scenario[k++] =
            Black76.price(OptionKind.CALL, mark * (1 + move), 3000, YEARS, 0.6 * factor, 0);
      }
    }
    int below = 0;
    for (int i = 0; i < size.length; i++) {
      double worst = 0;
      for (double s : scenario) {
        worst = Math.min(worst, size[i] * (s - premium));
      }
      if (collateral[i] + size[i] * (premium - 205.62) + worst < 0) {
        below++;
      }
    }
    return below;
  }
}
