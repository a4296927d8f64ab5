package dev.backstop.sim.sweep;

import dev.backstop.core.num.Decimal;
import dev.backstop.sim.path.SyntheticPathSpec;
import dev.backstop.sim.path.SyntheticPathSpec.Crash;
import dev.backstop.sim.scenario.Scenario;
import dev.backstop.sim.scenario.Scenario.LiquidityModel;
import dev.backstop.sim.scenario.Scenario.LogNormal;
import dev.backstop.sim.scenario.Scenario.SyntheticPopulation;
import dev.backstop.sim.scenario.ScenarioException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A scenario parameter a sweep can vary, with the scenario field it sets ({@code
 * docs/scenarios.md}). Each sets one value and leaves the rest of the scenario as it was; a value
 * the field cannot take is refused naming the parameter, the field and the value.
 */
public enum SweepParameter {
  /** The insurance fund at the start, {@code insuranceFund}, dollars. */
  FUND("fund", "insuranceFund", "insurance fund at the start (USD)", false),
  /** The book's depth within 1% of mark at the start, {@code liquidity.depth}, dollars. */
  DEPTH("depth", "liquidity.depth", "order-book depth within 1% of mark (USD)", false),
  /** The share of the depth gone at the deepest point, {@code liquidity.thinning}, in [0, 1). */
  THINNING("thinning", "liquidity.thinning", "share of the depth gone at the bottom", false),
  /** The book's resilience: the half-life of consumed depth, {@code liquidity.halfLife}, s. */
  HALF_LIFE("half-life", "liquidity.halfLife", "half-life of consumed depth (s)", false),
  /** The crash's fall, {@code pricePath.synthetic.crash.depth}, in (0, 1). */
  CRASH_DEPTH("crash-depth", "pricePath.synthetic.crash.depth", "crash depth (share)", false),
  /**
   * How long the fall takes, {@code pricePath.synthetic.crash.minutes}; in a {@code waves} crash
   * the pause between two legs is 70% of {@code minutes / waves}, so this sets the wave gap.
   */
  CRASH_MINUTES(
      "crash-minutes", "pricePath.synthetic.crash.minutes", "crash duration (minutes)", false),
  /** The number of legs of a {@code waves} crash, {@code pricePath.synthetic.crash.waves}. */
  CRASH_WAVES("crash-waves", "pricePath.synthetic.crash.waves", "liquidation waves (count)", true),
  /** The share of the fall recovered, {@code pricePath.synthetic.crash.rebound}, in [0, 1]. */
  REBOUND("rebound", "pricePath.synthetic.crash.rebound", "rebound (share of the fall)", false),
  /** The traders' median leverage, {@code population.synthetic.leverage.median}. */
  LEVERAGE("leverage", "population.synthetic.leverage.median", "median leverage", false),
  /** The number of traders, {@code population.synthetic.accounts}. */
  ACCOUNTS("accounts", "population.synthetic.accounts", "traders (count)", true),
  /** The path's daily volatility, {@code pricePath.synthetic.volatility}. */
  VOLATILITY("volatility", "pricePath.synthetic.volatility", "volatility per day", false);

  private final String wireName;
  private final String field;
  private final String label;
  private final boolean whole;

  SweepParameter(String wireName, String field, String label, boolean whole) {
    this.wireName = wireName;
    this.field = field;
    this.label = label;
    this.whole = whole;
  }

  /** The name the CLI uses: {@code fund}, {@code crash-depth}, ... */
  public String wireName() {
    return wireName;
  }

  /** The scenario field it sets. */
  public String field() {
    return field;
  }

  /** The axis label of the sweep's charts, with the unit. */
  public String label() {
    return label;
  }

  /** Whether the values must be whole numbers. */
  public boolean whole() {
    return whole;
  }

  /** Whether the values are amounts of money, dollars. */
  public boolean inDollars() {
    return this == FUND || this == DEPTH;
  }

  /** Every parameter's CLI name, in declaration order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(SweepParameter::wireName).toList();
  }

  /**
   * The parameter of that CLI name.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static SweepParameter of(String name) {
    for (SweepParameter p : values()) {
      if (p.wireName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown parameter '" + name + "'; expected one of: " + String.join(", ", names()));
  }

  /**
   * The scenario with this parameter set to {@code value}.
   *
   * @throws ScenarioException if the scenario has no such field (a CSV population, a klines path, a
   *     path without a crash) or the field cannot take the value, naming both
   */
  public Scenario apply(Scenario s, double value) {
    if (!Double.isFinite(value) || (whole && value != Math.rint(value))) {
      throw refused(value, whole ? "must be a whole number" : "must be finite");
    }
    try {
      return switch (this) {
        case FUND -> with(s, money(value, 0), s.liquidity(), s.pricePath(), s.population());
        case DEPTH -> with(s, s.insuranceFund(), liquidity(s, money(value, 1), -1), null, null);
        case THINNING -> {
          if (!(value >= 0 && value < 1)) {
            throw refused(value, "must be in [0, 1)");
          }
          yield with(s, s.insuranceFund(), liquidity(s, s.liquidity().depth(), value), null, null);
        }
        case HALF_LIFE -> {
          if (!(value > 0 && value <= 86_400)) {
            throw refused(value, "must be in (0, 86400] seconds");
          }
          LiquidityModel l = s.liquidity();
          yield with(
              s,
              s.insuranceFund(),
              new LiquidityModel(
                  l.depth(), l.halfSpread(), value, l.thinning(), l.lpCapital(), l.makerCapital()),
              null,
              null);
        }
        case CRASH_DEPTH, CRASH_MINUTES, CRASH_WAVES, REBOUND -> withCrash(s, value);
        case VOLATILITY -> withPath(s, path(s), value, crash(s));
        case LEVERAGE, ACCOUNTS -> withPopulation(s, value);
      };
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(
          "--param " + wireName + " = " + text(value) + ": " + e.getMessage(), e);
    }
  }

  private static Scenario with(
      Scenario s,
      Decimal fund,
      LiquidityModel liquidity,
      Scenario.PathSpec path,
      Scenario.PopulationSpec population) {
    return new Scenario(
        s.name(),
        s.description(),
        s.seed(),
        s.market(),
        fund,
        population == null ? s.population() : population,
        path == null ? s.pricePath() : path,
        liquidity,
        s.policies());
  }

  private static LiquidityModel liquidity(Scenario s, Decimal depth, double thinning) {
    LiquidityModel l = s.liquidity();
    return new LiquidityModel(
        depth,
        l.halfSpread(),
        l.halfLife(),
        thinning >= 0 ? thinning : l.thinning(),
        l.lpCapital(),
        l.makerCapital());
  }

  private Scenario withCrash(Scenario s, double value) {
    Crash c = crash(s);
    if (c == null) {
      throw refused(value, "the scenario's synthetic path has no crash");
    }
    Crash changed =
        switch (this) {
          case CRASH_DEPTH ->
              new Crash(
                  c.atMinute(),
                  value,
                  c.minutes(),
                  c.shape(),
                  c.waves(),
                  c.rebound(),
                  c.reboundMinutes());
          case CRASH_MINUTES ->
              new Crash(
                  c.atMinute(),
                  c.depth(),
                  value,
                  c.shape(),
                  c.waves(),
                  c.rebound(),
                  c.reboundMinutes());
          case CRASH_WAVES -> {
            if (!Crash.WAVES.equals(c.shape())) {
              throw refused(value, "the crash's shape is " + c.shape() + ", not waves");
            }
            yield new Crash(
                c.atMinute(),
                c.depth(),
                c.minutes(),
                c.shape(),
                (int) value,
                c.rebound(),
                c.reboundMinutes());
          }
          default ->
              new Crash(
                  c.atMinute(),
                  c.depth(),
                  c.minutes(),
                  c.shape(),
                  c.waves(),
                  value,
                  c.reboundMinutes());
        };
    SyntheticPathSpec p = path(s);
    return withPath(s, p, p.volatility(), changed);
  }

  private static Scenario withPath(Scenario s, SyntheticPathSpec p, double volatility, Crash c) {
    SyntheticPathSpec changed =
        new SyntheticPathSpec(
            p.start(),
            p.minutes(),
            p.stepSeconds(),
            p.drift(),
            volatility,
            p.jumpsPerDay(),
            p.jumpMean(),
            p.jumpStd(),
            c);
    return with(s, s.insuranceFund(), s.liquidity(), new Scenario.PathSpec(changed, null), null);
  }

  private SyntheticPathSpec path(Scenario s) {
    SyntheticPathSpec p = s.pricePath().synthetic();
    if (p == null) {
      throw new ScenarioException(
          "--param " + wireName + ": the scenario's price path is klines, not synthetic");
    }
    return p;
  }

  private Crash crash(Scenario s) {
    return path(s).crash();
  }

  private Scenario withPopulation(Scenario s, double value) {
    SyntheticPopulation p = s.population().synthetic();
    if (p == null) {
      throw new ScenarioException(
          "--param " + wireName + ": the scenario's population is a CSV file, not synthetic");
    }
    if (this == ACCOUNTS) {
      if (value < Scenario.MIN_ACCOUNTS || value > Scenario.MAX_ACCOUNTS) {
        throw refused(
            value, "must be between " + Scenario.MIN_ACCOUNTS + " and " + Scenario.MAX_ACCOUNTS);
      }
      return s.withAccounts((int) value);
    }
    LogNormal l = p.leverage();
    if (!(value >= l.min() && value <= l.max())) {
      throw refused(
          value, "must be within the leverage's [min, max], [" + l.min() + ", " + l.max() + "]");
    }
    SyntheticPopulation changed =
        new SyntheticPopulation(
            p.accounts(),
            p.equity(),
            new LogNormal(value, l.sigma(), l.min(), l.max()),
            p.longShare(),
            p.entry(),
            p.maxProfitShare());
    return with(
        s, s.insuranceFund(), s.liquidity(), null, new Scenario.PopulationSpec(changed, null));
  }

  /** An amount of money as an exact decimal of at least {@code floor}: 0 for the fund, 1 else. */
  private Decimal money(double value, int floor) {
    if (value < floor) {
      throw refused(value, floor == 0 ? "must be >= 0" : "must be > 0");
    }
    return Decimal.parse(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
  }

  private ScenarioException refused(double value, String problem) {
    return new ScenarioException(
        "--param " + wireName + " (" + field + ") = " + text(value) + ": " + problem);
  }

  /** A value as the user would write it: {@code 50000}, {@code 0.13}. */
  public static String text(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.format(Locale.ROOT, "%d", (long) value)
        : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
