package dev.backstop.sim.run;

/**
 * Monotonicity violations of one ADL round, the queue-instability diagnostic of Chitra, Thogiti,
 * Trujillo Ramirez and Xu, "Autodeleveraging as Online Learning" (arXiv 2602.15182, section 5.2,
 * "adjacent inversions after ADL"; Appendix C, Proposition 9 part 3): a rule is monotone when
 * {@code u_i >= u_j} implies {@code r_i >= r_j}, with {@code u_i} a winner's capacity before the
 * round and {@code r_i = u_i - x_i} its endowment left after it. Pro rata leaves {@code r_i = (1 -
 * B/U) u_i} and never violates it; a queue that empties a large winner and leaves a smaller one
 * untouched does.
 *
 * <p>The winners are sorted by capacity, largest first (ties in input order), and each adjacent
 * pair is checked: the pair violates when the first keeps less than the second, or, with equal
 * capacities, when they keep different amounts. Amounts within the sum of the two accounts'
 * tolerances (the rounding of one money unit or one lot) are equal.
 *
 * @param violations adjacent pairs that violate monotonicity
 * @param pairs adjacent pairs checked: winners minus one (0 with fewer than two)
 */
record Monotonicity(long violations, long pairs) {

  /** Violations over adjacent pairs; 0 without pairs. */
  double rate() {
    return pairs == 0 ? 0 : (double) violations / pairs;
  }

  /**
   * Checks winners {@code i < n} with capacity {@code capacity[i]}, endowment left {@code
   * remaining[i]}, both known to within {@code tolerance[i] >= 0}; entries from {@code n} on are
   * ignored.
   */
  static Monotonicity count(double[] capacity, double[] remaining, double[] tolerance, int n) {
    if (n < 2) {
      return new Monotonicity(0, 0);
    }
    int[] order = IndexOrder.descending(capacity, n);
    long violations = 0;
    for (int k = 0; k + 1 < n; k++) {
      int first = order[k];
      int second = order[k + 1];
      double slack = tolerance[first] + tolerance[second];
      boolean equal = capacity[first] - capacity[second] <= slack;
      double kept = remaining[first] - remaining[second];
      if (kept < -slack || (equal && kept > slack)) {
        violations++;
      }
    }
    return new Monotonicity(violations, n - 1);
  }
}
