package dev.backstop.sim.report;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.run.PolicyMetrics;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One column of the policy comparison, shared by the terminal table and the HTML table so both show
 * the same figures under the same names.
 *
 * @param heading the short heading of the terminal table
 * @param name the full name, for the HTML table
 * @param meaning what the figure is, for the legend and the definitions
 * @param rounded the figure as the terminal shows it (money in whole dollars)
 * @param exact the figure as the HTML table shows it (money to the last decimal)
 */
record MetricColumn(
    String heading,
    String name,
    String meaning,
    Function<PolicyMetrics, String> rounded,
    Function<PolicyMetrics, String> exact) {

  /** Decimals of Gini, PTSR and PMR in the terminal, where width is scarce. */
  private static final int TERMINAL_DECIMALS = 2;

  /** Decimals of Gini, PTSR and PMR in the HTML table. */
  private static final int HTML_DECIMALS = 4;

  /** Whether value was conserved: the column the HTML table colours green or red. */
  static final MetricColumn CONSERVED =
      same(
          "cons",
          "Conserved",
          "value in equals value held at the end, to the micro-unit",
          m -> m.conserved() ? "yes" : "no");

  /**
   * The monotonicity violation rate of arXiv 2602.15182: in the HTML table and the data files, not
   * in the terminal, which has no room for it.
   */
  static final MetricColumn MONOTONICITY =
      share(
          "mono",
          "Monotonicity violation rate",
          "adjacent inversions after ADL (Chitra et al. 2602.15182, section 5.2): per round, winners"
              + " sorted by capacity, adjacent pairs where the larger keeps less; mean over rounds",
          PolicyMetrics::monotonicityRate);

  /** The columns, in table order. */
  static final List<MetricColumn> ALL =
      List.of(
          count("liqs", "Liquidations", "liquidation closes", PolicyMetrics::liquidations),
          money(
              "liquidated",
              "Liquidated notional (USD)",
              "notional closed by liquidations at the fill price",
              PolicyMetrics::liquidatedNotional),
          money(
              "fund low",
              "Insurance fund low (USD)",
              "the lowest balance of the insurance fund",
              PolicyMetrics::fundLow),
          share(
              "fund dd",
              "Insurance fund drawdown",
              "the fund's largest fall from a running peak, as a share of that peak",
              PolicyMetrics::fundDrawdown),
          money(
              "shortfall",
              "Shortfall (USD)",
              "losses beyond liquidated accounts' collateral, carried by the fund, the backstop"
                  + " and bad debt",
              PolicyMetrics::shortfall),
          money(
              "ADL needed",
              "ADL budget needed (USD)",
              "what the backstop had to recover",
              PolicyMetrics::budgetNeeded),
          money(
              "taken",
              "Taken from winners (USD)",
              "what the backstop took from winners",
              PolicyMetrics::budgetTaken),
          money("overshoot", "Overshoot (USD)", "taken minus needed", PolicyMetrics::overshoot),
          count(
              "accts",
              "Accounts deleveraged",
              "distinct accounts the backstop took from",
              PolicyMetrics::accountsDeleveraged),
          share(
              "burden",
              "Largest burden",
              "the largest x_i/u_i of any account in any one round: what the round took over the"
                  + " account's capacity (positive PnL) in that round, at most 100%",
              PolicyMetrics::largestBurden),
          ratio(
              "Gini",
              "Gini coefficient",
              "Gini coefficient of the amounts taken, over all winners including those that lost nothing",
              PolicyMetrics::gini),
          share(
              "top10",
              "Top-10 share",
              "share of the total taken that came from the ten accounts hit hardest",
              PolicyMetrics::top10Share),
          optionalRatio(
              "PTSR",
              "PTSR",
              "largest haircutable endowment left, max (w_i - x_i)+, over the deficit (Chitra),"
                  + " '-' when there is no deficit",
              PolicyMetrics::ptsr),
          optionalRatio(
              "PMR",
              "PMR",
              "largest haircutable endowment left over the largest single loser shortfall, bad"
                  + " debt included (Chitra), '-' when there is no deficit",
              PolicyMetrics::pmr),
          share(
              "inv",
              "Ranking inversion rate",
              "share of comparable pairs of winners where the more leveraged one lost the smaller"
                  + " share (Campbell et al.), burdens within a unit of rounding tied",
              PolicyMetrics::inversionRate),
          MONOTONICITY,
          money(
              "bad debt",
              "Residual bad debt (USD)",
              "bad debt left at the end",
              PolicyMetrics::residualBadDebt),
          CONSERVED);

  /** The columns of the terminal table: all but {@link #MONOTONICITY}. */
  static final List<MetricColumn> TERMINAL = ALL.stream().filter(c -> c != MONOTONICITY).toList();

  private static MetricColumn count(
      String heading, String name, String meaning, ToLongFunction<PolicyMetrics> value) {
    return same(heading, name, meaning, m -> Formats.count(value.applyAsLong(m)));
  }

  private static MetricColumn money(
      String heading, String name, String meaning, Function<PolicyMetrics, Decimal> value) {
    return new MetricColumn(
        heading,
        name,
        meaning + ", USD",
        m -> Formats.wholeDollars(value.apply(m)),
        m -> Formats.fullDollars(value.apply(m)));
  }

  private static MetricColumn share(
      String heading, String name, String meaning, ToDoubleFunction<PolicyMetrics> value) {
    return same(heading, name, meaning, m -> Formats.percent(value.applyAsDouble(m)));
  }

  private static MetricColumn ratio(
      String heading, String name, String meaning, ToDoubleFunction<PolicyMetrics> value) {
    return optionalRatio(heading, name, meaning, m -> value.applyAsDouble(m));
  }

  private static MetricColumn optionalRatio(
      String heading, String name, String meaning, Function<PolicyMetrics, Double> value) {
    return new MetricColumn(
        heading,
        name,
        meaning,
        m -> Formats.ratio(value.apply(m), TERMINAL_DECIMALS),
        m -> Formats.ratio(value.apply(m), HTML_DECIMALS));
  }

  private static MetricColumn same(
      String heading, String name, String meaning, Function<PolicyMetrics, String> value) {
    return new MetricColumn(heading, name, meaning, value, value);
  }
}
