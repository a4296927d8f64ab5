package dev.backstop.core.adl.allocation;

/** What an allocation's target counts. */
public enum AllocationMode {
  /**
   * The target is money to claw back (money units); each candidate can give at most its capacity,
   * the positive PnL {@code u_i = max(PnL_i, 0)} (Chitra, arXiv 2512.01112).
   */
  BUDGET,
  /**
   * The target is a size to close (lots); each candidate can give at most its position size. Needs
   * a book with positions.
   */
  SIZE
}
