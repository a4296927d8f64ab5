package dev.backstop.sim.run;

import dev.backstop.sim.scenario.Scenarios;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A process for {@link RetainedMemoryTest}: runs the default crash on {@code ACCOUNTS} accounts
 * under the given policies one at a time and prints, after each policy, the heap still in use after
 * a full collection: what the simulation keeps from the runs done so far. With {@code leak}, it
 * also keeps one {@code double} per account per policy itself, the kind of retention the test is
 * there to catch, so that the test can show its measure would see it.
 *
 * <p>Usage: {@code RetainedMemory ACCOUNTS leak|none POLICY...}; prints {@code POLICY BYTES} lines.
 */
public final class RetainedMemory {

  private RetainedMemory() {}

  public static void main(String[] args) {
    int accounts = Integer.parseInt(args[0]);
    boolean leak = args[1].equals("leak");
    List<String> policies = List.of(args).subList(2, args.length);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<double[]> kept = new ArrayList<>();
    Simulator.Progress progress =
        new Simulator.Progress() {
          @Override
          public void finished(String policy, long millis) {
            if (leak) {
              kept.add(new double[accounts]);
            }
            System.gc();
            System.gc();
            System.out.println(policy + " " + memory.getHeapMemoryUsage().getUsed());
          }
        };
    SimulationResult result =
        Simulator.run(
            Scenarios.load(Scenarios.DEFAULT).withAccounts(accounts),
            new Simulator.Options(policies, 1, null, progress));
    System.out.println("done " + result.policies().size() + " " + kept.size());
  }
}
