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
   * Whether the full close of a bankrupt position must go to {@link #takeOver} instead of the
   * market's liquidity. Asked before every full close of a liquidation; may update trigger state
   * (the drawdown switch) through the context.
   */
  default boolean takesOver(MarketContext ctx, int marginAccount, int position) {
    return false;
  }

  /** Closes the position through the backstop; only called after {@link #takesOver} said so. */
  default void takeOver(MarketContext ctx, int marginAccount, int position) {
    throw new IllegalStateException(getClass().getSimpleName() + " takes over no position");
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
