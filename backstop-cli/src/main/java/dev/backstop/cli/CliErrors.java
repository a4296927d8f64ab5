package dev.backstop.cli;

import java.nio.file.NoSuchFileException;

/** How the commands word a problem on standard error, after {@code backstop <command>: }. */
final class CliErrors {

  private CliErrors() {}

  /**
   * {@code no such file: PATH} for a missing file (or the reason given with it instead of "no such
   * file"), else the exception's message.
   */
  static String describe(Exception e) {
    if (e instanceof NoSuchFileException missing) {
      String what = missing.getReason() == null ? "no such file" : missing.getReason();
      return what + ": " + missing.getFile();
    }
    return e.getMessage();
  }
}
