package dev.backstop.core.adl.allocation;

/**
 * Wealth pro rata on positive PnL (Chitra, "Autodeleveraging: Impossibilities and Optimization",
 * arXiv 2512.01112; Percolator's global haircut): every winner loses the same fraction {@code h =
 * budget / U} of its capacity, {@code x_i = h * w_i}. By budget only. Each share is rounded down
 * and the remainder (fewer money units than candidates) goes one unit each to the largest
 * fractional parts, ties by ascending id.
 */
public record ProRataPolicy() implements AllocationPolicy {

  @Override
  public String name() {
    return "pro-rata";
  }

  /** One round for every position of a side a settle pass bankrupts: the papers' round. */
  @Override
  public boolean sharesRound() {
    return true;
  }

  @Override
  public boolean supports(AllocationMode mode) {
    return mode == AllocationMode.BUDGET;
  }

  @Override
  public void allocate(
      CandidateBook book, AllocationMode mode, long[] limits, long target, long[] out) {
    CappedProRata.solve(book, limits, target, out);
  }
}
