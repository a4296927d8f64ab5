package dev.backstop.core.adl.allocation;

/**
 * The queue as observed on Hyperliquid on 2025-10-10 ({@code MECHANISMS.md}; Chitra et al., arXiv
 * 2602.15182): ranked like {@link QueuePolicy}, but every selected candidate gives its whole limit
 * (the position closed fully) until the target is covered. The last one usually takes more than
 * needed; that excess is reported as {@link Allocation#overshoot()}.
 *
 * @param score ranks the candidates
 */
public record QueueFullPolicy(QueueScore score) implements QueueRanked {

  /** A full-close queue ranked by {@code score} (a book's supplied scores take precedence). */
  public QueueFullPolicy {
    java.util.Objects.requireNonNull(score, "score");
  }

  @Override
  public String name() {
    return "queue-full";
  }

  @Override
  public boolean mayOvershoot() {
    return true;
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    long remaining = target;
    for (int i : QueuePolicy.ranking(book, score)) {
      if (remaining <= 0) {
        break;
      }
      out[i] = limits[i];
      remaining -= limits[i];
    }
  }
}
