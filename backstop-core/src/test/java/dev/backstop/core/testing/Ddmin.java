package dev.backstop.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Delta debugging (Zeller and Hildebrandt's ddmin): cuts a failing list down to a 1-minimal failing
 * sub-list, one from which removing any single element makes the failure go away. It splits the
 * list into n chunks (n = 2, 4, 8, ... up to one element per chunk) and keeps a chunk alone or the
 * list without a chunk whenever that still fails. The order of the elements is kept.
 */
public final class Ddmin {

  /** Predicate evaluations allowed when shrinking a failing check. */
  public static final int MAX_EVALUATIONS = 1_000;

  private Ddmin() {}

  /**
   * A shrunk list, the number of predicate evaluations it took, and whether it is 1-minimal (false
   * when the evaluations ran out first).
   */
  public record Result<T>(List<T> failing, int evaluations, boolean minimal) {}

  /**
   * Shrinks {@code failing}, which the caller knows to fail, with at most {@code maxEvaluations}
   * calls of {@code fails}. The empty list is never tried: the result has at least one element.
   */
  public static <T> Result<T> minimize(
      List<T> failing, Predicate<List<T>> fails, int maxEvaluations) {
    List<T> current = List.copyOf(failing);
    int evaluations = 0;
    int n = 2;
    while (current.size() >= 2) {
      List<List<T>> chunks = split(current, n);
      // Each chunk alone, then the list without each chunk. Two chunks are each other's
      // complements, so they are only tried as complements.
      int alone = n > 2 ? n : 0;
      List<T> reduced = null;
      for (int c = 0; c < alone + n && reduced == null; c++) {
        if (evaluations == maxEvaluations) {
          return new Result<>(current, evaluations, false);
        }
        List<T> candidate = c < alone ? chunks.get(c) : without(chunks, c - alone);
        evaluations++;
        if (fails.test(candidate)) {
          reduced = candidate;
          n = c < alone ? 2 : Math.max(n - 1, 2);
        }
      }
      if (reduced != null) {
        current = reduced;
      } else if (n < current.size()) {
        n = Math.min(2 * n, current.size());
      } else {
        break;
      }
    }
    return new Result<>(current, evaluations, true);
  }

  /**
   * Runs {@code check} on {@code input}. If it fails, shrinks the input to a sub-list on which the
   * check fails with the same exception class and throws a {@link Counterexample} with the shrunk
   * input and the original failure as its cause.
   */
  public static <T> void shrinkOnFailure(List<T> input, Consumer<List<T>> check) {
    Throwable original = failure(input, check);
    if (original == null) {
      return;
    }
    Throwable[] last = {original};
    Result<T> result =
        minimize(
            input,
            candidate -> {
              Throwable t = failure(candidate, check);
              if (t == null || t.getClass() != original.getClass()) {
                return false;
              }
              last[0] = t;
              return true;
            },
            MAX_EVALUATIONS);
    String report =
        "Shrunk from %d to %d elements in %d evaluations%s:\n%swhich fails with: %s"
            .formatted(
                input.size(),
                result.failing().size(),
                result.evaluations(),
                result.minimal() ? "" : " (bound reached: not minimal)",
                result.failing().stream().map(e -> "  " + e + "\n").collect(Collectors.joining()),
                last[0]);
    throw new Counterexample(report, original);
  }

  private static <T> Throwable failure(List<T> input, Consumer<List<T>> check) {
    try {
      check.accept(input);
      return null;
    } catch (AssertionError | RuntimeException e) {
      return e;
    }
  }

  private static <T> List<List<T>> split(List<T> list, int n) {
    List<List<T>> chunks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      chunks.add(List.copyOf(list.subList(i * list.size() / n, (i + 1) * list.size() / n)));
    }
    return chunks;
  }

  private static <T> List<T> without(List<List<T>> chunks, int skipped) {
    List<T> rest = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      if (i != skipped) {
        rest.addAll(chunks.get(i));
      }
    }
    return List.copyOf(rest);
  }
}
