package dev.backstop.bench;

import dev.backstop.core.engine.Engine;
import dev.backstop.core.event.Event;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link DepositBench}'s deposits and baseline, made after a cascade: in setup, a tick to 99,000
 * liquidates the weak half of the {@code n} accounts in one command (the book fills the first, the
 * insurance fund takes the others over). A command's cost must not keep what the largest command
 * before it touched: the working sets a cascade fills are emptied for every later command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AfterCascadeBench extends DepositBench {

  @Override
  int weak() {
    return n / 2;
  }

  @Override
  void before(Engine built) {
    Set<String> closed = new HashSet<>();
    for (Event e : Fixtures.ok(built, Fixtures.price(Fixtures.BTC, "99000"))) {
      if (e instanceof Event.PositionChanged p && p.size().signum() == 0) {
        closed.add(p.account());
      }
    }
    if (closed.size() < n / 2) {
      throw new IllegalStateException("the cascade closed " + closed.size() + " of " + n / 2);
    }
  }
}
