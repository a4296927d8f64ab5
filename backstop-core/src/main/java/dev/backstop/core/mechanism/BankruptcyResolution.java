package dev.backstop.core.mechanism;

/**
 * What a market does with a bankrupt position beyond its insurance fund (MECHANISMS.md, "The common
 * waterfall", step 4): take the position over before it reaches the liquidity (deleveraging against
 * opposite positions), or cover the shortfall the fund left after the close (profit haircuts,
 * socialization), or nothing (bad debt). One implementation per venue idea.
 */
public sealed interface BankruptcyResolution
    permits Deleveraging, ProfitHaircut, SizeSocialization, BankruptcyResolution.BadDebtOnly {

  /**
   * Whether what the book and the takeover layer could not absorb of a position must go to {@link
   * #takeOver}. Asked after every liquidation order that left part of a position; may update
   * trigger state (the drawdown switch) through the context.
   */
  default boolean takesOver(
      MarketContext ctx, int marginAccount, int position, boolean takeoverDeclined) {
    return false;
  }

  /** Closes the position through the backstop; only called after {@link #takesOver} said so. */
  default void takeOver(MarketContext ctx, int marginAccount, int position) {
    throw new IllegalStateException(getClass().getSimpleName() + " takes over no position");
  }

  /** Whether this resolution closes positions against counterparties (deleveraging). */
  default boolean deleverages() {
    return false;
  }

  /**
   * Whether the market's trigger forbids the insurance fund to pay now (Bybit's 8-hour rule, OKX's
   * decline rate): then the fund takes nothing over and deleveraging runs instead. May update the
   * drawdown switch through the context.
   */
  default boolean forbidsFund(MarketContext ctx, int market) {
    return false;
  }

  /**
   * Covers what the insurance fund left of a closed margin account's shortfall and returns what is
   * still uncovered, to be written off as bad debt.
   */
  default long cover(MarketContext ctx, int marginAccount, int market, long uncovered) {
    return uncovered;
  }

  /** No last resort: what the fund cannot pay is bad debt. */
  record BadDebtOnly() implements BankruptcyResolution {}
}
