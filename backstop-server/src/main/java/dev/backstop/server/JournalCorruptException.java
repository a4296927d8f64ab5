package dev.backstop.server;

import java.io.IOException;

/** A journal record that fails its check with more records after it: damage, not a torn write. */
public final class JournalCorruptException extends IOException {
  private static final long serialVersionUID = 1L;

  JournalCorruptException(String message) {
    super(message);
  }
}
