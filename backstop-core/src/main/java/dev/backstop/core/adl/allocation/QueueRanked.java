package dev.backstop.core.adl.allocation;

import dev.backstop.core.event.WireName;

/**
 * What the production queues share: candidates ranked by a {@link QueueScore}, in either mode.
 * {@link QueuePolicy} takes just enough from each; {@link QueueFullPolicy} closes each whole.
 */
interface QueueRanked extends AllocationPolicy {

  /** The ranking score. */
  QueueScore score();

  @Override
  default QueueScore rankingScore() {
    return score();
  }

  @Override
  default long score(CandidateBook book, int i) {
    return score().score(book, i);
  }

  @Override
  default int compare(CandidateBook book, int a, long scoreA, int b, long scoreB) {
    return score().compare(book, a, scoreA, b, scoreB);
  }

  @Override
  default int[] ranking(CandidateBook book, long[] scores) {
    return score().ranking(book, scores);
  }

  /**
   * The queue takes candidates in rank order until the target is covered, so the candidates it
   * touches are the ranking's shortest prefix reaching it: selected from a heap built in linear
   * time, each taken at a logarithmic cost, instead of ranking the whole side. When the target is a
   * quarter or more of the side's whole size the prefix is likely most of the side, and sorting it
   * all is cheaper than taking it from the heap one by one: then null.
   */
  @Override
  default int[] leaders(CandidateBook book, long target) {
    int n = book.count();
    if (!book.hasPositions()) {
      return null;
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      total = Math.addExact(total, book.size(i));
    }
    if (target >= total / 4) {
      return null;
    }
    long[] scores = new long[n];
    for (int i = 0; i < n; i++) {
      scores[i] = score(book, i);
    }
    Indexes.Heap heap = Indexes.Heap.of(n, (a, b) -> compare(book, a, scores[a], b, scores[b]));
    int[] out = new int[Math.min(n, 16)];
    int k = 0;
    long covered = 0;
    while (!heap.isEmpty() && covered < target) {
      int i = heap.pop();
      if (k == out.length) {
        out = java.util.Arrays.copyOf(out, Math.min(n, 2 * k));
      }
      out[k++] = i;
      covered = Math.addExact(covered, book.size(i));
    }
    return java.util.Arrays.copyOf(out, k);
  }

  @Override
  default String spec() {
    return name() + ":" + WireName.of(score());
  }

  @Override
  default boolean supports(AllocationMode mode) {
    return true;
  }
}
