package dev.backstop.core.engine;

/**
 * A snapshot could not be read: truncated, of another format version, inconsistent, or not in
 * canonical form. Nothing is restored from such a snapshot.
 */
public final class SnapshotException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  SnapshotException(String message) {
    super(message);
  }

  SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
