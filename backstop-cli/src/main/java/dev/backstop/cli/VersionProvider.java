package dev.backstop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code backstop --version}: the project's version and the commit it was built from, as the build
 * wrote them into {@code version.properties} (resource filtering of {@code ${project.version}}, so
 * it is the POM's, and of the commit the build's git step found: {@code unknown} without git).
 */
public final class VersionProvider implements IVersionProvider {

  /** The resource the build fills in. */
  static final String RESOURCE = "version.properties";

  /** Built by picocli. */
  public VersionProvider() {}

  /** The project's version, such as {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    return properties().getProperty("version");
  }

  /**
   * The commit the CLI was built from, abbreviated ({@code 29fd6430aecc}, {@code -dirty} when the
   * work tree had changes), or {@code unknown} when the build had no git repository.
   */
  static String commit() {
    String commit = properties().getProperty("commit", "");
    return commit.isBlank() || commit.startsWith("${") ? "unknown" : commit;
  }

  private static Properties properties() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the build left out " + RESOURCE);
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"backstop " + version() + " (commit " + commit() + ")"};
  }
}
