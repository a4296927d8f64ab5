package dev.backstop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code backstop --version}: the project's version as the build wrote it into {@code
 * version.properties} (resource filtering of {@code ${project.version}}), so it is the POM's.
 */
public final class VersionProvider implements IVersionProvider {

  /** The resource the build fills in. */
  static final String RESOURCE = "version.properties";

  /** Built by picocli. */
  public VersionProvider() {}

  /** The project's version, such as {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the build left out " + RESOURCE);
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"backstop " + version()};
  }
}
