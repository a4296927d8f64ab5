package dev.backstop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class DdminTest {

  private static final List<Integer> HUNDRED = IntStream.range(0, 100).boxed().toList();

  /** Counts its evaluations. */
  private static final class Counting implements Predicate<List<Integer>> {
    private final Predicate<List<Integer>> fails;
    int calls;

    Counting(Predicate<List<Integer>> fails) {
      this.fails = fails;
    }

    @Override
    public boolean test(List<Integer> list) {
      calls++;
      return fails.test(list);
    }
  }

  private static boolean hasThreeAndSeven(List<Integer> list) {
    return list.contains(3) && list.contains(7);
  }

  @Test
  void shrinksToExactlyTheElementsThatMatter() {
    Counting fails = new Counting(DdminTest::hasThreeAndSeven);
    Ddmin.Result<Integer> result = Ddmin.minimize(HUNDRED, fails, 1_000);
    assertThat(result.failing()).containsExactly(3, 7);
    assertThat(result.minimal()).isTrue();
    assertThat(result.evaluations()).isEqualTo(fails.calls).isLessThan(100);
  }

  @Test
  void aPredicateThatAlwaysFailsShrinksToOneElement() {
    Ddmin.Result<Integer> result = Ddmin.minimize(HUNDRED, list -> true, 1_000);
    assertThat(result.failing()).hasSize(1);
    assertThat(result.minimal()).isTrue();
  }

  @Test
  void listsOfZeroOrOneElementAreAlreadyMinimal() {
    Counting fails = new Counting(list -> true);
    assertThat(Ddmin.minimize(List.of(), fails, 10).failing()).isEmpty();
    assertThat(Ddmin.minimize(List.of(4), fails, 10).failing()).containsExactly(4);
    assertThat(fails.calls).isZero();
  }

  @Test
  void stopsAtTheEvaluationBoundWithTheSmallestFailingListSoFar() {
    Counting fails = new Counting(DdminTest::hasThreeAndSeven);
    Ddmin.Result<Integer> result = Ddmin.minimize(HUNDRED, fails, 5);
    assertThat(fails.calls).isEqualTo(5);
    assertThat(result.evaluations()).isEqualTo(5);
    assertThat(result.minimal()).isFalse();
    assertThat(result.failing()).contains(3, 7).hasSizeLessThan(HUNDRED.size());
  }

  @Test
  void findsAnyRequiredSubsetInItsOriginalOrder(TestInfo test) {
    Tries.forAll(
        test,
        200,
        seed -> {
          Gen gen = new Gen(seed);
          int size = gen.ints(1, 300);
          int count = gen.ints(0, Math.min(5, size));
          List<Integer> input = new ArrayList<>(IntStream.range(0, size).boxed().toList());
          Collections.shuffle(input, new SplittableRandom(seed));
          List<Integer> required = input.stream().filter(i -> i < count).toList();
          Ddmin.Result<Integer> result =
              Ddmin.minimize(input, list -> list.containsAll(required), 100_000);
          if (required.isEmpty()) {
            assertThat(result.failing()).hasSize(1);
          } else {
            assertThat(result.failing()).isEqualTo(required);
          }
          assertThat(result.minimal()).isTrue();
        });
  }

  @Test
  void aFailingCheckIsReportedWithTheShrunkInputAndTheOriginalCause() {
    Counterexample e =
        catchThrowableOfType(
            Counterexample.class,
            () ->
                Ddmin.shrinkOnFailure(
                    HUNDRED,
                    list -> {
                      if (hasThreeAndSeven(list)) {
                        throw new AssertionError("fails with " + list.size() + " elements");
                      }
                    }));
    assertThat(e)
        .hasMessageStartingWith("Shrunk from 100 to 2 elements in ")
        .hasMessageContaining(":\n  3\n  7\n")
        .hasMessageEndingWith("which fails with: java.lang.AssertionError: fails with 2 elements");
    assertThat(e.getCause()).isExactlyInstanceOf(AssertionError.class);
    assertThat(e.getCause()).hasMessage("fails with 100 elements");
  }

  @Test
  void anotherKindOfFailureIsNotTheSameFailure() {
    Counterexample e =
        catchThrowableOfType(
            Counterexample.class,
            () ->
                Ddmin.shrinkOnFailure(
                    HUNDRED,
                    list -> {
                      if (hasThreeAndSeven(list)) {
                        throw new AssertionError("both");
                      }
                      if (list.contains(3)) {
                        throw new IllegalStateException("three alone");
                      }
                    }));
    assertThat(e).hasMessageContaining(":\n  3\n  7\n");
  }

  @Test
  void aPassingCheckRunsOnce() {
    int[] calls = {0};
    Ddmin.shrinkOnFailure(HUNDRED, list -> calls[0]++);
    assertThat(calls[0]).isEqualTo(1);
  }
}
