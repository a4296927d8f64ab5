package dev.backstop.json;

import dev.backstop.core.event.RejectionCode;

/**
 * A line of a command file that is not a valid command: malformed JSON, an unknown type, a missing
 * or unknown field, or a field of the wrong shape.
 */
public final class BadCommandException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String command;
  private final String field;
  private final RejectionCode code;

  BadCommandException(String command, String field, String reason) {
    this(command, field, reason, RejectionCode.MALFORMED_COMMAND);
  }

  /** The longest field path or reason kept: a reason quoting a huge value is cut short. */
  static final int MAX_REASON_LENGTH = 1_000;

  BadCommandException(String command, String field, String reason, RejectionCode code) {
    super(shortened(reason), null, false, false);
    this.command = shortened(command);
    this.field = shortened(field);
    this.code = code;
  }

  /**
   * {@code malformed-command}, or {@code invalid-configuration} for a market whose parts do not fit
   * together.
   */
  public RejectionCode code() {
    return code;
  }

  /** The command type, or null when the line did not get as far as naming a known one. */
  public String command() {
    return command;
  }

  /**
   * The field at fault, as a path ({@code size}, {@code tiers[1].mmr}), or null when the line as a
   * whole is at fault.
   */
  public String field() {
    return field;
  }

  /** {@code field "size": not a decimal number: 'NaN'}, or the bare reason without a field. */
  public String describe() {
    return field == null ? getMessage() : "field \"" + field + "\": " + getMessage();
  }

  private static String shortened(String text) {
    if (text == null || text.length() <= MAX_REASON_LENGTH) {
      return text;
    }
    int end = MAX_REASON_LENGTH;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "... (" + text.length() + " characters)";
  }
}
