package dev.backstop.core.engine;

import dev.backstop.core.num.Decimal;
import java.util.List;

/**
 * A snapshot of the whole engine, for output and for checks.
 *
 * @param accounts one entry per margin account (cross, isolated, pool side), by creation order
 * @param insuranceFunds every insurance fund
 * @param markets every market with its prices and open interest
 * @param feesCollected trading fees
 * @param badDebt losses written off because nothing covered them
 * @param deposited all deposits
 * @param withdrawn all withdrawals
 * @param insuranceFunded all insurance-fund top-ups
 * @param time engine time, milliseconds
 * @param stateHash {@link Engine#stateHash()}
 * @param options every listed option with its mark premium and Greeks
 * @param optionPositions every open option position, by margin account then option
 */
public record EngineState(
    List<MarginAccount> accounts,
    List<Fund> insuranceFunds,
    List<Market> markets,
    Decimal feesCollected,
    Decimal badDebt,
    Decimal deposited,
    Decimal withdrawn,
    Decimal insuranceFunded,
    long time,
    long stateHash,
    List<Option> options,
    List<OptionPosition> optionPositions) {

  /**
   * The balance sheet: {@code deposited - withdrawn + insuranceFunded} minus {@code sum of equities
   * + insurance funds + funding pools + fees - bad debt}, in money units. Value is conserved when
   * it is 0, which the engine's properties check after every command and the simulator after every
   * run.
   */
  public long conservationError() {
    long in =
        Math.addExact(
            Math.subtractExact(units(deposited), units(withdrawn)), units(insuranceFunded));
    long held = Math.subtractExact(units(feesCollected), units(badDebt));
    for (MarginAccount a : accounts) {
      held = Math.addExact(held, units(a.equity()));
    }
    for (Fund f : insuranceFunds) {
      held = Math.addExact(held, units(f.balance()));
    }
    for (Market m : markets) {
      held = Math.addExact(held, units(m.fundingPool()));
    }
    return Math.subtractExact(in, held);
  }

  private static long units(Decimal money) {
    return money.toUnits(dev.backstop.core.num.Fixed.MONEY_DECIMALS);
  }

  /**
   * One margin account (an account's cross margin, an isolated position or a pool side).
   *
   * @param collateral cash: deposits, realized PnL, fees and funding
   * @param equity collateral plus unrealized PnL at mark
   * @param marginRatio maintenance margin over equity (Binance's "margin ratio"): the account is
   *     liquidated when it reaches 1; null without positions or when equity is not positive
   * @param role what the account is to the engine: {@code user} (traders and makers), {@code
   *     liquidity-provider}, {@code insurance-fund} (a fund's takeover account) or {@code
   *     liquidator-vault}; every role is margined and liquidated alike
   * @param account the account's name
   * @param margin the margin account, as {@link dev.backstop.core.command.MarginRef#toString()}
   *     writes it
   * @param maintenanceMargin the maintenance margin of its positions
   * @param initialMargin the initial margin of its positions
   * @param positions its open positions
   */
  public record MarginAccount(
      String account,
      String margin,
      Decimal collateral,
      Decimal equity,
      Decimal maintenanceMargin,
      Decimal initialMargin,
      Decimal marginRatio,
      String role,
      List<Position> positions) {}

  /**
   * One open position. {@code size} is signed (long > 0).
   *
   * @param liquidationPrice the mark at which the margin account becomes liquidatable, others
   *     fixed; null if there is none
   * @param market the market's name
   * @param size the signed size
   * @param entryPrice the average entry price
   * @param unrealizedPnl the PnL at mark
   * @param unsettledFunding the funding the position will receive (negative: pay) when it next
   *     settles: every round since its last settlement, rounded against it; counted in equity
   * @param bankruptcyPrice the mark at which the margin account's equity is zero, others fixed;
   *     null if there is none
   */
  public record Position(
      String market,
      Decimal size,
      Decimal entryPrice,
      Decimal unrealizedPnl,
      Decimal unsettledFunding,
      Decimal liquidationPrice,
      Decimal bankruptcyPrice) {}

  /**
   * An insurance fund.
   *
   * @param name the fund's name
   * @param balance its balance
   */
  public record Fund(String name, Decimal balance) {}

  /**
   * A market's prices and open interest (long size equals short size).
   *
   * @param market the market's name
   * @param preset the preset it started from, or {@code custom}
   * @param mark the mark price, or null before the first price
   * @param index the index price, or null before the first price
   * @param longSize the total long size
   * @param shortSize the total short size
   * @param liquidity {@code book} or {@code lp}
   * @param bidNotional the notional resting on the bid side now (after consumption), money
   * @param askNotional the notional resting on the ask side now, money
   * @param fundingPool the market's funding pool at its value: the cash it holds (what payers have
   *     settled less what receivers have) plus what the open positions still owe it, net. Every
   *     settlement rounds in the pool's favour, so it is never negative; it is the rounding dust
   */
  public record Market(
      String market,
      String preset,
      Decimal mark,
      Decimal index,
      Decimal longSize,
      Decimal shortSize,
      String liquidity,
      Decimal bidNotional,
      Decimal askNotional,
      Decimal fundingPool) {}

  /**
   * A listed option, its mark premium and Greeks per unit of the underlying (Black-76 on the
   * underlying's mark at the option's volatility; after expiry its intrinsic value).
   *
   * @param option the option's name
   * @param underlying the perpetual market it is written on
   * @param kind {@code call} or {@code put}
   * @param strike the strike
   * @param expiry the expiry time, milliseconds
   * @param volatility the implied volatility
   * @param premium the mark premium, rounded up to the tick; null before the underlying's mark
   * @param delta the premium's change per unit change of the underlying, to 8 decimals
   * @param vega the premium's change per vol point, to 8 decimals beyond the tick
   * @param openInterest the long size open
   * @param settlementPrice the index it settled at; null until it is settled
   */
  public record Option(
      String option,
      String underlying,
      String kind,
      Decimal strike,
      long expiry,
      Decimal volatility,
      Decimal premium,
      Decimal delta,
      Decimal vega,
      Decimal openInterest,
      Decimal settlementPrice) {}

  /**
   * One open option position of a pool side. {@code size} is signed (long > 0), in the underlying's
   * units.
   *
   * @param account the account's name
   * @param margin its margin account
   * @param option the option's name
   * @param size the signed size
   * @param entryPremium the average premium paid or received
   * @param unrealizedPnl the PnL at the mark premium
   * @param delta the position's delta, in units of the underlying, to 8 decimals
   * @param vega the position's value change per vol point, money, rounded to the unit
   */
  public record OptionPosition(
      String account,
      String margin,
      String option,
      Decimal size,
      Decimal entryPremium,
      Decimal unrealizedPnl,
      Decimal delta,
      Decimal vega) {}
}
