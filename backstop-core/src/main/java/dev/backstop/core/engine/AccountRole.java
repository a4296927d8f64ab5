package dev.backstop.core.engine;

/**
 * What an account is to the engine. Every role is margined and liquidated alike; the role decides
 * only who may trade with it, and which layer of the waterfall it serves.
 */
enum AccountRole {
  /** A trader or a maker: deposits, withdraws and trades. */
  USER,
  /** An LP-counterparty market's liquidity provider (OLP, GMX pool, TLP). */
  LIQUIDITY_PROVIDER,
  /**
   * An insurance fund's takeover account ({@code fund:NAME}), owned by the engine: it holds the
   * positions the fund took over, on margin posted from the fund. No command names it.
   */
  INSURANCE_FUND,
  /**
   * A liquidator vault (Hyperliquid): deposited into like any account, but no trade may name it;
   * the engine moves positions to it.
   */
  LIQUIDATOR_VAULT
}
