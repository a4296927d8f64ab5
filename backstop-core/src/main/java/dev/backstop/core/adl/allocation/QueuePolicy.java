package dev.backstop.core.adl.allocation;

/**
 * The production ADL queue (BitMEX, Binance, Hyperliquid, Tradoor; {@code MECHANISMS.md}; the
 * "queue" of Chitra, arXiv 2512.01112): candidates ranked by a {@link QueueScore} (or the supplied
 * score), highest first, ties by ascending id; each gives {@code min(remaining, limit)}, so the
 * last one hit gives only part. Exact in integers; no rounding.
 *
 * @param score ranks the candidates
 */
public record QueuePolicy(QueueScore score) implements QueueRanked {

  /** A queue ranked by {@code score} (a book's supplied scores take precedence). */
  public QueuePolicy {
    java.util.Objects.requireNonNull(score, "score");
  }

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    long remaining = target;
    for (int i : ranking(book, score)) {
      if (remaining == 0) {
        break;
      }
      out[i] = Math.min(remaining, limits[i]);
      remaining -= out[i];
    }
  }

  /** Candidate indexes by descending score, ties as {@link QueueScore#compare} breaks them. */
  static int[] ranking(CandidateBook book, QueueScore score) {
    int n = book.count();
    long[] scores = new long[n];
    for (int i = 0; i < n; i++) {
      scores[i] = score.score(book, i);
    }
    return score.ranking(book, scores);
  }
}
