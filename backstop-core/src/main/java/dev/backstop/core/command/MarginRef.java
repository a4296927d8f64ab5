package dev.backstop.core.command;

import java.util.Objects;

/**
 * Which of an account's margin accounts a command addresses: its cross-margin account, its isolated
 * position in one market, or its side of a settlement pool (Variational Omni). Collateral in one
 * never counts for another.
 *
 * @param kind cross, isolated or pool
 * @param name the market (isolated) or pool name; empty for cross
 */
public record MarginRef(Kind kind, String name) {

  /** The kinds of margin account. */
  public enum Kind {
    /** All of an account's cross positions share its collateral. */
    CROSS,
    /** One position with its own margin. */
    ISOLATED,
    /** One side of a bilateral settlement pool with a liquidity provider. */
    POOL
  }

  private static final MarginRef CROSS = new MarginRef(Kind.CROSS, "");

  /** Validates. */
  public MarginRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (kind != Kind.CROSS && name.isBlank()) {
      throw new IllegalArgumentException(kind + " margin needs a name");
    }
  }

  /** The cross-margin account. */
  public static MarginRef cross() {
    return CROSS;
  }

  /** The isolated position in a market. */
  public static MarginRef isolated(String market) {
    return new MarginRef(Kind.ISOLATED, market);
  }

  /** A side of a settlement pool. */
  public static MarginRef pool(String pool) {
    return new MarginRef(Kind.POOL, pool);
  }

  /** {@code cross}, {@code isolated:MARKET} or {@code pool:NAME}. */
  @Override
  public String toString() {
    return switch (kind) {
      case CROSS -> "cross";
      case ISOLATED -> "isolated:" + name;
      case POOL -> "pool:" + name;
    };
  }
}
