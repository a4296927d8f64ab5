package dev.backstop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The thread CPU time per call of a benchmark's {@code measured} and {@code baseline} methods,
 * called directly rather than by JMH: on a machine shared with other work, wall-clock figures carry
 * the other processes' load, CPU time much less of it. The benchmark's trial setup runs once, its
 * invocation setup (if any) before each call, outside the timing; the first {@code warm} calls are
 * not counted; parameters other than {@code n} take their first value. Reading the clock costs
 * about half a microsecond per call, included in both methods' figures. Usage: {@code java -cp
 * backstop-bench/target/benchmarks.jar dev.backstop.bench.CpuTime AdlTickBench 100000 20 30}.
 */
public final class CpuTime {

  private CpuTime() {}

  /**
   * Prints both methods' CPU time per call.
   *
   * @param args the benchmark's simple name, {@code n}, warm-up calls, timed calls
   * @throws ReflectiveOperationException if the benchmark cannot be set up or called
   */
  public static void main(String[] args) throws ReflectiveOperationException {
    String name = args[0];
    int n = Integer.parseInt(args[1]);
    int warm = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Class<?> type = Class.forName("dev.backstop.bench." + name);
    for (String method : new String[] {"measured", "baseline"}) {
      Object bench = type.getDeclaredConstructor().newInstance();
      for (Field f : type.getFields()) {
        Param param = f.getAnnotation(Param.class);
        if (param != null) {
          // n as asked, any other parameter at its first value, as JMH would.
          if (f.getType() == String.class) {
            f.set(bench, param.value()[0]);
          } else {
            f.setInt(bench, f.getName().equals("n") ? n : Integer.parseInt(param.value()[0]));
          }
        }
      }
      Method trial = null;
      Method invocation = null;
      for (Method m : type.getMethods()) {
        Setup setup = m.getAnnotation(Setup.class);
        if (setup != null && setup.value() == Level.Invocation) {
          invocation = m;
        } else if (setup != null) {
          trial = m;
        }
      }
      trial.invoke(bench);
      Method run = type.getMethod(method);
      long total = 0;
      for (int i = 0; i < warm + calls; i++) {
        if (invocation != null) {
          invocation.invoke(bench);
        }
        long start = threads.getCurrentThreadCpuTime();
        run.invoke(bench);
        long end = threads.getCurrentThreadCpuTime();
        if (i >= warm) {
          total += end - start;
        }
      }
      System.out.printf(
          "%s.%s n=%d: %.3f us of CPU per call over %d calls%n",
          name, method, n, total / 1000.0 / calls, calls);
    }
  }
}
