package dev.backstop.core.adl.allocation;

import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import java.util.List;
import java.util.Locale;

/** The allocation policies by the names the CLI and command files use. */
public final class AllocationPolicies {

  /** Every policy name. */
  public static final List<String> NAMES =
      List.of(
          "queue",
          "queue-full",
          "pro-rata",
          "contract-pro-rata",
          "rap",
          "min-max",
          "water-filling",
          "random");

  private AllocationPolicies() {}

  /**
   * The named policy.
   *
   * @param score ranking of {@code queue} and {@code queue-full}
   * @param weight {@code g} of {@code rap}
   * @param seed seed of {@code random}
   * @param maxIterations iteration limit of {@code random}
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static AllocationPolicy byName(
      String name, QueueScore score, RiskWeight weight, long seed, int maxIterations) {
    return switch (name) {
      case "queue" -> new QueuePolicy(score);
      case "queue-full" -> new QueueFullPolicy(score);
      case "pro-rata" -> new ProRataPolicy();
      case "contract-pro-rata" -> new ContractProRataPolicy();
      case "rap" -> new RiskAwareProRataPolicy(weight);
      case "min-max" -> new MinMaxBurdenPolicy();
      case "water-filling" -> new WaterFillingPolicy();
      case "random" -> new RandomPolicy(seed, maxIterations);
      default ->
          throw new IllegalArgumentException(
              "unknown policy '" + name + "'; expected one of: " + String.join(", ", NAMES));
    };
  }

  /** A queue score by its lower-case name ({@code bitmex}, {@code binance}, ...). */
  public static QueueScore score(String name) {
    for (QueueScore s : QueueScore.values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown score '" + name + "'; expected bitmex, binance, hyperliquid, tradoor or ethereal");
  }

  /** RAP's {@code g} by name: {@code leverage} or {@code leverage-squared}. */
  public static RiskWeight riskWeight(String name) {
    return switch (name) {
      case "leverage" -> RiskWeight.LEVERAGE;
      case "leverage-squared" -> RiskWeight.LEVERAGE_SQUARED;
      default ->
          throw new IllegalArgumentException(
              "unknown risk weight '" + name + "'; expected leverage or leverage-squared");
    };
  }
}
