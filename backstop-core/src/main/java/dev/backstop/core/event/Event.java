package dev.backstop.core.event;

import dev.backstop.core.num.Decimal;
import dev.backstop.core.option.OptionKind;

/**
 * The engine's outputs, numbered from 1 in the order they happen. Every event that moves value
 * names the accounts, market, size, price and amount involved, so a ledger can be audited from the
 * events alone. Account names are as given in commands; margin accounts are written as in {@link
 * dev.backstop.core.command.MarginRef#toString()}.
 */
public sealed interface Event {

  /** Position in the event stream, from 1. */
  long seq();

  /** Engine time in milliseconds when the event happened. */
  long time();

  /**
   * A command was refused; nothing changed, not even the event sequence: {@code seq} is the number
   * the next event will carry, so a stream with a rejected command continues exactly as one without
   * it.
   *
   * @param seq the number the next event will carry
   * @param time engine time in milliseconds when it happened
   * @param command the refused command's type ({@link dev.backstop.core.command.Command#type()})
   * @param code why, machine-readable
   * @param reason why, in words
   */
  record Rejected(long seq, long time, String command, RejectionCode code, String reason)
      implements Event {}

  /**
   * A market was listed.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param preset the preset it started from, or {@code custom}
   * @param insuranceFund the name of the insurance fund serving it
   */
  record MarketCreated(long seq, long time, String market, String preset, String insuranceFund)
      implements Event {}

  /**
   * A settlement pool was opened.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param pool the pool's name
   * @param user the trader's account
   * @param provider the liquidity provider's account
   */
  record PoolCreated(long seq, long time, String pool, String user, String provider)
      implements Event {}

  /**
   * Collateral came in.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param account the account credited
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param amount the amount deposited
   * @param balance the margin account's collateral after the deposit
   */
  record Deposited(
      long seq, long time, String account, String margin, Decimal amount, Decimal balance)
      implements Event {}

  /**
   * Collateral went out.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param account the account debited
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param amount the amount withdrawn
   * @param balance the margin account's collateral after the withdrawal
   */
  record Withdrawn(
      long seq, long time, String account, String margin, Decimal amount, Decimal balance)
      implements Event {}

  /** Why an insurance fund moved. */
  enum FundReason {
    /** A deposit into the fund. */
    TOP_UP,
    /** A liquidation fee. */
    LIQUIDATION_FEE,
    /** What a fully liquidated account had left, under {@code SurplusRule.TO_INSURANCE}. */
    LIQUIDATION_SURPLUS,
    /** The fund paid a liquidated account's shortfall. */
    SHORTFALL_COVER,
    /** The fund posted margin to its takeover account, for a position it took over. */
    TAKEOVER_MARGIN,
    /** Margin its takeover account no longer needs came back to the fund. */
    TAKEOVER_RETURN
  }

  /**
   * An insurance fund moved by {@code amount} (positive in, negative out).
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param fund the fund's name
   * @param market the market whose event moved it
   * @param reason why it moved
   * @param amount the change, positive in, negative out
   * @param balance the fund's balance after the change
   * @param account the account paying or paid, or null for a top-up
   */
  record InsuranceFundChanged(
      long seq,
      long time,
      String fund,
      String market,
      FundReason reason,
      Decimal amount,
      Decimal balance,
      String account)
      implements Event {}

  /**
   * A maker's ladder now rests in a market's order book (or was cancelled: no levels).
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the maker
   * @param margin the maker's margin account
   * @param bidLevels levels on the bid side
   * @param askLevels levels on the ask side
   * @param bidNotional the bid ladder's notional, money
   * @param askNotional the ask ladder's notional, money
   */
  record Quoted(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      int bidLevels,
      int askLevels,
      Decimal bidNotional,
      Decimal askNotional)
      implements Event {}

  /** Why a liquidation order stopped filling. */
  enum OrderStop {
    /** It filled its whole size. */
    FILLED,
    /** The next level was beyond its limit price. */
    LIMIT,
    /** No level within the limit was left. */
    DEPTH,
    /** Makers within the limit had no margin for more. */
    MAKER_MARGIN
  }

  /**
   * A liquidation order met the order book: an immediate-or-cancel order with a limit, walking the
   * levels best first. Its fills are the {@link Liquidated} events before it; what it left unfilled
   * passes to the takeover layer and the backstop.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the liquidated account
   * @param margin its margin account
   * @param size the order's signed size (negative: selling a long)
   * @param limitPrice the worst price it could fill at
   * @param markPrice the mark at the order
   * @param filledSize the size it filled (unsigned)
   * @param unfilledSize the size it left (unsigned)
   * @param levels the levels it filled against
   * @param stoppedBy why it stopped
   */
  record LiquidationOrder(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      Decimal size,
      Decimal limitPrice,
      Decimal markPrice,
      Decimal filledSize,
      Decimal unfilledSize,
      int levels,
      OrderStop stoppedBy)
      implements Event {}

  /** Which layer took over a position the book could not absorb. */
  enum TakeoverLayer {
    /** The insurance fund's takeover account. */
    FUND,
    /** A liquidator vault. */
    VAULT
  }

  /**
   * A position the book could not absorb was taken over, before any backstop: by the insurance fund
   * at the bankruptcy price (Binance, BitMEX), or by a liquidator vault at the mark with the
   * account's whole collateral (Hyperliquid).
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the liquidated account
   * @param margin its margin account
   * @param taker the taking account ({@code fund:NAME} or the vault)
   * @param layer fund or vault
   * @param size the signed size taken from the account (negative: a long taken)
   * @param price the transfer price
   * @param markPrice the mark at the takeover
   * @param collateral money moved with it: the margin the fund posted, or the collateral a vault
   *     took
   */
  record TakenOver(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      String taker,
      TakeoverLayer layer,
      Decimal size,
      Decimal price,
      Decimal markPrice,
      Decimal collateral)
      implements Event {}

  /** What set a market's prices. */
  enum PriceSource {
    /** A price command (the oracle). */
    PRICE,
    /** The first trade of a market with no price yet. */
    TRADE
  }

  /**
   * Mark and index prices changed.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param mark the new mark price
   * @param index the new index price
   * @param source what set the prices
   */
  record PriceUpdated(
      long seq, long time, String market, Decimal mark, Decimal index, PriceSource source)
      implements Event {}

  /** Why a fill happened. */
  enum FillKind {
    /** An ordinary trade. */
    TRADE,
    /** A liquidation close. */
    LIQUIDATION,
    /** A deleveraging fill between a bankrupt position and an offsetting counterparty. */
    DELEVERAGE,
    /** A position the book could not absorb, moving to the fund's account or a vault. */
    TAKEOVER,
    /** The fund or a vault selling what it took over back to the book. */
    OFFLOAD,
    /** A liquidity provider's close against its traders when it cannot keep its margin. */
    COUNTERPARTY
  }

  /** Which side of a fill took liquidity. */
  enum Taker {
    /** The buyer took. */
    BUYER,
    /** The seller took. */
    SELLER
  }

  /**
   * A fill between two margin accounts.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param kind why the fill happened
   * @param market the market's name
   * @param buyer the buying account
   * @param buyerMargin the buyer's margin account, as {@link
   *     dev.backstop.core.command.MarginRef#toString()} writes it
   * @param seller the selling account
   * @param sellerMargin the seller's margin account, written the same way
   * @param taker which side took liquidity
   * @param size the size traded (positive)
   * @param price the fill price
   * @param notional size times price
   * @param buyerFee the fee the buyer paid
   * @param sellerFee the fee the seller paid
   */
  record Fill(
      long seq,
      long time,
      FillKind kind,
      String market,
      String buyer,
      String buyerMargin,
      String seller,
      String sellerMargin,
      Taker taker,
      Decimal size,
      Decimal price,
      Decimal notional,
      Decimal buyerFee,
      Decimal sellerFee)
      implements Event {}

  /**
   * One account's position after a fill: signed sizes (long > 0), average entry price, and the PnL
   * the fill realized.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param account the account
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param market the market's name
   * @param sizeBefore the signed size before the fill
   * @param size the signed size after the fill
   * @param entryPrice the average entry price after the fill
   * @param realizedPnl the PnL the fill realized
   * @param fee the fee this side paid
   */
  record PositionChanged(
      long seq,
      long time,
      String account,
      String margin,
      String market,
      Decimal sizeBefore,
      Decimal size,
      Decimal entryPrice,
      Decimal realizedPnl,
      Decimal fee)
      implements Event {}

  /**
   * A position's funding settled: what it owed (or was owed) for every round since its last
   * settlement, moved between its margin account and the market's funding pool. Funding settles
   * when the position is next touched (a fill, a withdrawal from its margin account), as dYdX v4
   * settles a subaccount's funding on its next update; until then it counts in the margin account's
   * equity.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param account the account
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param market the market's name
   * @param size the signed position size funded (held since the last settlement)
   * @param amount what the position received (negative: paid), rounded against it
   */
  record FundingPaid(
      long seq,
      long time,
      String account,
      String margin,
      String market,
      Decimal size,
      Decimal amount)
      implements Event {}

  /**
   * A funding round: the market's cumulative funding index moved by {@code rate * price} per unit
   * of size. Each position pays or receives its share when next touched ({@link FundingPaid}).
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param rate the funding rate; positive: longs pay shorts
   * @param price the mark the round was paid on
   * @param openInterest the long size open (equal to the short size)
   * @param amount what the paying side owes in all, {@code openInterest * price * |rate|}, rounded
   *     down (each position's share rounds when it settles)
   */
  record FundingSettled(
      long seq,
      long time,
      String market,
      Decimal rate,
      Decimal price,
      Decimal openInterest,
      Decimal amount)
      implements Event {}

  /**
   * A liquidation close. The liquidated account is the taker; {@code maker} took the other side.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the liquidated account
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param maker the account that took the other side
   * @param makerMargin the maker's margin account, written the same way
   * @param sizeClosed signed size taken off the position (negative when a long was sold)
   * @param price the fill price of the close
   * @param markPrice the mark price at the close
   * @param bankruptcyPrice price at which the account's equity would be exactly zero before the
   *     close
   * @param fee liquidation fee paid to the insurance fund
   * @param remainingSize the position left after the close
   * @param full whether the margin account was fully liquidated
   */
  record Liquidated(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      String maker,
      String makerMargin,
      Decimal sizeClosed,
      Decimal price,
      Decimal markPrice,
      Decimal bankruptcyPrice,
      Decimal fee,
      Decimal remainingSize,
      boolean full)
      implements Event {}

  /**
   * A liquidated account's loss that nothing covered, written off: the account is set back to zero
   * and the amount added to the engine's bad debt.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param account the liquidated account
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param market the market's name
   * @param amount the loss written off
   * @param totalBadDebt the engine's bad debt after it
   */
  record BadDebtRecorded(
      long seq,
      long time,
      String account,
      String margin,
      String market,
      Decimal amount,
      Decimal totalBadDebt)
      implements Event {}

  /**
   * The liquidated side of a deleveraging fill ({@code DELEVERAGED} in dYdX v4's terms): a bankrupt
   * position closed against a counterparty instead of the market.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the bankrupt account
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param counterparty the account whose position offset it
   * @param counterpartyMargin the counterparty's margin account, written the same way
   * @param size signed size taken off the bankrupt position
   * @param price the fill price
   * @param markPrice the mark price at the fill
   * @param bankruptcyPrice the bankrupt position's bankruptcy price
   * @param rule the policy that chose the counterparty ({@code queue}, {@code random}, ...)
   */
  record Deleveraged(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      String counterparty,
      String counterpartyMargin,
      Decimal size,
      Decimal price,
      Decimal markPrice,
      Decimal bankruptcyPrice,
      String rule)
      implements Event {}

  /**
   * The counterparty side of a deleveraging fill ({@code OFFSETTING}): a profitable position
   * reduced against the bankrupt one.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the counterparty whose position was reduced
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param liquidatedAccount the bankrupt account it offset
   * @param size signed size taken off the counterparty's position
   * @param price the fill price
   * @param markPrice the mark price at the fill
   * @param rank 1 for the first counterparty the rule took
   * @param score the ranking score that selected it (rate scale; 0 for unranked rules)
   * @param amount what the fill cost it against a close at mark: {@code |size| * |mark - price|}
   *     when the price is worse than mark for it (its clawed-back profit), negative when better
   * @param rule the policy that chose it
   */
  record Offsetting(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      String liquidatedAccount,
      Decimal size,
      Decimal price,
      Decimal markPrice,
      long rank,
      Decimal score,
      Decimal amount,
      String rule)
      implements Event {}

  /**
   * A winner's profit clawed back in money (wealth pro rata, RAP, min-max burden): moved from its
   * collateral to the bankrupt account; its position stays open.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the winner
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param liquidatedAccount the bankrupt account it covered
   * @param amount the profit clawed back
   * @param capacity its positive PnL before the haircut
   * @param burden amount / capacity
   * @param rule the policy that set the amount
   */
  record Haircut(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      String liquidatedAccount,
      Decimal amount,
      Decimal capacity,
      Decimal burden,
      String rule)
      implements Event {}

  /**
   * One position's share of a socialized loss (Drift v2): charged per unit of size, longs and
   * shorts alike.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the account charged
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param size the signed size of its position
   * @param amount what it was charged
   */
  record LossSocialized(
      long seq,
      long time,
      String market,
      String account,
      String margin,
      Decimal size,
      Decimal amount)
      implements Event {}

  /** What a backstop did. */
  enum BackstopAction {
    /** Positions were closed against opposite or LP positions. */
    DELEVERAGE,
    /** Profit was clawed back in money. */
    HAIRCUT,
    /** The loss was charged to every position per unit of size. */
    SOCIALIZE
  }

  /**
   * The totals of one backstop action on a bankrupt account: what was needed and what was taken, in
   * money and in size, and any overshoot (taken beyond need: only rules that reproduce a venue that
   * closes whole positions overshoot).
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param market the market's name
   * @param account the bankrupt account
   * @param resolution {@code deleverage}, {@code haircut} or {@code socialize}
   * @param trigger the trigger that fired, by its wire name ({@code fund}, {@code drawdown}, {@code
   *     pnl-factor}, {@code lp-exposure}; OKX's levels {@code fund-balance} and {@code
   *     liquidation-volume})
   * @param triggerValue the value the trigger measured when it fired: {@code fund}, the fund's
   *     balance (below {@code triggerLevel}, or at or above it when the takeover layer declined the
   *     position); {@code drawdown}, the fund's fall from its peak in the window (a rate); {@code
   *     fund-balance}, the fund's balance; {@code liquidation-volume}, the notional at mark the
   *     fund's takeover account held; {@code pnl-factor}, traders' PnL over the pool (a rate);
   *     {@code lp-exposure}, the LP's exposure in the contract (money)
   * @param triggerLevel the level it was measured against: {@code fund}, the deficit to cover;
   *     {@code drawdown}, the start rate; {@code fund-balance}, OKX's {@code adlBal}; {@code
   *     liquidation-volume}, the position level; {@code pnl-factor}, the maximum factor; {@code
   *     lp-exposure}, the LP's equity (its liquidity)
   * @param rule the policy that chose who gave, by its name
   * @param fundBalance the insurance fund's balance as the action ended: the trigger fired because
   *     it could not cover the need, or because the drawdown rule forbade it to pay
   * @param budgetNeeded the deficit the backstop had to cover: the bankrupt account's negative
   *     equity at mark (deleveraging), or what the insurance fund left uncovered (money rules)
   * @param budgetTaken what it took from counterparties
   * @param sizeNeeded lots of the bankrupt position (0 for money resolutions)
   * @param sizeTaken lots closed from counterparties
   * @param overshootSize lots closed beyond need (against the market's liquidity)
   * @param residual what the backstop left uncovered: the engine then covers it from the insurance
   *     fund where it may, and writes the rest off as bad debt
   */
  record BackstopApplied(
      long seq,
      long time,
      String market,
      String account,
      BackstopAction resolution,
      String trigger,
      Decimal triggerValue,
      Decimal triggerLevel,
      String rule,
      Decimal fundBalance,
      Decimal budgetNeeded,
      Decimal budgetTaken,
      Decimal sizeNeeded,
      Decimal sizeTaken,
      Decimal overshootSize,
      Decimal residual)
      implements Event {}

  /** What a trader notice is about. */
  enum NoticeCategory {
    /** The position was closed against a bankrupt one (an offsetting fill). */
    AUTO_DELEVERAGING,
    /** Unrealized profit was clawed back to cover a bankrupt account. */
    PROFIT_HAIRCUT,
    /** The liquidity provider's side of the pool was liquidated (Variational Omni). */
    COUNTERPARTY_LIQUIDATION
  }

  /**
   * A message for an affected trader, fit for an in-app banner: what happened to which position, at
   * what size and price, and what it cost or paid.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param account the affected account
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param market the market's name
   * @param category what happened to the trader's position
   * @param size the size affected
   * @param price the price it happened at
   * @param amount what it cost (or paid) the trader
   * @param message the text for the trader
   */
  record TraderNotice(
      long seq,
      long time,
      String account,
      String margin,
      String market,
      NoticeCategory category,
      Decimal size,
      Decimal price,
      Decimal amount,
      String message)
      implements Event {}

  /**
   * Variational Omni's counterparty liquidation: the liquidity provider's side of a settlement pool
   * was liquidated and the user's position closed at mark plus the liquidation reward, paid to the
   * user. Shown as "counterparty liquidation" in the user's trade and transfer history.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param pool the settlement pool
   * @param market the market's name
   * @param user the user's account
   * @param provider the liquidity provider's account
   * @param size the user's signed position change
   * @param price the close price: mark plus the liquidation penalty
   * @param markPrice the mark price at the close
   * @param reward what the user received beyond a close at mark
   */
  record CounterpartyLiquidation(
      long seq,
      long time,
      String pool,
      String market,
      String user,
      String provider,
      Decimal size,
      Decimal price,
      Decimal markPrice,
      Decimal reward)
      implements Event {}

  /**
   * The clock moved.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   */
  record ClockAdvanced(long seq, long time) implements Event {}

  /**
   * An option was listed on a perpetual market.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param option the option's name
   * @param underlying the perpetual market it is written on
   * @param kind call or put
   * @param strike the strike price
   * @param expiry the expiry time, milliseconds
   * @param volatility its implied volatility
   */
  record OptionListed(
      long seq,
      long time,
      String option,
      String underlying,
      OptionKind kind,
      Decimal strike,
      long expiry,
      Decimal volatility)
      implements Event {}

  /**
   * An option's implied volatility changed; its mark premium and Greeks after, per unit of the
   * underlying.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param option the option's name
   * @param volatility the new implied volatility
   * @param premium the mark premium at it (Black-76 on the underlying's mark, rounded up)
   * @param delta the option's delta
   * @param vega the premium's change per vol point
   */
  record VolatilityUpdated(
      long seq,
      long time,
      String option,
      Decimal volatility,
      Decimal premium,
      Decimal delta,
      Decimal vega)
      implements Event {}

  /**
   * An option position of a liquidated pool side closed against the pool's other side at the
   * premium of the option's implied volatility plus the penalty in vol points (buying back a short)
   * or minus it (selling a long), at most what the liquidated side has left (Variational Omni: "for
   * options the penalty will apply to the implied volatility"). With the {@link Fill} and both
   * {@link PositionChanged} events before it.
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param option the option's name
   * @param account the liquidated account (the taker)
   * @param margin its margin account
   * @param maker the pool's other side, which takes the close
   * @param makerMargin the maker's margin account
   * @param sizeClosed the liquidated side's signed change (positive: a short bought back)
   * @param premium the premium per unit the close filled at
   * @param markPremium the option's mark premium at its implied volatility
   * @param impliedVolatility the option's implied volatility
   * @param volatility the volatility the close was priced at: implied plus or minus the penalty
   * @param penalty what the liquidated side paid the maker beyond the mark premium, money
   */
  record OptionLiquidated(
      long seq,
      long time,
      String option,
      String account,
      String margin,
      String maker,
      String makerMargin,
      Decimal sizeClosed,
      Decimal premium,
      Decimal markPremium,
      Decimal impliedVolatility,
      Decimal volatility,
      Decimal penalty)
      implements Event {}

  /**
   * An option expired and was settled in cash at the underlying's index: every position was paid
   * {@code size * payoff} and closed (a {@link PositionChanged} each, before this event).
   *
   * @param seq position in the event stream, from 1
   * @param time engine time in milliseconds when it happened
   * @param option the option's name
   * @param underlying the perpetual market it is written on
   * @param settlementPrice the underlying's index it settled at
   * @param payoff what one unit paid: {@code max(0, index - strike)} for a call, {@code max(0,
   *     strike - index)} for a put
   * @param openInterest the long size that was open
   * @param paid what the longs received in all, money (the shorts paid as much)
   */
  record OptionExpired(
      long seq,
      long time,
      String option,
      String underlying,
      Decimal settlementPrice,
      Decimal payoff,
      Decimal openInterest,
      Decimal paid)
      implements Event {}
}
