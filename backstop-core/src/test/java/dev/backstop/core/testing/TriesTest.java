package dev.backstop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class TriesTest {

  private static final Pattern REPRODUCE =
      Pattern.compile(
          "\nReproduce with: \\./mvnw -pl backstop-core test -Dtest=TriesTest#prop"
              + " -Dbackstop\\.seed=(-?\\d+)$");

  @Test
  void defaultSeedsAreFixedAndMoreTriesExtendThem() {
    long[] seeds = Tries.seeds(30, null, null);
    assertThat(seeds).hasSize(30).doesNotHaveDuplicates();
    assertThat(Tries.seeds(30, "", "")).isEqualTo(seeds);
    long[] twice = Tries.seeds(30, null, "2");
    assertThat(twice).hasSize(60).startsWith(seeds);
    assertThat(Tries.seeds(30, null, "0.1")).hasSize(3).isEqualTo(Arrays.copyOf(seeds, 3));
    assertThat(Tries.seeds(30, null, "0.001")).hasSize(1);
  }

  @Test
  void aGivenSeedRunsAlone() {
    assertThat(Tries.seeds(30, "-42", "10")).containsExactly(-42);
  }

  @Test
  void aFactorMustBePositive() {
    for (String bad : new String[] {"0", "-1", "NaN", "many"}) {
      assertThatThrownBy(() -> Tries.seeds(30, null, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aPassingPropertyRunsEverySeedOnce() {
    long[] seeds = Tries.seeds(50, null, null);
    List<Long> seen = new ArrayList<>();
    Tries.check("TriesTest#prop", seeds, seen::add);
    assertThat(seen).containsExactly(Arrays.stream(seeds).boxed().toArray(Long[]::new));
  }

  @Test
  void aFailingPropertyReportsItsSeedAndReproducesWithIt() {
    List<Long> seen = new ArrayList<>();
    LongConsumer body =
        seed -> {
          seen.add(seed);
          assertThat(Math.floorMod(seed, 5)).as("seed mod 5").isNotZero();
        };
    AssertionError e =
        catchThrowableOfType(
            AssertionError.class,
            () -> Tries.check("TriesTest#prop", Tries.seeds(100, null, null), body));
    long failing = seen.get(seen.size() - 1);
    assertThat(e)
        .hasMessageStartingWith(
            "TriesTest#prop failed on try " + seen.size() + " of 100, seed " + failing + ":\n")
        .hasMessageContaining("seed mod 5");
    assertThat(e.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining("seed mod 5");
    Matcher reproduce = REPRODUCE.matcher(e.getMessage());
    assertThat(reproduce.find()).as(e.getMessage()).isTrue();
    assertThat(Long.parseLong(reproduce.group(1))).isEqualTo(failing);

    seen.clear();
    AssertionError again =
        catchThrowableOfType(
            AssertionError.class,
            () -> Tries.check("TriesTest#prop", Tries.seeds(100, reproduce.group(1), null), body));
    assertThat(seen).containsExactly(failing);
    assertThat(again)
        .hasMessageStartingWith("TriesTest#prop failed on try 1 of 1, seed " + failing);
  }

  @Test
  void theReportNamesTheTestMethod(TestInfo test) {
    AssertionError e =
        catchThrowableOfType(
            AssertionError.class,
            () -> Tries.forAll(test, 10, seed -> assertThat(seed).isEqualTo(seed + 1)));
    assertThat(e)
        .hasMessageStartingWith("TriesTest#theReportNamesTheTestMethod failed on try 1 of ")
        .hasMessageContaining(" -Dtest=TriesTest#theReportNamesTheTestMethod -Dbackstop.seed=");
  }

  @Test
  void aShrunkCounterexampleIsReportedWithTheSeed() {
    long[] seeds = Tries.seeds(10, null, null);
    AssertionError e =
        catchThrowableOfType(
            AssertionError.class,
            () ->
                Tries.check(
                    "TriesTest#prop",
                    seeds,
                    seed ->
                        Ddmin.shrinkOnFailure(
                            List.of(seed, 1L, 2L, 3L),
                            list -> {
                              if (list.contains(2L)) {
                                throw new AssertionError("has 2: " + list);
                              }
                            })));
    assertThat(e)
        .hasMessageStartingWith("TriesTest#prop failed on try 1 of 10, seed " + seeds[0] + ":\n")
        .hasMessageContaining("Shrunk from 4 to 1 elements in ")
        .hasMessageContaining(":\n  2\nwhich fails with: ")
        .hasMessageEndingWith(" -Dbackstop.seed=" + seeds[0]);
    // The cause is the failure on the input as generated, not the shrinker's report.
    assertThat(e.getCause())
        .isNotInstanceOf(Counterexample.class)
        .hasMessageContaining("[" + seeds[0] + ", 1, 2, 3]");
  }
}
