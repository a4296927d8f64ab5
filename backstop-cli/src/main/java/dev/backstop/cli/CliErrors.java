package dev.backstop.cli;

import dev.backstop.sim.io.FileErrors;
import java.io.IOException;

/** How the commands word a problem on standard error, after {@code backstop <command>: }. */
final class CliErrors {

  private CliErrors() {}

  /**
   * For a file error, the path and what is wrong with it ({@link FileErrors}); else the exception's
   * message. The options' own checks ({@link CliInputs}) catch most file problems before a command
   * starts; this words the rest, such as a disk that fills up while a report is written.
   */
  static String describe(Exception e) {
    if (e instanceof IOException io) {
      return FileErrors.describe(io);
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
