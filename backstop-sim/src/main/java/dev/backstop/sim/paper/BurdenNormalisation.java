package dev.backstop.sim.paper;

import java.util.Locale;

/**
 * What the largest burden {@code m_t} of a wave is divided by in the fairness cost of Chitra,
 * Thogiti, Trujillo Ramirez and Xu (arXiv 2602.15182); see {@link WaveFile}.
 */
public enum BurdenNormalisation {
  /**
   * By equity, {@code max_i x_i / e_i}: the file's {@code max_pct_X} as the upstream code computes
   * it, and what the paper's Table 2 comes from. Benchmark: the min-max integer program's {@code
   * max_pct}.
   */
  EQUITY,
  /**
   * By capacity, {@code max_i x_i / u_i}, as the papers define it: known where the file determines
   * it ({@link WaveFile#capacityBurden}). Benchmark: the least possible, {@code B_t / U_t}.
   */
  CAPACITY;

  /** The lower-case name the CLI uses. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
