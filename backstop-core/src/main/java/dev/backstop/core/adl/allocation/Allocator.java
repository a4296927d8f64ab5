package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;

/**
 * Runs an {@link AllocationPolicy} on a {@link CandidateBook} and derives the rest of the {@link
 * Allocation}.
 *
 * <p>Rounding, always in the venue's favour and never beyond a candidate's limit:
 *
 * <ul>
 *   <li>the policy chooses exact integers in the target's unit (see each policy for how the
 *       remainder of integer rounding is assigned);
 *   <li>in {@code BUDGET} mode the size closed is {@code ceil(size_i * x_i / u_i)}: closing a share
 *       of a position realises that share of its PnL, rounded up to whole lots (at most the
 *       position);
 *   <li>in {@code SIZE} mode the amount clawed is {@code ceil(u_i * s_i / size_i)} (at most {@code
 *       u_i});
 *   <li>the burden {@code x_i / u_i} is rounded up at rate scale, so the largest burden is never
 *       understated.
 * </ul>
 */
public final class Allocator {

  private Allocator() {}

  /**
   * Allocates {@code target} with {@code policy}.
   *
   * @param target money units ({@code BUDGET}) or lots ({@code SIZE}), {@code >= 0}; a target above
   *     the candidates' total limit is met as far as it goes and the rest is {@link
   *     Allocation#residual()}
   * @throws IllegalArgumentException if the policy does not support the mode, or {@code SIZE} is
   *     asked of a book without positions
   * @throws IllegalStateException if the policy breaks its contract (a bug)
   */
  public static Allocation allocate(
      AllocationPolicy policy, CandidateBook book, AllocationMode mode, long target) {
    if (target < 0) {
      throw new IllegalArgumentException("target must not be negative: " + target);
    }
    if (!policy.supports(mode)) {
      throw new IllegalArgumentException(
          "policy " + policy.name() + " does not allocate by " + mode.name().toLowerCase());
    }
    if (mode == AllocationMode.SIZE && !book.hasPositions()) {
      throw new IllegalArgumentException("allocating by size needs a book with positions");
    }
    int n = book.count();
    long[] limits = new long[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      limits[i] = mode == AllocationMode.BUDGET ? book.capacity(i) : book.size(i);
      total = Math.addExact(total, limits[i]);
    }
    long[] out = new long[n];
    long reachable = Math.min(target, total);
    if (reachable > 0) {
      policy.allocate(book, mode, limits, reachable, out);
    }
    long taken = 0;
    for (int i = 0; i < n; i++) {
      if (out[i] < 0 || out[i] > limits[i]) {
        throw new IllegalStateException(
            policy.name()
                + " gave "
                + out[i]
                + " for candidate "
                + book.id(i)
                + " (limit "
                + limits[i]
                + ")");
      }
      taken += out[i];
    }
    if (taken > reachable && !policy.mayOvershoot()) {
      throw new IllegalStateException(policy.name() + " took " + taken + " > " + reachable);
    }
    long[] amount = new long[n];
    long[] sizeClosed = new long[n];
    long[] burden = new long[n];
    for (int i = 0; i < n; i++) {
      long u = book.capacity(i);
      if (mode == AllocationMode.BUDGET) {
        amount[i] = out[i];
        if (book.hasPositions() && u > 0) {
          sizeClosed[i] = Fixed.mulDiv(book.size(i), out[i], u, RoundingMode.CEILING);
        }
      } else {
        sizeClosed[i] = out[i];
        amount[i] = Fixed.mulDiv(u, out[i], book.size(i), RoundingMode.CEILING);
      }
      if (u > 0) {
        burden[i] = Fixed.mulDiv(amount[i], Fixed.RATE_ONE, u, RoundingMode.CEILING);
      }
    }
    return new Allocation(policy.name(), mode, target, taken, amount, sizeClosed, burden);
  }
}
