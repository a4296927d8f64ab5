package dev.backstop.bench;

import dev.backstop.core.engine.Engine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap an open position costs: builds the benchmarks' population of {@code n} one-position
 * accounts (and, with {@code cross}, two positions each), and reports the heap in use after a full
 * collection, before and after, divided by the positions opened. Not a JMH benchmark (it measures
 * memory, not time); run it with a heap large enough for {@code n}, for instance {@code java -Xmx8g
 * -cp backstop-bench/target/benchmarks.jar dev.backstop.bench.Footprint 1000000}.
 */
public final class Footprint {

  private Footprint() {}

  /**
   * Prints positions, heap used before and after, and bytes per position.
   *
   * @param args {@code n} and optionally {@code cross}
   */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    boolean cross = args.length > 1 && args[1].equals("cross");
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = used(memory);
    Engine engine = Fixtures.engine(n, cross, 0);
    long after = used(memory);
    long positions = (long) n * (cross ? 2 : 1);
    System.out.printf(
        "accounts %d, positions %d, heap before %d B, after %d B, %.1f B per position%n",
        n, positions, before, after, (double) (after - before) / positions);
    if (engine.stateHash() == 0) {
      System.out.println("(state hash 0)");
    }
  }

  private static long used(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
