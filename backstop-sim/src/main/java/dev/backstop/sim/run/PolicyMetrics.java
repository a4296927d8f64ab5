package dev.backstop.sim.run;

import dev.backstop.core.num.Decimal;

/**
 * The figures of one policy's run. Money is exact (dollars, the engine's micro-unit scale); ratios
 * are doubles. Definitions follow RESEARCH.md and {@code docs/scenarios.md}.
 *
 * @param liquidations liquidation closes
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
 * @param budgetTaken what winners gave up against a close at mark (negative when deleveraging at
 *     the bankruptcy price paid them more than mark)
 * @param overshoot {@code budgetTaken - budgetNeeded}
 * @param backstopActions {@code backstop_applied} events
 * @param accountsDeleveraged distinct accounts the backstop took from
 * @param largestBurden the largest {@code x_i / u_i} over those accounts: {@code x_i} money taken
 *     plus, for deleveraging, the share of the position closed times {@code u_i}; {@code u_i} the
 *     largest positive PnL the account had when hit
 * @param gini Gini coefficient of the amounts taken over every winner (zeros included)
 * @param top10Share share of the total taken that came from the ten accounts hit hardest
 * @param ptsr largest winner equity left at the end over the deficit (the shortfall), Chitra's
 *     PTSR; null without a shortfall or without winners
 * @param pmr largest winner equity left at the end over the largest single liquidated account's
 *     shortfall, Chitra's PMR; null likewise
 * @param rankingInversions pairs of winners where the more leveraged one lost a smaller share
 * @param inversionRate inversions over the pairs with different leverage and burden
 * @param residualBadDebt bad debt left at the end
 * @param conservationError value in minus value held at the end, micro-units: must be 0
 * @param stateHash the engine's state hash at the end, hex
 */
public record PolicyMetrics(
    long liquidations,
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
    Decimal residualBadDebt,
    long conservationError,
    String stateHash) {

  /** Whether value was conserved to the last micro-unit. */
  public boolean conserved() {
    return conservationError == 0;
  }
}
