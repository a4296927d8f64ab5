package dev.backstop.sim.path;

import java.io.IOException;

/**
 * A klines file that cannot be read as exchange 1-minute klines: a ragged row, a field that is not
 * a number, a bar whose high or low does not contain its open and close, or bars out of order. The
 * message names the source, the line (1-based) and, where there is one, the column at fault.
 */
public final class KlinesException extends IOException {

  private static final long serialVersionUID = 1L;

  KlinesException(String message) {
    super(message);
  }
}
