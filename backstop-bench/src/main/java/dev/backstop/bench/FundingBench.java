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
 * A funding payment on the {@code n} positions of BTC-PERP (rates of +0.01% and -0.01% in turn, so
 * balances stay put), against a streaming pass paying each position's notional times the rate.
 * {@code preset} sets the market's tiers: BitMEX's flat 0.35%, or Binance's, whose top tier's 50%
 * makes the liquidation index's funding drift as large as the break-even's move ({@code
 * docs/performance.md}, "Funding as a cumulative index").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FundingBench {
  @Param({"10000", "100000"})
  public int n;

  @Param({"bitmex", "binance"})
  public String preset;

  private Engine engine;
  private Fixtures.Arrays arrays;
  private boolean positive;
  private final Command pay = new Command.ApplyFunding(Fixtures.BTC, Decimal.parse("0.0001"));
  private final Command receive = new Command.ApplyFunding(Fixtures.BTC, Decimal.parse("-0.0001"));

  /** Builds the engine and the arrays. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, false, 0, "1000000", preset);
    arrays = new Fixtures.Arrays(n, false, 0);
  }

  /** One funding command. */
  @Benchmark
  public Object measured() {
    positive = !positive;
    return Fixtures.ok(engine, positive ? pay : receive);
  }

  /** The pass: notional at mark times the rate (in millionths), longs paying when positive. */
  @Benchmark
  public long baseline() {
    positive = !positive;
    long ratePpm = positive ? 100 : -100;
    long mark = Fixtures.BTC_PRICE;
    long total = 0;
    long[] cash = arrays.cash;
    long[] size = arrays.size;
    for (int i = 0; i < cash.length; i++) {
      long amount = size[i] * mark / 10_000 * ratePpm / 1_000_000;
      cash[i] -= amount;
      total += amount;
    }
    return total;
  }
}
