package dev.backstop.sim.paper;

import java.io.IOException;

/**
 * A per-wave file that cannot be read as the layout of {@code adl_waves_policy_metrics.csv}: a
 * required column is missing, a row is ragged, or a field is not a number. The message names the
 * source, the line (1 = header) and, where there is one, the column at fault.
 */
public final class WaveFileException extends IOException {

  private static final long serialVersionUID = 1L;

  WaveFileException(String message) {
    super(message);
  }
}
