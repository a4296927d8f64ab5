package dev.backstop.core.command;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.option.OptionKind;

/**
 * The engine's inputs. Every command either applies completely or is rejected with a reason and
 * changes nothing. Numbers are exact {@link Decimal}s; the engine converts them to the market's
 * lot, tick or money scale and rejects any value the scale cannot hold.
 */
public sealed interface Command {

  /** A short name of the command type, as in the CLI's JSON ({@code "trade"}, ...). */
  String type();

  /**
   * Lists a market.
   *
   * @param market the market's name
   * @param config its configuration
   */
  record CreateMarket(String market, MarketConfig config) implements Command {
    @Override
    public String type() {
      return "market";
    }
  }

  /**
   * Opens a bilateral settlement pool between a user and a liquidity provider (Variational Omni).
   *
   * @param pool the pool's name
   * @param user the trader's account
   * @param provider the liquidity provider's account
   */
  record CreatePool(String pool, String user, String provider) implements Command {
    @Override
    public String type() {
      return "pool";
    }
  }

  /**
   * Adds collateral to a margin account, creating the account on first deposit.
   *
   * @param account the account's name
   * @param amount the amount, money, positive
   * @param margin the margin account to credit
   */
  record Deposit(String account, Decimal amount, MarginRef margin) implements Command {
    @Override
    public String type() {
      return "deposit";
    }
  }

  /**
   * Takes free collateral out of a margin account.
   *
   * @param account the account's name
   * @param amount the amount, money, positive, at most the free collateral
   * @param margin the margin account to debit
   */
  record Withdraw(String account, Decimal amount, MarginRef margin) implements Command {
    @Override
    public String type() {
      return "withdraw";
    }
  }

  /**
   * Tops up the insurance fund that serves a market.
   *
   * @param market a market the fund serves
   * @param amount the amount, money, positive
   */
  record FundInsurance(String market, Decimal amount) implements Command {
    @Override
    public String type() {
      return "insurance";
    }
  }

  /**
   * A fill between two accounts. {@code takerIsBuyer} names the taker; each side trades from the
   * margin account its {@link MarginRef} names (a pool trade names the same pool on both sides).
   *
   * @param market the market's name
   * @param buyer the buying account
   * @param seller the selling account
   * @param size the size, positive, in the market's lots
   * @param price the price, positive, in the market's ticks
   * @param takerIsBuyer whether the buyer took liquidity
   * @param buyerMargin the buyer's margin account
   * @param sellerMargin the seller's margin account
   */
  record Trade(
      String market,
      String buyer,
      String seller,
      Decimal size,
      Decimal price,
      boolean takerIsBuyer,
      MarginRef buyerMargin,
      MarginRef sellerMargin)
      implements Command {
    @Override
    public String type() {
      return "trade";
    }
  }

  /**
   * New mark and index prices; liquidates every margin account the move puts below maintenance.
   *
   * @param index may be null (unchanged)
   * @param time the oracle time in milliseconds, or null for the engine's clock; a price older than
   *     the market's last one is stale and rejected
   * @param market the market's name
   * @param mark the new mark price, positive
   */
  record SetPrice(String market, Decimal mark, Decimal index, Long time) implements Command {
    @Override
    public String type() {
      return "price";
    }
  }

  /**
   * Rests a maker's ladder in a market's order book, replacing the maker's previous one: either the
   * market's own curve scaled to {@code depth} (notional within 1% of mark on each side; 0 cancels
   * the ladder), or explicit levels per side. Levels are pegged to the mark; what fills consume is
   * carried over to the new ladder (a maker cannot undo the crash's consumption by quoting again)
   * and comes back with the market's half-life. The maker trades with its own collateral: a level
   * fills only what the maker's margin carries.
   *
   * @param market the market's name (an order-book market)
   * @param account the maker
   * @param margin the maker's margin account; cross if null
   * @param depth the curve's depth within 1%, money, 0 or more; null with explicit levels
   * @param bids explicit bid levels, best first; null with a depth
   * @param asks explicit ask levels, best first; null with a depth
   */
  record Quote(
      String market,
      String account,
      MarginRef margin,
      Decimal depth,
      java.util.List<Level> bids,
      java.util.List<Level> asks)
      implements Command {
    @Override
    public String type() {
      return "quote";
    }

    /** A ladder of the market's curve scaled to {@code depth}. */
    public static Quote depth(String market, String account, Decimal depth) {
      return new Quote(market, account, null, depth, null, null);
    }
  }

  /**
   * One level of a ladder.
   *
   * @param offset distance from the mark, as a fraction (0.001 = 0.1%), in [0, 1)
   * @param notional the level's notional, money, positive
   */
  record Level(Decimal offset, Decimal notional) {}

  /**
   * A funding payment at a rate on the mark value: longs pay shorts when the rate is positive.
   *
   * @param market the market's name
   * @param rate the funding rate; positive: longs pay shorts
   */
  record ApplyFunding(String market, Decimal rate) implements Command {
    @Override
    public String type() {
      return "funding";
    }
  }

  /**
   * Variational Omni's liquidity-constraint mode: the liquidity provider must free {@code amount}
   * of margin, so its sides of settlement pools are liquidated (counterparty liquidation of their
   * options and perpetuals, the users receiving the penalty) in a defined order, the pool whose
   * side needs the most initial margin first, ties by pool name, until the margin released reaches
   * the amount or no pool is left.
   *
   * @param provider the liquidity provider's account
   * @param amount the margin to free, money, positive
   */
  record FreeLpMargin(String provider, Decimal amount) implements Command {
    @Override
    public String type() {
      return "free-margin";
    }
  }

  /**
   * Moves the engine's clock forward (milliseconds); time never goes back.
   *
   * @param time the new engine time, milliseconds, not before the current one
   */
  record AdvanceTime(long time) implements Command {
    @Override
    public String type() {
      return "time";
    }
  }

  /**
   * Lists a European option on a perpetual market, traded only in settlement pools (Variational
   * Omni's options): cash-settled at expiry against the underlying's index, priced by Black-76 on
   * the underlying's mark at its volatility.
   *
   * @param option the option's name (no market may have it)
   * @param underlying the perpetual market it is written on
   * @param kind call or put
   * @param strike the strike, positive, in the underlying's ticks
   * @param expiry the expiry time, milliseconds, after the engine's clock
   * @param volatility the implied volatility, a positive rate ({@code 0.6} = 60%), at most 10
   */
  record CreateOption(
      String option,
      String underlying,
      OptionKind kind,
      Decimal strike,
      long expiry,
      Decimal volatility)
      implements Command {
    @Override
    public String type() {
      return "option";
    }
  }

  /**
   * An option fill between the two sides of a settlement pool, at a premium the liquidity provider
   * quoted for a request (Omni's RFQ). The premium must lie within the option's price at its
   * volatility moved by the underlying's price band (10%: 60% volatility trades between 54% and
   * 66%); no fee.
   *
   * @param option the option's name
   * @param buyer the buying account
   * @param seller the selling account
   * @param size the size, positive, in the underlying's lots (one lot: one lot of the underlying)
   * @param premium the premium per unit of the underlying, positive, in the underlying's ticks
   * @param takerIsBuyer whether the buyer asked for the quote
   * @param pool the settlement pool both sides trade from
   */
  record OptionTrade(
      String option,
      String buyer,
      String seller,
      Decimal size,
      Decimal premium,
      boolean takerIsBuyer,
      String pool)
      implements Command {
    @Override
    public String type() {
      return "option-trade";
    }
  }

  /**
   * A new implied volatility for an option; liquidates every pool side it puts below maintenance.
   *
   * @param option the option's name
   * @param volatility the implied volatility, a positive rate, at most 10
   */
  record SetVolatility(String option, Decimal volatility) implements Command {
    @Override
    public String type() {
      return "volatility";
    }
  }

  /**
   * Settles an option at its expiry: every position is paid its intrinsic value at the underlying's
   * index and closed. Accepted once the engine's clock has reached the expiry.
   *
   * @param option the option's name
   */
  record ExpireOption(String option) implements Command {
    @Override
    public String type() {
      return "expiry";
    }
  }
}
