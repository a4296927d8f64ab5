package dev.backstop.core.market;

/** How much of a position a liquidation closes. */
public enum LiquidationMode {
  /**
   * Close the fewest lots that bring the account back to its maintenance margin (Binance, Bybit,
   * dYdX v4 partial liquidations); close fully when no partial close restores it.
   */
  PARTIAL,
  /** Close every position of the liquidated margin account (BitMEX, Variational Omni). */
  FULL
}
