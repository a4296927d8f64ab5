package dev.backstop.core.market;

import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.event.WireName;
import java.util.Objects;

/**
 * The last resort of a market: when it fires ({@link Trigger}), what it does ({@link Resolution})
 * and at what price deleveraging fills execute ({@link ExecutionPrice}). Every venue's backstop is
 * a value of this type; see {@link MarketPresets} and {@code docs/venues.md}.
 *
 * @param trigger when the backstop acts
 * @param resolution what it does
 * @param price the execution price of deleveraging fills
 */
public record BackstopSpec(Trigger trigger, Resolution resolution, ExecutionPrice price) {

  /**
   * Validates the specification as a whole: each trigger, resolution and price must fit the others,
   * so that no combination is accepted that the engine would ignore in part or could not run.
   *
   * <ul>
   *   <li>the tick-time triggers (PnL factor, LP exposure) reduce positions, so they need the
   *       {@code deleverage} resolution; the PnL factor shares an amount of PnL, so its policy must
   *       share a budget;
   *   <li>money resolutions (haircut, socialize, bad debt) act after the fund could not cover a
   *       shortfall: only the {@code fund} trigger (the fund cannot cover), and no execution price
   *       but the default ({@code bankruptcy}), since they execute no fills;
   *   <li>the premium-index price is defined by the LP-exposure trigger's premium.
   * </ul>
   */
  public BackstopSpec {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(price, "price");
    boolean tickTime =
        trigger instanceof Trigger.PnlFactor || trigger instanceof Trigger.LpExposure;
    if (tickTime && !(resolution instanceof Resolution.Deleverage)) {
      throw new IllegalArgumentException(
          "the "
              + trigger.wireName()
              + " trigger reduces positions: it needs the deleverage"
              + " resolution, not "
              + resolution.wireName());
    }
    if (!(resolution instanceof Resolution.Deleverage)) {
      if (!(trigger instanceof Trigger.FundCannotCover)) {
        throw new IllegalArgumentException(
            "the "
                + resolution.wireName()
                + " resolution acts when the fund cannot cover a"
                + " shortfall; the "
                + trigger.wireName()
                + " trigger would be ignored");
      }
      if (price != ExecutionPrice.BANKRUPTCY) {
        throw new IllegalArgumentException(
            "the "
                + resolution.wireName()
                + " resolution executes no fills; an execution price of "
                + WireName.of(price)
                + " would be ignored");
      }
    }
    if (trigger instanceof Trigger.PnlFactor && price != ExecutionPrice.MARK) {
      throw new IllegalArgumentException(
          "the pnl-factor trigger closes positions at mark (GMX executes at the oracle price);"
              + " an execution price of "
              + WireName.of(price)
              + " would be ignored");
    }
    if (trigger instanceof Trigger.LpExposure
        && (price == ExecutionPrice.BANKRUPTCY
            || price == ExecutionPrice.MARK_CAPPED_AT_BANKRUPTCY)) {
      throw new IllegalArgumentException(
          "the lp-exposure trigger closes positions that are not bankrupt: it has no bankruptcy"
              + " price; use premium-index, mark or previous-mark");
    }
    if (price == ExecutionPrice.PREMIUM_INDEX && !(trigger instanceof Trigger.LpExposure)) {
      throw new IllegalArgumentException(
          "the premium-index price is defined by the lp-exposure trigger, not "
              + trigger.wireName());
    }
    if (trigger instanceof Trigger.PnlFactor
        && resolution instanceof Resolution.Deleverage d
        && !d.policy().supports(AllocationMode.BUDGET)) {
      throw new IllegalArgumentException(
          "the pnl-factor trigger shares an amount of PnL, which policy "
              + d.policy().name()
              + " cannot share");
    }
    if (resolution instanceof Resolution.Deleverage d
        && !d.policy().supports(AllocationMode.SIZE)) {
      throw new IllegalArgumentException(
          "policy " + d.policy().name() + " cannot share a size to close");
    }
    if (resolution instanceof Resolution.Haircut h && !h.policy().supports(AllocationMode.BUDGET)) {
      throw new IllegalArgumentException("policy " + h.policy().name() + " cannot share a budget");
    }
  }

  /** No last resort: the fund pays what it can and the rest is written off as bad debt. */
  public static BackstopSpec badDebtOnly() {
    return new BackstopSpec(
        new Trigger.FundCannotCover(), new Resolution.BadDebt(), ExecutionPrice.BANKRUPTCY);
  }

  /** When the backstop acts. */
  public sealed interface Trigger {

    /**
     * The trigger's one name in command files, snapshots and messages: {@code fund}, {@code
     * drawdown}, {@code pnl-factor}, {@code lp-exposure}.
     */
    default String wireName() {
      return switch (this) {
        case FundCannotCover t -> "fund";
        case FundDrawdown t -> "drawdown";
        case PnlFactor t -> "pnl-factor";
        case LpExposure t -> "lp-exposure";
      };
    }

    /**
     * A liquidation close would leave a shortfall the insurance fund cannot cover (BitMEX, Binance,
     * Bybit's "fund balance {@code <= 0}"; Hyperliquid's "account value {@code < 0} after the
     * backstop liquidator"; dYdX v4's "negative total net collateral after a liquidation that
     * cannot be filled").
     */
    record FundCannotCover() implements Trigger {}

    /**
     * Also fires while the insurance fund has fallen by {@code startRate} or more from its highest
     * balance within the last {@code windowMillis}, until the fall is back to {@code stopRate} or
     * less: Bybit's 8-hour PnL ratio with a stop ratio, OKX's decline rate with {@code adl_end}. In
     * that state the fund pays no shortfall; deleveraging does.
     *
     * <p>OKX starts the same state for two more reasons (OKX API v5, {@code GET
     * /api/v5/public/insurance-fund} and the {@code adl-warning} channel, field {@code adlType}):
     * {@code bal_adl_start}, "ADL begins due to insurance fund balance falling", at the balance
     * {@code adlBal} ("insurance fund balance that triggers ADL") and off again at {@code
     * adlRecBal} ("insurance fund balance that turns off ADL"); and {@code pos_adl_start}, "ADL
     * begins due to the volume of liquidation orders" accumulating "to a certain level" (pre-market
     * symbols): here the notional at mark of what the fund's takeover account holds of liquidated
     * positions. The state ends ({@code adl_end}) once every reason that is configured is back
     * below its level.
     *
     * @param windowMillis the window of the running peak, milliseconds
     * @param startRate the fall from the peak that turns the state on (rate scale)
     * @param stopRate the fall at or below which it turns off again (rate scale)
     * @param balanceStart OKX's {@code adlBal}: a fund balance at or below which the state turns
     *     on, money units; 0 for none
     * @param balanceStop OKX's {@code adlRecBal}: the balance at or above which it may turn off,
     *     money units, at least {@code balanceStart}; 0 when {@code balanceStart} is 0
     * @param positionStart the notional at mark of the takeover account's position in the market at
     *     or above which the state turns on (OKX's position-based trigger), money units; 0 for none
     */
    record FundDrawdown(
        long windowMillis,
        long startRate,
        long stopRate,
        long balanceStart,
        long balanceStop,
        long positionStart)
        implements Trigger {
      /** Validates. */
      public FundDrawdown {
        if (windowMillis <= 0 || startRate <= 0 || stopRate < 0 || stopRate > startRate) {
          throw new IllegalArgumentException(
              "drawdown trigger needs window > 0 and 0 <= stop <= start, start > 0");
        }
        if (balanceStart < 0
            || balanceStop < balanceStart
            || (balanceStart == 0) != (balanceStop == 0)) {
          throw new IllegalArgumentException(
              "drawdown trigger's balances need 0 < start <= stop, or both 0 for none");
        }
        if (positionStart < 0) {
          throw new IllegalArgumentException("drawdown trigger's position level must be >= 0");
        }
      }

      /** The rate rule alone (Bybit; OKX's decline rate). */
      public FundDrawdown(long windowMillis, long startRate, long stopRate) {
        this(windowMillis, startRate, stopRate, 0, 0, 0);
      }

      /**
       * This trigger with OKX's balance levels {@code adlBal} and {@code adlRecBal}, money units.
       */
      public FundDrawdown withBalance(long start, long stop) {
        return new FundDrawdown(windowMillis, startRate, stopRate, start, stop, positionStart);
      }

      /** This trigger with OKX's position-based level, a notional in money units. */
      public FundDrawdown withPosition(long notional) {
        return new FundDrawdown(
            windowMillis, startRate, stopRate, balanceStart, balanceStop, notional);
      }
    }

    /**
     * GMX v2: per market and side, when traders' PnL exceeds {@code maxRate} of the pool's value
     * without PnL, profitable positions are reduced until the factor is back under the maximum, but
     * never below {@code minRate} (hysteresis; {@code MAX_PNL_FACTOR_FOR_ADL} and {@code
     * MIN_PNL_FACTOR_AFTER_ADL}).
     *
     * @param maxRate the PnL factor above which positions are reduced (rate scale)
     * @param minRate the factor below which a reduction never goes (rate scale)
     */
    record PnlFactor(long maxRate, long minRate) implements Trigger {
      /** Validates. */
      public PnlFactor {
        if (minRate <= 0 || minRate >= maxRate) {
          throw new IllegalArgumentException("PnL factor trigger needs 0 < min < max");
        }
      }
    }

    /**
     * Tradoor: when the LP's net exposure in a contract exceeds the LP's liquidity, positions on
     * the side that creates the exposure are reduced until the exposure is zero, contracts with the
     * largest exposure first. The premium rate at the trigger is {@code premiumSlope * exposure /
     * liquidity}, capped at {@code maxPremium}.
     *
     * @param premiumSlope the slope of the premium rate (rate scale)
     * @param maxPremium the cap of the premium rate (rate scale)
     */
    record LpExposure(long premiumSlope, long maxPremium) implements Trigger {
      /** Validates. */
      public LpExposure {
        if (premiumSlope < 0 || maxPremium < 0) {
          throw new IllegalArgumentException("premium slope and cap must be >= 0");
        }
      }
    }
  }

  /** What the backstop does when it fires. */
  public sealed interface Resolution {

    /**
     * The resolution's one name in command files, snapshots and messages: {@code bad-debt}, {@code
     * deleverage}, {@code haircut}, {@code socialize}.
     */
    default String wireName() {
      return switch (this) {
        case BadDebt r -> "bad-debt";
        case Deleverage r -> "deleverage";
        case Haircut r -> "haircut";
        case Socialize r -> "socialize";
      };
    }

    /** Nothing: the shortfall is written off as bad debt. */
    record BadDebt() implements Resolution {}

    /**
     * Close the bankrupt position against opposite-side positions chosen and sized by a policy in
     * lots (the ADL queue, dYdX's random start, contract pro rata, water-filling): fills {@code
     * DELEVERAGED} for the liquidated side and {@code OFFSETTING} for the counterparty.
     *
     * @param policy chooses the counterparties and sizes their closes
     */
    record Deleverage(AllocationPolicy policy) implements Resolution {
      /** Validates. */
      public Deleverage {
        Objects.requireNonNull(policy, "policy");
      }
    }

    /**
     * Close the bankrupt position with the liquidity as usual, then claw the uncovered shortfall
     * back from the winners' positive PnL, shared by a policy in money (wealth pro rata, RAP,
     * min-max burden).
     *
     * @param policy shares the shortfall over the winners
     */
    record Haircut(AllocationPolicy policy) implements Resolution {
      /** Validates. */
      public Haircut {
        Objects.requireNonNull(policy, "policy");
      }
    }

    /**
     * Drift v2: after the insurance fund, the fee pool pays; what remains is socialized over every
     * open position of the market per unit of size, longs and shorts alike ({@code delta = L /
     * (baseLong + baseShort)}).
     */
    record Socialize() implements Resolution {}
  }

  /** The price at which deleveraging fills execute. */
  public enum ExecutionPrice {
    /** The bankrupt position's bankruptcy price (BitMEX, Binance, Bybit, dYdX v4). */
    BANKRUPTCY,
    /** The mark price at matching (OKX). */
    MARK,
    /** The mark before the current price update (Hyperliquid). */
    PREVIOUS_MARK,
    /**
     * The oracle mark, capped at the bankruptcy price (Ethereal): never better for the bankrupt
     * position than its bankruptcy price.
     */
    MARK_CAPPED_AT_BANKRUPTCY,
    /**
     * The mark, or the bankruptcy price when the insurance fund cannot cover the bankrupt account's
     * deficit (OKX).
     */
    MARK_OR_BANKRUPTCY,
    /** {@code (1 + PR_0) * index}: the premium-adjusted index (Tradoor). */
    PREMIUM_INDEX
  }
}
