package dev.backstop.sim.run;

import dev.backstop.core.num.Decimal;

/**
 * The figures of one policy's run. Money is exact (dollars, the engine's micro-unit scale); ratios
 * are doubles. Definitions follow RESEARCH.md and {@code docs/scenarios.md}.
 *
 * @param liquidations liquidation closes
 * @param liquidatedSize the size those closes filled against the liquidity, in the market's unit
 * @param liquidatedNotional notional closed by liquidations, at the fill price
 * @param fundStart the insurance fund before the path
 * @param fundEnd the insurance fund after the path
 * @param fundLow the lowest balance the fund reached
 * @param fundDrawdown the largest fall from a running peak, as a share of that peak
 * @param shortfall the losses beyond liquidated accounts' collateral: what the fund, the backstop
 *     and bad debt had to carry
 * @param budgetNeeded what the backstop had to recover: the sum of the {@code backstop_applied}
 *     budgets needed, each the bankrupt account's negative equity at mark (0 when deleveraging at
 *     the bankruptcy price starts before equity at mark is negative)
 * @param budgetTaken what winners gave up against a close at mark, summed over the {@code
 *     backstop_applied} events, each counted at 0 if it paid winners more than mark: never negative
 * @param overshoot {@code budgetTaken - budgetNeeded}: negative when the backstop recovered less
 *     than it needed (the rest is bad debt), positive when it took more (a whole-position queue)
 * @param backstopActions {@code backstop_applied} events: the positions (or deficits) sent to the
 *     backstop
 * @param accountsDeleveraged distinct accounts the backstop hit: money taken, or lots of their
 *     positions closed (a close at the mark takes no money but closes the position)
 * @param largestBurden the largest burden of any account in any one round (backstop action): what
 *     the round took from it over its capacity in that round, {@code x_{i,t} / u_{i,t}}, never
 *     above 1. {@code x_{i,t}} is the money taken, or for deleveraging the share of the position
 *     closed times {@code u_{i,t}}; {@code u_{i,t}} is the account's positive PnL at the round's
 *     mark (the engine's seizable capacity for a haircut). Amounts of several rounds are never put
 *     over one round's capacity (Chitra et al., arXiv 2602.15182: the burden {@code m_t} is per
 *     round)
 * @param gini Gini coefficient of the amounts taken over every winner (zeros included)
 * @param top10Share share of the total taken that came from the ten accounts hit hardest
 * @param ptsr Chitra's PTSR (arXiv 2512.01112, corrected text, "ADL-Specific Efficiency Metrics"):
 *     {@code max_i (w_i - x_i)_+ / D}, the largest haircutable endowment left after ADL over the
 *     deficit (the shortfall); {@code w_i} a winner's positive PnL at the first backstop action,
 *     {@code x_i} everything taken from it; null without a shortfall or without winners
 * @param pmr Chitra's PMR: the same endowment over the largest single liquidated account's
 *     shortfall, fund cover, backstop and bad debt included (so that every policy, the bad-debt
 *     baseline too, divides by the same kind of loss); null likewise
 * @param rankingInversions pairs of winners where the more leveraged one (at the first backstop
 *     action) bore the smaller burden (Campbell, Hey, Moallemi, Nutz, arXiv 2603.15963), burdens
 *     within one unit of rounding counting as equal
 * @param inversionRate inversions over the pairs with different leverage and burden
 * @param monotonicityViolations adjacent inversions after ADL (Chitra et al., arXiv 2602.15182,
 *     section 5.2): per round, the winners sorted by capacity, adjacent pairs where the larger
 *     keeps less endowment than the smaller; summed over rounds
 * @param monotonicityRate the mean over rounds of each round's violations over its adjacent pairs
 * @param residualBadDebt bad debt left at the end
 * @param ordersFilledByBook liquidation orders the book filled at least in part, within their limit
 * @param ordersLeftUnfilled liquidation orders that left size unfilled, for the takeover layer and
 *     the backstop
 * @param takenOver positions (or parts) the fund's account or a vault took over
 * @param takenOverSize their size, in the market's unit
 * @param takenOverNotional their notional, at the takeover price
 * @param backstopSize the bankrupt size sent to the backstop ({@code backstop_applied}'s size
 *     needed), in the market's unit; 0 for money rules, which leave the position open
 * @param backstopNotional that size at the mark the backstop met it
 * @param adlNotional the notional of the deleveraging fills, at their price (0 for money rules)
 * @param adlFills the deleveraging fills ({@code deleveraged} events)
 * @param adlShareOfLiquidated {@code adlNotional} over all that liquidations closed: the book's
 *     fills, the takeovers and the deleveraging fills (2025-10-10 on Hyperliquid: 2.1B of 5.5B);
 *     null without liquidations
 * @param firstAdlSeconds seconds from the first liquidation order to the first backstop action;
 *     null if either is missing
 * @param backstopWaves runs of backstop actions, a gap of more than 5 s starting a new one
 * @param makersEquity the book's makers' equity at the end (their account holds the population's
 *     opposite positions and buys what liquidations sell); null on a pool venue, which has none
 * @param lpEquity the liquidity provider's equity at the end on a pool venue (GMX v2, Tradoor: the
 *     counterparty of the population and of every liquidation close); null on a book venue
 * @param conservationError value in minus value held at the end, micro-units: must be 0
 * @param stateHash the engine's state hash at the end, hex
 */
public record PolicyMetrics(
    long liquidations,
    Decimal liquidatedSize,
    Decimal liquidatedNotional,
    Decimal fundStart,
    Decimal fundEnd,
    Decimal fundLow,
    double fundDrawdown,
    Decimal shortfall,
    Decimal budgetNeeded,
    Decimal budgetTaken,
    Decimal overshoot,
    long backstopActions,
    long accountsDeleveraged,
    double largestBurden,
    double gini,
    double top10Share,
    Double ptsr,
    Double pmr,
    long rankingInversions,
    double inversionRate,
    long monotonicityViolations,
    double monotonicityRate,
    Decimal residualBadDebt,
    long ordersFilledByBook,
    long ordersLeftUnfilled,
    long takenOver,
    Decimal takenOverSize,
    Decimal takenOverNotional,
    Decimal backstopSize,
    Decimal backstopNotional,
    Decimal adlNotional,
    long adlFills,
    Double adlShareOfLiquidated,
    Double firstAdlSeconds,
    long backstopWaves,
    Decimal makersEquity,
    Decimal lpEquity,
    long conservationError,
    String stateHash) {

  /** Whether value was conserved to the last micro-unit. */
  public boolean conserved() {
    return conservationError == 0;
  }
}
