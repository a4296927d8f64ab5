package dev.backstop.sim.metrics;

/**
 * Chitra's PTSR and PMR ("Autodeleveraging: Impossibilities and Optimization", arXiv 2512.01112,
 * corrected text {@code main_corrected.tex}, "ADL-Specific Efficiency Metrics"): the largest
 * haircutable endowment left after ADL, {@code upsilon = max_i (w_i - x_i)_+}, over the deficit
 * {@code D} (PTSR, the Profitability-to-Total-Solvency Ratio) and over the largest single loser's
 * shortfall {@code Delta} (PMR, the Profitability-to-Maximum Solvency Ratio). The endowment is the
 * winner's positive PnL, not its equity: under PNL-only haircuts these measure profit capacity
 * survival.
 *
 * @param largestEndowmentLeft {@code upsilon = max_i (w_i - x_i)_+}, 0 without winners
 * @param ptsr {@code upsilon / D}; null without a deficit or without winners
 * @param pmr {@code upsilon / Delta}; null without a loss or without winners
 */
public record SolvencyRatios(double largestEndowmentLeft, Double ptsr, Double pmr) {

  /**
   * The ratios of winners with endowments {@code w} of which {@code x} was taken.
   *
   * @param deficit {@code D >= 0}
   * @param largestLoss {@code Delta >= 0}, the largest single loser's shortfall, bad debt included
   */
  public static SolvencyRatios of(double[] w, double[] x, double deficit, double largestLoss) {
    if (w.length != x.length) {
      throw new IllegalArgumentException(w.length + " endowments, " + x.length + " amounts");
    }
    double left = 0;
    for (int i = 0; i < w.length; i++) {
      left = Math.max(left, w[i] - x[i]);
    }
    boolean winners = w.length > 0;
    return new SolvencyRatios(
        left,
        deficit > 0 && winners ? left / deficit : null,
        largestLoss > 0 && winners ? left / largestLoss : null);
  }
}
