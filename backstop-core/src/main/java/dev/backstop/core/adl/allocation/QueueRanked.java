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
  default long score(CandidateBook book, int i) {
    return score().score(book, i);
  }

  @Override
  default int compare(CandidateBook book, int a, long scoreA, int b, long scoreB) {
    return score().compare(book, a, scoreA, b, scoreB);
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
