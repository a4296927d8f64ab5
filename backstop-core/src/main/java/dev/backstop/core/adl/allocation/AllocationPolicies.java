package dev.backstop.core.adl.allocation;

import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import dev.backstop.core.event.WireName;
import java.util.Arrays;
import java.util.List;

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
   * The parameters of the named policy, by the names of its record components (which the command
   * files use as field names): {@code score} of {@code queue} and {@code queue-full}, {@code
   * riskWeight} of {@code rap}, {@code seed} and {@code maxIterations} of {@code random}; none for
   * the others. The same parameters as {@link #byName} reads and {@link AllocationPolicy#spec()}
   * writes.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static List<String> parameters(String name) {
    return switch (name) {
      case "queue", "queue-full" -> List.of("score");
      case "rap" -> List.of("riskWeight");
      case "random" -> List.of("seed", "maxIterations");
      case "pro-rata", "contract-pro-rata", "min-max", "water-filling" -> List.of();
      default ->
          throw new IllegalArgumentException(
              "unknown policy '" + name + "'; expected one of: " + String.join(", ", NAMES));
    };
  }

  /** The names of the queue scores, as {@link #score} reads them, in declaration order. */
  public static List<String> scoreNames() {
    return Arrays.stream(QueueScore.values()).map(WireName::of).toList();
  }

  /** The names of RAP's weights, as {@link #riskWeight} reads them, in declaration order. */
  public static List<String> riskWeightNames() {
    return Arrays.stream(RiskWeight.values()).map(WireName::of).toList();
  }

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

  /**
   * The policy that {@link AllocationPolicy#spec()} describes.
   *
   * @throws IllegalArgumentException for an unknown name or malformed parameters
   */
  public static AllocationPolicy parse(String spec) {
    String[] parts = spec.split(":", -1);
    String name = parts[0];
    int expected =
        switch (name) {
          case "queue", "queue-full", "rap" -> 2;
          case "random" -> 3;
          default -> 1;
        };
    if (parts.length != expected) {
      throw new IllegalArgumentException("malformed policy '" + spec + "'");
    }
    try {
      return switch (name) {
        case "queue" -> new QueuePolicy(score(parts[1]));
        case "queue-full" -> new QueueFullPolicy(score(parts[1]));
        case "rap" -> new RiskAwareProRataPolicy(riskWeight(parts[1]));
        case "random" -> new RandomPolicy(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
        default -> byName(name, QueueScore.BITMEX, RiskWeight.LEVERAGE, 0, 1);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed policy '" + spec + "'", e);
    }
  }

  /** A queue score by its lower-case name ({@code bitmex}, {@code binance}, ...). */
  public static QueueScore score(String name) {
    return WireName.parse(QueueScore.class, name, "score");
  }

  /** RAP's {@code g} by name: {@code leverage} or {@code leverage-squared}. */
  public static RiskWeight riskWeight(String name) {
    return WireName.parse(RiskWeight.class, name, "risk weight");
  }
}
