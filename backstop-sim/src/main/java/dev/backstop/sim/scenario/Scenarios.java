package dev.backstop.sim.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The built-in scenarios, kept as YAML resources ({@code dev/backstop/sim/scenarios/NAME.yaml}) so
 * that they read like, and serve as examples of, a user's scenario file. Each states in its
 * description the public figures it is calibrated to; {@code docs/scenarios.md} lists them.
 */
public final class Scenarios {

  /** The scenario {@code simulate} runs without arguments. */
  public static final String DEFAULT = "crash-2025-10-10";

  private static final List<String> NAMES = List.of(DEFAULT, "crash-2020-03-12", "calm-day");

  private Scenarios() {}

  /** The built-in scenarios' names, the default first. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * A built-in scenario by name, or a scenario file by path (a path that exists wins).
   *
   * @throws ScenarioException for neither, listing the built-in names
   */
  public static Scenario load(String nameOrFile) {
    Path file = Path.of(nameOrFile);
    if (Files.isRegularFile(file)) {
      return ScenarioReader.read(file);
    }
    if (!NAMES.contains(nameOrFile)) {
      throw new ScenarioException(
          "no scenario file '"
              + nameOrFile
              + "' and no built-in scenario of that name; built-in: "
              + String.join(", ", NAMES));
    }
    String resource = "/dev/backstop/sim/scenarios/" + nameOrFile + ".yaml";
    try (InputStream in = Scenarios.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("built-in scenario resource missing: " + resource);
      }
      return ScenarioReader.read(in, "built-in scenario " + nameOrFile, true);
    } catch (IOException e) {
      throw new ScenarioException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }
}
