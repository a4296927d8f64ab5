package dev.backstop.sim.report;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.run.PolicyMetrics;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One column of the policy comparison, shared by the terminal table, the HTML tables and the
 * sweep's charts so all show the same figures under the same names.
 *
 * @param group the HTML table the column belongs to ({@link #LIQUIDATION}, {@link #BACKSTOP},
 *     {@link #SHARING}, {@link #CHECK})
 * @param heading the short heading of the terminal table
 * @param name the full name, for the HTML tables and the charts, with its unit
 * @param meaning what the figure is, for the legend and the definitions
 * @param rounded the figure as the terminal shows it (money in whole dollars, ratios to 2 decimals)
 * @param html the figure as the HTML tables show it (money in whole dollars, ratios to 4 decimals,
 *     shares to their first two significant digits; the exact amounts are in summary.json and
 *     summary.csv)
 * @param value the figure as a number for a chart (dollars, counts, shares from 0 to 1); NaN when
 *     there is none, and for the conservation check
 * @param format how a chart's axis writes {@code value}
 */
record MetricColumn(
    String group,
    String heading,
    String name,
    String meaning,
    Function<PolicyMetrics, String> rounded,
    Function<PolicyMetrics, String> html,
    ToDoubleFunction<PolicyMetrics> value,
    ChartSpec.Format format) {

  /** The group of liquidation and insurance-fund figures. */
  static final String LIQUIDATION = "Liquidations and the insurance fund";

  /** The group of what the backstop needed, took and left. */
  static final String BACKSTOP = "The backstop: needed, taken, left";

  /** The group of how the clawback was shared among winners. */
  static final String SHARING = "How the clawback was shared among winners";

  /** The conservation check, shown with the policies themselves. */
  static final String CHECK = "Check";

  /** Decimals of Gini, PTSR and PMR in the terminal, where width is scarce. */
  private static final int TERMINAL_DECIMALS = 2;

  /** Decimals of Gini, PTSR and PMR in the HTML table. */
  private static final int HTML_DECIMALS = 4;

  /** Whether value was conserved: the column the HTML table colours green or red. */
  static final MetricColumn CONSERVED =
      same(
          CHECK,
          "cons",
          "Conserved",
          "value in equals value held at the end, to the micro-unit",
          m -> m.conserved() ? "yes" : "no",
          m -> Double.NaN,
          ChartSpec.Format.PLAIN);

  /**
   * The monotonicity violation rate of arXiv 2602.15182: in the HTML table and the data files, not
   * in the terminal, which has no room for it.
   */
  static final MetricColumn MONOTONICITY =
      share(
          SHARING,
          "mono",
          "Monotonicity violation rate",
          "adjacent inversions after ADL (Chitra et al. 2602.15182, section 5.2): per round, winners"
              + " sorted by capacity, adjacent pairs where the larger keeps less; mean over rounds",
          PolicyMetrics::monotonicityRate);

  /** The waterfall's columns: in the HTML tables and the data files, not in the terminal. */
  static final MetricColumn TAKEN_OVER =
      count(
          BACKSTOP,
          "taken over",
          "Positions taken over",
          "positions (or parts) the book could not fill that the fund's account or a vault took over",
          PolicyMetrics::takenOver);

  static final MetricColumn ADL_SHARE =
      share(
          BACKSTOP,
          "ADL/liq",
          "ADL notional over liquidated notional",
          "notional of the deleveraging fills over all that liquidations closed (book fills,"
              + " takeovers and deleveraging; 2025-10-10 on Hyperliquid: 2.1B of 5.5B, 38%)",
          m -> m.adlShareOfLiquidated() == null ? 0 : m.adlShareOfLiquidated());

  static final MetricColumn FIRST_ADL =
      optionalRatio(
          BACKSTOP,
          "1st ADL s",
          "Seconds to the first backstop action",
          "seconds from the first liquidation order to the first backstop action (2025-10-10:"
              + " about 62 s), '-' when there is none",
          PolicyMetrics::firstAdlSeconds);

  static final MetricColumn WAVES =
      count(
          BACKSTOP,
          "waves",
          "Backstop waves",
          "runs of backstop actions, a gap of more than 5 s starting a new one (2025-10-10: 16)",
          PolicyMetrics::backstopWaves);

  /** The columns, in table order. */
  static final List<MetricColumn> ALL =
      List.of(
          count(
              LIQUIDATION,
              "liqs",
              "Liquidations",
              "liquidation closes",
              PolicyMetrics::liquidations),
          money(
              LIQUIDATION,
              "liquidated",
              "Liquidated notional (USD)",
              "notional closed by liquidations at the fill price",
              PolicyMetrics::liquidatedNotional),
          money(
              LIQUIDATION,
              "fund low",
              "Insurance fund low (USD)",
              "the lowest balance of the insurance fund",
              PolicyMetrics::fundLow),
          share(
              LIQUIDATION,
              "fund dd",
              "Insurance fund drawdown",
              "the fund's largest fall from a running peak, as a share of that peak",
              PolicyMetrics::fundDrawdown),
          money(
              LIQUIDATION,
              "shortfall",
              "Shortfall (USD)",
              "losses beyond liquidated accounts' collateral, carried by the fund, the backstop"
                  + " and bad debt",
              PolicyMetrics::shortfall),
          money(
              BACKSTOP,
              "ADL needed",
              "ADL budget needed (USD)",
              "what the backstop had to recover",
              PolicyMetrics::budgetNeeded),
          money(
              BACKSTOP,
              "taken",
              "Taken from winners (USD)",
              "what the backstop took from winners",
              PolicyMetrics::budgetTaken),
          money(
              BACKSTOP,
              "overshoot",
              "Overshoot (USD)",
              "taken minus needed",
              PolicyMetrics::overshoot),
          count(
              BACKSTOP,
              "accts",
              "Accounts deleveraged",
              "distinct accounts the backstop took from",
              PolicyMetrics::accountsDeleveraged),
          TAKEN_OVER,
          ADL_SHARE,
          FIRST_ADL,
          WAVES,
          share(
              SHARING,
              "burden",
              "Largest burden",
              "the largest x_i/u_i of any account in any one round: what the round took over the"
                  + " account's capacity (positive PnL) in that round, at most 100%",
              PolicyMetrics::largestBurden),
          ratio(
              SHARING,
              "Gini",
              "Gini coefficient",
              "Gini coefficient of the amounts taken, over all winners including those that lost nothing",
              PolicyMetrics::gini),
          share(
              SHARING,
              "top10",
              "Top-10 share",
              "share of the total taken that came from the ten accounts hit hardest",
              PolicyMetrics::top10Share),
          optionalRatio(
              SHARING,
              "PTSR",
              "PTSR",
              "largest haircutable endowment left, max (w_i - x_i)+, over the deficit (Chitra),"
                  + " '-' when there is no deficit",
              PolicyMetrics::ptsr),
          optionalRatio(
              SHARING,
              "PMR",
              "PMR",
              "largest haircutable endowment left over the largest single loser shortfall, bad"
                  + " debt included (Chitra), '-' when there is no deficit",
              PolicyMetrics::pmr),
          share(
              SHARING,
              "inv",
              "Ranking inversion rate",
              "share of comparable pairs of winners where the more leveraged one lost the smaller"
                  + " share (Campbell et al.), burdens within a unit of rounding tied",
              PolicyMetrics::inversionRate),
          MONOTONICITY,
          money(
              BACKSTOP,
              "bad debt",
              "Residual bad debt (USD)",
              "bad debt left at the end",
              PolicyMetrics::residualBadDebt),
          CONSERVED);

  /** The columns of the terminal table: all but {@link #MONOTONICITY} and the waterfall's. */
  static final List<MetricColumn> TERMINAL =
      ALL.stream()
          .filter(
              c ->
                  c != MONOTONICITY
                      && c != TAKEN_OVER
                      && c != ADL_SHARE
                      && c != FIRST_ADL
                      && c != WAVES)
          .toList();

  private static MetricColumn count(
      String group,
      String heading,
      String name,
      String meaning,
      ToLongFunction<PolicyMetrics> value) {
    return same(
        group,
        heading,
        name,
        meaning,
        m -> Formats.count(value.applyAsLong(m)),
        m -> value.applyAsLong(m),
        ChartSpec.Format.COUNT);
  }

  private static MetricColumn money(
      String group,
      String heading,
      String name,
      String meaning,
      Function<PolicyMetrics, Decimal> value) {
    Function<PolicyMetrics, String> whole = m -> Formats.wholeDollars(value.apply(m));
    return new MetricColumn(
        group,
        heading,
        name,
        meaning + ", USD",
        whole,
        whole,
        m -> value.apply(m).toDouble(),
        ChartSpec.Format.USD);
  }

  private static MetricColumn share(
      String group,
      String heading,
      String name,
      String meaning,
      ToDoubleFunction<PolicyMetrics> value) {
    return new MetricColumn(
        group,
        heading,
        name,
        meaning,
        m -> Formats.percent(value.applyAsDouble(m)),
        m -> Formats.finePercent(value.applyAsDouble(m)),
        value,
        ChartSpec.Format.SHARE);
  }

  private static MetricColumn ratio(
      String group,
      String heading,
      String name,
      String meaning,
      ToDoubleFunction<PolicyMetrics> value) {
    return optionalRatio(group, heading, name, meaning, m -> value.applyAsDouble(m));
  }

  private static MetricColumn optionalRatio(
      String group,
      String heading,
      String name,
      String meaning,
      Function<PolicyMetrics, Double> value) {
    return new MetricColumn(
        group,
        heading,
        name,
        meaning,
        m -> Formats.ratio(value.apply(m), TERMINAL_DECIMALS),
        m -> Formats.ratio(value.apply(m), HTML_DECIMALS),
        m -> value.apply(m) == null ? Double.NaN : value.apply(m),
        ChartSpec.Format.PLAIN);
  }

  private static MetricColumn same(
      String group,
      String heading,
      String name,
      String meaning,
      Function<PolicyMetrics, String> text,
      ToDoubleFunction<PolicyMetrics> value,
      ChartSpec.Format format) {
    return new MetricColumn(group, heading, name, meaning, text, text, value, format);
  }

  /** The columns of {@code group}, in table order. */
  static List<MetricColumn> group(String group) {
    return ALL.stream().filter(c -> c.group().equals(group)).toList();
  }
}
