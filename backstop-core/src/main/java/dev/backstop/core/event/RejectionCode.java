package dev.backstop.core.event;

/**
 * Why a command was refused, machine-readable, beside the reason text of {@link Event.Rejected} (as
 * venues pair a code with a message: Binance's {@code {"code":-2019,"msg":"Margin is
 * insufficient."}}). The wire form is the {@link WireName} of the constant ({@code
 * insufficient-margin}), listed with its meaning in {@code docs/run.md}.
 */
public enum RejectionCode {
  /** A field is missing, not positive, out of range or not a whole number of its unit. */
  INVALID_ARGUMENT,
  /** The input line could not be read as a command (adapters only). */
  MALFORMED_COMMAND,
  /** No such account. */
  UNKNOWN_ACCOUNT,
  /** No such market. */
  UNKNOWN_MARKET,
  /** No such settlement pool, or the account is not a party of it. */
  UNKNOWN_POOL,
  /** A market or pool of that name exists already. */
  ALREADY_EXISTS,
  /** A market specification whose parts do not fit together. */
  INVALID_CONFIGURATION,
  /** The command would leave a margin account below initial margin or with negative equity. */
  INSUFFICIENT_MARGIN,
  /** A price older than the market's last one, or a clock that would go back. */
  STALE_TIME,
  /** The market has no mark price yet. */
  NO_PRICE,
  /** The command does not apply to this market, account or margin account. */
  NOT_APPLICABLE,
  /** An amount would not fit the engine's fixed-point range. */
  OVERFLOW,
  /** A trade priced outside the market's band around the mark. */
  PRICE_BAND,
  /** The command names an account the engine or a liquidator vault owns (no user may). */
  RESERVED_ACCOUNT,
  /** A withdrawal beyond the venue's assets (deposits and top-ups less withdrawals). */
  INSUFFICIENT_ASSETS,
  /** The option has expired (or been settled): it no longer trades. */
  EXPIRED,
  /** An expiry before the option's expiry time: the engine's clock has not reached it. */
  NOT_EXPIRED,
  /**
   * The engine failed inside the command (a broken invariant or a mechanism breaking its contract);
   * nothing was applied. The adapter logs the failure with its stack trace.
   */
  INTERNAL
}
