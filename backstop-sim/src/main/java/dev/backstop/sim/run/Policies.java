package dev.backstop.sim.run;

import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import java.util.ArrayList;
import java.util.List;

/**
 * The policies {@code simulate} compares. A policy is a market preset's backstop (trigger,
 * resolution, execution price) put on the scenario's market, so that every policy sees the same
 * risk tiers, fees and liquidation rule; a pool venue (GMX v2, Tradoor) also brings its LP as the
 * counterparty of liquidation closes. {@code bad-debt} is the baseline with no last resort: the
 * fund pays what it can and the rest is bad debt.
 *
 * <p>{@code omni} is not offered: its last resort, counterparty liquidation of the liquidity
 * provider, lives in settlement pools, which a cross-margin population does not have.
 */
public final class Policies {

  /** The baseline without a backstop. */
  public static final String BAD_DEBT = "bad-debt";

  private static final String OMNI = "omni";

  private Policies() {}

  /** Every policy, baseline first, then the presets in name order. */
  public static List<String> all() {
    List<String> names = new ArrayList<>();
    names.add(BAD_DEBT);
    for (String preset : MarketPresets.names()) {
      if (!preset.equals(OMNI)) {
        names.add(preset);
      }
    }
    return names;
  }

  /** Why a policy name cannot be simulated, or null when it can. */
  public static String problem(String name) {
    if (name == null || name.isBlank()) {
      return "a policy name is required";
    }
    if (name.equals(OMNI)) {
      return "omni's backstop is counterparty liquidation inside settlement pools, which a"
          + " cross-margin population does not have; see examples/omni.jsonl";
    }
    if (!all().contains(name)) {
      return "unknown policy '" + name + "'; known: " + String.join(", ", all());
    }
    return null;
  }

  /** Whether the policy closes liquidations against an LP rather than into the order book. */
  public static boolean usesLp(String name) {
    return !name.equals(BAD_DEBT)
        && MarketPresets.get(name, "f").liquidity() instanceof LiquiditySpec.LpCounterparty;
  }

  /** The policy's backstop. */
  public static BackstopSpec backstop(String name) {
    return name.equals(BAD_DEBT)
        ? BackstopSpec.badDebtOnly()
        : MarketPresets.get(name, "f").backstop();
  }

  /** The scenario's market with the policy's backstop and liquidity. */
  public static MarketConfig market(
      MarketConfig.Builder base, String name, LiquiditySpec book, String lpAccount) {
    return base.backstop(backstop(name))
        .liquidity(usesLp(name) ? new LiquiditySpec.LpCounterparty(lpAccount) : book)
        .build();
  }

  /** The policy's trigger, resolution and execution price in words. */
  public static String describe(String name) {
    if (name.equals(BAD_DEBT)) {
      return "insurance fund, then bad debt (no ADL)";
    }
    BackstopSpec b = backstop(name);
    String trigger =
        switch (b.trigger()) {
          case BackstopSpec.Trigger.FundCannotCover t -> "when the fund cannot cover";
          case BackstopSpec.Trigger.FundDrawdown t ->
              "when the fund cannot cover or has fallen "
                  + percent(t.startRate())
                  + " in "
                  + t.windowMillis() / 3_600_000
                  + " h";
          case BackstopSpec.Trigger.PnlFactor t ->
              "when winners' PnL exceeds " + percent(t.maxRate()) + " of the pool";
          case BackstopSpec.Trigger.LpExposure t -> "when the LP's exposure exceeds its liquidity";
        };
    String resolution =
        switch (b.resolution()) {
          case BackstopSpec.Resolution.BadDebt r -> "bad debt";
          case BackstopSpec.Resolution.Deleverage r -> "deleverage by " + r.policy().name();
          case BackstopSpec.Resolution.Haircut r -> "haircut by " + r.policy().name();
          case BackstopSpec.Resolution.Socialize r -> "socialize per unit of size";
        };
    String price = b.price().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return resolution + " " + trigger + ", at " + price + (usesLp(name) ? "; LP counterparty" : "");
  }

  private static String percent(long rate) {
    return java.math.BigDecimal.valueOf(rate, 6).stripTrailingZeros().toPlainString() + "%";
  }
}
