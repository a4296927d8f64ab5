package dev.backstop.sim.scenario;

import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import dev.backstop.sim.run.Policies;

/** Checks a scenario's values; every error names the field. */
final class ScenarioValidator {

  private final String source;

  private ScenarioValidator(String source) {
    this.source = source;
  }

  static void validate(Scenario s, String source) {
    new ScenarioValidator(source).check(s);
  }

  private void check(Scenario s) {
    require(s.name() != null && !s.name().isBlank(), "name", "is required");
    require(s.market() != null, "market", "is required");
    require(
        s.market().name() != null && !s.market().name().isBlank(), "market.name", "is required");
    require(s.market().preset() != null, "market.preset", "is required");
    require(
        MarketPresets.names().contains(s.market().preset()),
        "market.preset",
        "unknown preset '"
            + s.market().preset()
            + "'; known: "
            + String.join(", ", MarketPresets.names()));
    nonNegative(s.insuranceFund(), "insuranceFund");
    population(s.population());
    path(s.pricePath());
    liquidity(s.liquidity());
    for (int i = 0; i < s.policies().size(); i++) {
      String problem = Policies.problem(s.policies().get(i));
      require(problem == null, "policies[" + i + "]", problem);
    }
  }

  private void population(Scenario.PopulationSpec p) {
    require(p != null, "population", "is required");
    exactlyOne("population", p.synthetic(), "synthetic", p.csv(), "csv");
    Scenario.SyntheticPopulation s = p.synthetic();
    if (s == null) {
      return;
    }
    String f = "population.synthetic.";
    require(
        s.accounts() >= Scenario.MIN_ACCOUNTS && s.accounts() <= Scenario.MAX_ACCOUNTS,
        f + "accounts",
        "must be between " + Scenario.MIN_ACCOUNTS + " and " + Scenario.MAX_ACCOUNTS);
    logNormal(s.equity(), f + "equity");
    logNormal(s.leverage(), f + "leverage");
    require(s.leverage().min() >= 1, f + "leverage.min", "must be at least 1");
    require(s.longShare() > 0 && s.longShare() < 1, f + "longShare", "must be in (0, 1)");
    require(s.entry() != null, f + "entry", "is required");
    require(Double.isFinite(s.entry().mean()), f + "entry.mean", "must be finite");
    require(
        Double.isFinite(s.entry().sigma()) && s.entry().sigma() >= 0 && s.entry().sigma() < 1,
        f + "entry.sigma",
        "must be in [0, 1)");
    require(
        s.maxProfitShare() > 0 && s.maxProfitShare() < 1,
        f + "maxProfitShare",
        "must be in (0, 1)");
  }

  private void logNormal(Scenario.LogNormal d, String field) {
    require(d != null, field, "is required");
    require(d.median() > 0 && Double.isFinite(d.median()), field + ".median", "must be > 0");
    require(d.sigma() >= 0 && Double.isFinite(d.sigma()), field + ".sigma", "must be finite, >= 0");
    require(
        d.min() > 0 && d.max() >= d.min() && Double.isFinite(d.max()),
        field,
        "needs 0 < min <= max");
  }

  private void path(Scenario.PathSpec p) {
    require(p != null, "pricePath", "is required");
    exactlyOne("pricePath", p.synthetic(), "synthetic", p.klines(), "klines");
  }

  private void liquidity(Scenario.LiquidityModel l) {
    require(l != null, "liquidity", "is required");
    positive(l.depth(), "liquidity.depth");
    require(
        l.halfSpread() >= 0 && l.halfSpread() < 0.1, "liquidity.halfSpread", "must be in [0, 0.1)");
    require(
        l.halfLife() > 0 && l.halfLife() <= 86_400,
        "liquidity.halfLife",
        "must be in (0, 86400] s");
    require(l.thinning() >= 0 && l.thinning() < 1, "liquidity.thinning", "must be in [0, 1)");
    positive(l.lpCapital(), "liquidity.lpCapital");
    positive(l.makerCapital(), "liquidity.makerCapital");
  }

  private void positive(Decimal d, String field) {
    require(d != null, field, "is required");
    require(d.signum() > 0, field, "must be > 0");
  }

  private void nonNegative(Decimal d, String field) {
    require(d != null, field, "is required");
    require(d.signum() >= 0, field, "must be >= 0");
  }

  /** Requires exactly one of two alternative fields of {@code field}. */
  private void exactlyOne(
      String field, Object first, String firstName, Object second, String secondName) {
    require(
        (first == null) != (second == null),
        field,
        "needs exactly one of '" + firstName + "' and '" + secondName + "'");
  }

  private void require(boolean ok, String field, String problem) {
    if (!ok) {
      throw new ScenarioException(source + ": field " + field + ": " + problem);
    }
  }
}
