package dev.backstop.sim.paper;

import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the public datasets that live beside the repository ({@code ../shared/data}), never inside
 * it, by walking up from the working directory; tests that need them are skipped when absent.
 */
final class SharedData {

  static final String HYPERLIQUID_2025_10_10 = "shared/data/hyperliquid-2025-10-10";

  private SharedData() {}

  /** The file, or a skipped test (JUnit {@code abort}) with a message saying what is missing. */
  static Path hyperliquidFile(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve(HYPERLIQUID_2025_10_10).resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return abort(
        HYPERLIQUID_2025_10_10
            + "/"
            + name
            + " not found above "
            + Path.of("").toAbsolutePath()
            + ": the shared datasets live beside the repository, skipping");
  }
}
