package dev.backstop.core.engine;

/** A command is refused: thrown inside the engine, turned into a {@code Rejected} event. */
final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Rejection(String reason) {
    super(reason, null, false, false);
  }
}
