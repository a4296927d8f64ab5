package dev.backstop.sim.replay;

import java.io.IOException;

/**
 * A per-user file that cannot be read as the layout of {@code adl_by_user.csv}: a required column
 * is missing, a row is ragged, a user repeats, or a field is not a usable number. The message names
 * the source, the line (1 = header) and, where there is one, the column at fault.
 */
public final class PopulationFileException extends IOException {

  private static final long serialVersionUID = 1L;

  PopulationFileException(String message) {
    super(message);
  }
}
