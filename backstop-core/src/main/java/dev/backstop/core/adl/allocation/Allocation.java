package dev.backstop.core.adl.allocation;

/**
 * The outcome of one allocation: per candidate the amount clawed (money units), the size closed
 * (lots, when the book has positions) and the burden {@code x_i / u_i} (rate scale); in total what
 * was taken in the target's unit, the overshoot and the residual, and the metrics of Chitra et al.,
 * "Autodeleveraging as Online Learning" (arXiv 2602.15182): accounts hit and largest burden.
 */
public final class Allocation {

  private final String policy;
  private final AllocationMode mode;
  private final long target;
  private final long taken;
  private final long[] amount;
  private final long[] sizeClosed;
  private final long[] burden;
  private final long amountTaken;
  private final long sizeTaken;
  private final int accountsHit;
  private final long maxBurden;

  Allocation(
      String policy,
      AllocationMode mode,
      long target,
      long taken,
      long[] amount,
      long[] sizeClosed,
      long[] burden) {
    this.policy = policy;
    this.mode = mode;
    this.target = target;
    this.taken = taken;
    this.amount = amount;
    this.sizeClosed = sizeClosed;
    this.burden = burden;
    long amounts = 0;
    long sizes = 0;
    int hit = 0;
    long max = 0;
    for (int i = 0; i < amount.length; i++) {
      amounts = Math.addExact(amounts, amount[i]);
      sizes = Math.addExact(sizes, sizeClosed[i]);
      if (amount[i] > 0 || sizeClosed[i] > 0) {
        hit++;
      }
      max = Math.max(max, burden[i]);
    }
    this.amountTaken = amounts;
    this.sizeTaken = sizes;
    this.accountsHit = hit;
    this.maxBurden = max;
  }

  /** Name of the policy that made this allocation. */
  public String policy() {
    return policy;
  }

  /** Unit of {@link #target}, {@link #taken}, {@link #overshoot} and {@link #residual}. */
  public AllocationMode mode() {
    return mode;
  }

  /** The target asked for: money units (budget) or lots (size). */
  public long target() {
    return target;
  }

  /** What was taken in the target's unit. */
  public long taken() {
    return taken;
  }

  /** {@code max(taken - target, 0)}: positive only for policies that close whole positions. */
  public long overshoot() {
    return Math.max(taken - target, 0);
  }

  /**
   * {@code max(target - taken, 0)}: what could not be allocated (capacity exhausted, or the
   * iteration limit of {@link RandomPolicy}); the residual deficit {@code R} of Chitra.
   */
  public long residual() {
    return Math.max(target - taken, 0);
  }

  /** Number of candidates. */
  public int count() {
    return amount.length;
  }

  /** Money clawed from candidate {@code i} (money units), at most its capacity. */
  public long amount(int i) {
    return amount[i];
  }

  /** Lots closed for candidate {@code i}; 0 when the book has no positions. */
  public long sizeClosed(int i) {
    return sizeClosed[i];
  }

  /** Burden {@code amount / capacity} of candidate {@code i}, rate scale, 0 without capacity. */
  public long burden(int i) {
    return burden[i];
  }

  /** Total money clawed (money units). */
  public long amountTaken() {
    return amountTaken;
  }

  /** Total lots closed; 0 when the book has no positions. */
  public long sizeTaken() {
    return sizeTaken;
  }

  /** Candidates that gave money or size. */
  public int accountsHit() {
    return accountsHit;
  }

  /** Largest burden {@code m = max_i x_i / u_i}, rate scale. */
  public long maxBurden() {
    return maxBurden;
  }
}
