package dev.backstop.core.market;

import dev.backstop.core.num.Fixed;
import java.util.Objects;

/**
 * Who takes over what a liquidation order could not fill in the book, before the market's backstop
 * (MECHANISMS.md, "How a liquidation order meets the market"). The taker is a margined account with
 * finite capital: it takes only what its capital carries, and what it cannot take goes to the
 * backstop (deleveraging); on markets whose backstop does not deleverage (haircuts, socialization,
 * bad debt) it takes the rest anyway, and its own shortfall then runs through the fund, the
 * backstop and bad debt. It offloads what it holds to the book on every price and time update.
 */
public sealed interface TakeoverSpec {

  /** The layer's one name in command files and snapshots. */
  default String wireName() {
    return switch (this) {
      case None n -> "none";
      case Fund f -> "fund";
      case Vault v -> "vault";
    };
  }

  /** The slippage within which the taker offloads to the book, rate scale. */
  long offloadSlippageRate();

  /** No takeover: what the book cannot fill goes to the backstop, or stays open. */
  record None() implements TakeoverSpec {
    @Override
    public long offloadSlippageRate() {
      return 0;
    }
  }

  /**
   * The insurance fund takes bankrupt positions over at their bankruptcy price, into its own
   * account ({@code fund:NAME}, owned by the engine), posting their initial margin from the fund.
   * Binance: "To the extent possible, the Futures Insurance Funds will take over Bankrupt
   * Positions", within a maximum net notional position, "by default, this is 100% the size of the
   * insurance fund" (Binance FAQ 360033525371); BitMEX's liquidation engine takes the position over
   * in the same way, bounded by the fund's capital only.
   *
   * @param netNotionalCapRate the largest net notional the fund may hold in a market, as a rate of
   *     its value (balance plus its account's equity); 0 for no cap beyond its capital
   * @param offloadSlippageRate the slippage within which it offloads to the book, rate scale
   */
  record Fund(long netNotionalCapRate, long offloadSlippageRate) implements TakeoverSpec {
    /** Validates ranges. */
    public Fund {
      if (netNotionalCapRate < 0 || netNotionalCapRate > 100 * Fixed.RATE_ONE) {
        throw new IllegalArgumentException("fund takeover cap must be in [0, 100]");
      }
      checkSlippage(offloadSlippageRate);
    }
  }

  /**
   * A liquidator vault with its own capital (Hyperliquid): when a liquidated account's equity falls
   * below {@code triggerRate} of its maintenance margin without a successful liquidation through
   * the book, its positions and its whole collateral are transferred to the vault at the mark ("the
   * maintenance margin is not returned to the user"). An account already at negative equity, or one
   * the vault cannot carry, goes to the backstop (ADL) instead. The vault is margined and
   * deleveraged like any account (Hyperliquid docs, Trading: Liquidations).
   *
   * @param account the vault's account (deposited into like any account; no user may trade with it)
   * @param triggerRate the fraction of maintenance margin below which the vault takes over, rate
   *     scale, in (0, 1]
   * @param offloadSlippageRate the slippage within which it offloads to the book, rate scale
   */
  record Vault(String account, long triggerRate, long offloadSlippageRate) implements TakeoverSpec {
    /** Validates ranges. */
    public Vault {
      Objects.requireNonNull(account, "account");
      if (account.isBlank()) {
        throw new IllegalArgumentException("the liquidator vault's account must be named");
      }
      if (triggerRate <= 0 || triggerRate > Fixed.RATE_ONE) {
        throw new IllegalArgumentException("vault trigger must be in (0, 1]");
      }
      checkSlippage(offloadSlippageRate);
    }
  }

  private static void checkSlippage(long rate) {
    if (rate <= 0 || rate >= Fixed.RATE_ONE) {
      throw new IllegalArgumentException("offload slippage must be in (0, 1)");
    }
  }
}
