package dev.backstop.core.adl.allocation;

/**
 * Integer contract pro rata (the "integer pro rata" of Chitra et al., "Autodeleveraging as Online
 * Learning", arXiv 2602.15182): the size to close is shared in whole lots pro rata to position
 * size, {@code s_i = Q * q_i / sum q}. By size only. Each share is rounded down and the remaining
 * lots (fewer than candidates) go one each to the largest fractional parts, ties by ascending id.
 */
public record ContractProRataPolicy() implements AllocationPolicy {

  @Override
  public String name() {
    return "contract-pro-rata";
  }

  /** One round for every position of a side a settle pass bankrupts: the papers' round. */
  @Override
  public boolean sharesRound() {
    return true;
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return mode == AllocationMode.SIZE;
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    CappedProRata.solve(book, limits, target, out);
  }
}
