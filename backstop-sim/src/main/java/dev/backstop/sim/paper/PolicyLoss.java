package dev.backstop.sim.paper;

/**
 * The online-learning losses of one policy over an episode, as defined by Chitra, Thogiti, Trujillo
 * Ramirez and Xu, "Autodeleveraging as Online Learning" (arXiv 2602.15182, section 3.7, eq. 21 and
 * eq. 23), in dollars.
 *
 * @param policy the policy's column name ({@code prod}, {@code pr}, ...)
 * @param waves the number of waves (rounds) {@code T}
 * @param tracking tracking error {@code sum_t |H_t - B_t|}
 * @param fairness fairness cost {@code sum_t B_t * |m_t(policy) - m_t(minmax)|}; NaN when the
 *     burden normalisation asked for is not known for this policy
 * @param total total loss {@code tracking + lambda * fairness} for the table's lambda (NaN with the
 *     fairness)
 * @param taken total budget taken {@code sum_t H_t}
 * @param overshoot signed overshoot {@code sum_t (H_t - B_t)}; negative when the policy took less
 *     than was needed
 * @param overshootPositive the overshoot as the paper defines it, {@code sum_t [H_t - B_t]_+}
 * @param undershoot the undershoot total {@code V_T = sum_t [B_t - H_t]_+} (eq. 21); {@code
 *     overshoot = overshootPositive - undershoot} and {@code tracking = overshootPositive +
 *     undershoot}
 */
public record PolicyLoss(
    String policy,
    int waves,
    double tracking,
    double fairness,
    double total,
    double taken,
    double overshoot,
    double overshootPositive,
    double undershoot) {

  /** The total loss {@code tracking + lambda * fairness} for another weight on fairness. */
  public double totalLoss(double lambda) {
    return tracking + lambda * fairness;
  }

  /** Whether the fairness cost (hence the total) is known. */
  public boolean hasFairness() {
    return !Double.isNaN(fairness);
  }
}
