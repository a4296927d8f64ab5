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

  /** The group of the waterfall's layers: the liquidity, the takeover, the backstop. */
  static final String WATERFALL =
      "The waterfall: filled by the liquidity, taken over, sent to the backstop";

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

  static final MetricColumn ADL_SHARE =
      share(
          BACKSTOP,
          "ADL/liq",
          "ADL notional over liquidated notional",
          "notional of the deleveraging fills over all that liquidations closed (book fills,"
              + " takeovers and deleveraging; 2025-10-10 on Hyperliquid: 2.1B of 5.5B, 38%)",
          m -> m.adlShareOfLiquidated() == null ? 0 : m.adlShareOfLiquidated());

  static final MetricColumn FIRST_ADL =
      seconds(
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
          optionalMoney(
              LIQUIDATION,
              "makers",
              "Makers' equity at the end (USD)",
              "the order book's makers' equity at the end, '-' on a pool venue",
              PolicyMetrics::makersEquity),
          optionalMoney(
              LIQUIDATION,
              "LP",
              "Liquidity provider's equity at the end (USD)",
              "the pool's liquidity provider's equity at the end, '-' on a book venue",
              PolicyMetrics::lpEquity),
          count(
              WATERFALL,
              "liqs",
              "Liquidations filled by the liquidity",
              "liquidation closes the book's makers (or a pool's LP) filled",
              PolicyMetrics::liquidations),
          size(
              WATERFALL,
              "liq size",
              "Size filled by the liquidity",
              "the size those closes filled, in the market's unit",
              PolicyMetrics::liquidatedSize),
          money(
              WATERFALL,
              "liquidated",
              "Notional filled by the liquidity (USD)",
              "notional closed by liquidations at the fill price",
              PolicyMetrics::liquidatedNotional),
          count(
              WATERFALL,
              "t/o",
              "Positions taken over",
              "positions (or parts) the book could not fill that the fund's account or a vault"
                  + " took over",
              PolicyMetrics::takenOver),
          size(
              WATERFALL,
              "t/o size",
              "Size taken over",
              "the size taken over, in the market's unit",
              PolicyMetrics::takenOverSize),
          money(
              WATERFALL,
              "t/o USD",
              "Notional taken over (USD)",
              "the notional taken over, at the takeover price",
              PolicyMetrics::takenOverNotional),
          count(
              WATERFALL,
              "to bs",
              "Sent to the backstop",
              "bankrupt positions (or deficits) sent to the backstop: its actions",
              PolicyMetrics::backstopActions),
          size(
              WATERFALL,
              "bs size",
              "Size sent to the backstop",
              "the bankrupt size sent to the backstop, in the market's unit (0 for money rules,"
                  + " which leave the position open)",
              PolicyMetrics::backstopSize),
          money(
              WATERFALL,
              "bs USD",
              "Notional sent to the backstop (USD)",
              "that size at the mark the backstop met it",
              PolicyMetrics::backstopNotional),
          money(
              BACKSTOP,
              "ADL needed",
              "ADL budget needed (USD)",
              "the loss beyond liquidated accounts' collateral that the fund could not cover: the"
                  + " bankrupt accounts' negative equity at mark when the backstop acted",
              PolicyMetrics::budgetNeeded),
          money(
              BACKSTOP,
              "taken",
              "Taken from winners (USD)",
              "what winners lost against closing at the mark, never negative",
              PolicyMetrics::budgetTaken),
          money(
              BACKSTOP,
              "overshoot",
              "Overshoot (USD)",
              "taken minus needed: negative when the backstop recovered less (the rest is bad"
                  + " debt), positive when it took more",
              PolicyMetrics::overshoot),
          count(
              BACKSTOP,
              "accts",
              "Accounts deleveraged",
              "distinct accounts the backstop hit: money taken, or lots of their positions closed"
                  + " (a close at the mark, as ethereal's, takes no money but closes the position)",
              PolicyMetrics::accountsDeleveraged),
          money(
              BACKSTOP,
              "ADL USD",
              "ADL notional (USD)",
              "the notional of the deleveraging fills at their price (0 for money rules)",
              PolicyMetrics::adlNotional),
          count(BACKSTOP, "fills", "ADL fills", "the deleveraging fills", PolicyMetrics::adlFills),
          ADL_SHARE,
          FIRST_ADL,
          WAVES,
          money(
              BACKSTOP,
              "bad debt",
              "Residual bad debt (USD)",
              "bad debt left at the end",
              PolicyMetrics::residualBadDebt),
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
          CONSERVED);

  /**
   * The terminal's first table: the fund, what the backstop needed and took, how it was shared; all
   * but the waterfall's columns, the makers' and LP's equity and {@link #MONOTONICITY}.
   */
  static final List<MetricColumn> TERMINAL =
      List.of(
          get("fund low"),
          get("fund dd"),
          get("shortfall"),
          get("ADL needed"),
          get("taken"),
          get("overshoot"),
          get("accts"),
          get("burden"),
          get("Gini"),
          get("top10"),
          get("PTSR"),
          get("PMR"),
          get("inv"),
          get("bad debt"),
          CONSERVED);

  /**
   * The terminal's second table, the waterfall per layer: filled by the liquidity, taken over, sent
   * to the backstop (count, size, notional each), then the deleveraging fills.
   */
  static final List<MetricColumn> TERMINAL_WATERFALL =
      List.of(
          get("liqs"),
          get("liq size"),
          get("liquidated"),
          get("t/o"),
          get("t/o size"),
          get("t/o USD"),
          get("to bs"),
          get("bs size"),
          get("bs USD"),
          get("ADL USD"),
          get("fills"));

  /** The terminal's third table: when the backstop acted, and the liquidity's equity. */
  static final List<MetricColumn> TERMINAL_TIMING =
      List.of(get("ADL/liq"), get("1st ADL s"), get("waves"), get("makers"), get("LP"));

  /** The column of {@link #ALL} under {@code heading}. */
  private static MetricColumn get(String heading) {
    return ALL.stream().filter(c -> c.heading().equals(heading)).findFirst().orElseThrow();
  }

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

  private static MetricColumn optionalMoney(
      String group,
      String heading,
      String name,
      String meaning,
      Function<PolicyMetrics, Decimal> value) {
    Function<PolicyMetrics, String> whole =
        m -> value.apply(m) == null ? Formats.NONE : Formats.wholeDollars(value.apply(m));
    return new MetricColumn(
        group,
        heading,
        name,
        meaning + ", USD",
        whole,
        whole,
        m -> value.apply(m) == null ? Double.NaN : value.apply(m).toDouble(),
        ChartSpec.Format.USD);
  }

  /** A size in the market's unit, with thousands separators and two decimals. */
  private static MetricColumn size(
      String group,
      String heading,
      String name,
      String meaning,
      Function<PolicyMetrics, Decimal> value) {
    Function<PolicyMetrics, String> text = m -> Formats.size(value.apply(m));
    return new MetricColumn(
        group,
        heading,
        name,
        meaning,
        text,
        text,
        m -> value.apply(m).toDouble(),
        ChartSpec.Format.PLAIN);
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

  /** Seconds: whole in the terminal, one decimal in the HTML table; '-' when there are none. */
  private static MetricColumn seconds(
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
        m -> Formats.ratio(value.apply(m), 0),
        m -> Formats.ratio(value.apply(m), 1),
        m -> value.apply(m) == null ? Double.NaN : value.apply(m),
        ChartSpec.Format.PLAIN);
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
