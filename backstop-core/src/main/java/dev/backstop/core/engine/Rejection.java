package dev.backstop.core.engine;

import dev.backstop.core.event.RejectionCode;

/** A command is refused: thrown inside the engine, turned into a {@code Rejected} event. */
final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RejectionCode code;

  Rejection(RejectionCode code, String reason) {
    super(reason, null, false, false);
    this.code = code;
  }

  RejectionCode code() {
    return code;
  }
}
