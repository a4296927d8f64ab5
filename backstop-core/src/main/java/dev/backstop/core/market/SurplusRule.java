package dev.backstop.core.market;

/** What happens to the equity a fully liquidated account has left after its positions close. */
public enum SurplusRule {
  /**
   * The remaining margin goes to the insurance fund (BitMEX, Binance: the close at a price better
   * than bankruptcy feeds the fund).
   */
  TO_INSURANCE,
  /** The account keeps what is left after the liquidation fee (dYdX v4, Variational Omni). */
  KEEP
}
