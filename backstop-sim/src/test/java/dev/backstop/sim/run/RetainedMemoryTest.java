package dev.backstop.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.sim.scenario.Scenarios;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a simulation keeps of a policy's run once it is done does not grow with the population, so
 * the memory of {@code simulate} is one run's at a time per thread, whatever the number of
 * policies: the report gets burden counts per bin, never one value per account.
 */
class RetainedMemoryTest {

  private static final int ACCOUNTS = 12_000;

  /** A planted leak of one double per account per policy: 96 KB a policy. */
  private static final long LEAK_PER_POLICY = 8L * ACCOUNTS;

  private static final List<String> POLICIES =
      List.of("bad-debt", "pro-rata", "bitmex", "drift-v2", "gmx-v2", "min-max", "dydx-v4", "rap");

  @Test
  void aResultHoldsNoSeriesThatGrowsWithThePopulation() {
    for (int accounts : new int[] {2_000, 16_000}) {
      SimulationResult r =
          Simulator.run(
              Scenarios.load(Scenarios.DEFAULT).withAccounts(accounts),
              new Simulator.Options(
                  List.of("pro-rata", "min-max"), 1, null, new Simulator.Progress() {}));
      int points = r.path().times().length;
      long bound = 6L * points + BurdenBins.LABELS.size();
      for (PolicyResult p : r.policies()) {
        PolicyResult.Timeline t = p.timeline();
        if (accounts == 16_000) {
          // more accounts hit than the result may hold entries: one value each would not fit
          assertThat(p.metrics().accountsDeleveraged()).as(p.policy()).isGreaterThan(bound);
        }
        long entries =
            (long) t.fundTimes().length
                + t.fundBalances().length
                + t.liquidationTimes().length
                + t.liquidationPrices().length
                + t.adlTimes().length
                + t.adlPrices().length
                + t.burdenCounts().length;
        // every series is at most one entry per mark of the path, the counts one per bin
        assertThat(entries)
            .as(p.policy() + " with " + accounts + " accounts")
            .isLessThanOrEqualTo(bound);
      }
    }
  }

  /**
   * In a fresh JVM, the heap in use after a full collection is the same after the 7th and 8th
   * policies as after the 2nd and 3rd, within half of what a planted leak of one double per account
   * per policy adds over those five policies; and the same measure does see that leak. (Each pair's
   * smaller value is taken: a measure taken while a policy's last objects are still on their way
   * out can be a few MB higher, one time in two.)
   */
  @Test
  void theHeapKeptAfterEachPolicyDoesNotGrowWithThePolicyCount() throws Exception {
    long bound = 5 * LEAK_PER_POLICY / 2;
    long growth = growth("none");
    assertThat(growth).as("heap kept from the 2nd to the 8th policy").isLessThan(bound);
    long leaking = growth("leak");
    assertThat(leaking).as("the same measure with a planted leak").isGreaterThan(bound);
  }

  /** Heap in use after the last two policies less that after the 2nd and 3rd, in a fresh JVM. */
  private static long growth(String mode) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-Xmx512m", "-cp"));
    command.add(System.getProperty("java.class.path"));
    command.add(RetainedMemory.class.getName());
    command.add(Integer.toString(ACCOUNTS));
    command.add(mode);
    command.addAll(POLICIES);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String output = String.join("\n", lines);
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(lines).as(output).hasSize(POLICIES.size() + 1);
    int n = POLICIES.size();
    long early = Math.min(used(lines.get(1)), used(lines.get(2)));
    long late = Math.min(used(lines.get(n - 2)), used(lines.get(n - 1)));
    return late - early;
  }

  private static long used(String line) {
    return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
  }
}
