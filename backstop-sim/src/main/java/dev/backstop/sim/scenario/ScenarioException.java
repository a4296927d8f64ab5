package dev.backstop.sim.scenario;

/** A scenario that cannot be read or does not make sense; the message names the field at fault. */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message naming the source and field. */
  public ScenarioException(String message) {
    super(message);
  }

  /** An error caused by another. */
  public ScenarioException(String message, Throwable cause) {
    super(message, cause);
  }
}
