package dev.backstop.core.option;

/** A European option's right: to buy the underlying at the strike (call) or to sell it (put). */
public enum OptionKind {
  /** Pays {@code max(0, S - K)} at expiry. */
  CALL,
  /** Pays {@code max(0, K - S)} at expiry. */
  PUT
}
