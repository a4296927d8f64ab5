package dev.backstop.sim.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The script and stylesheet every report inlines, read once from the classpath: uPlot (Leon
 * Sorokin, MIT; the {@code org.webjars.npm:uplot} jar at the version the POM pins), and Backstop's
 * own {@code charts.js}, which draws each chart from its JSON spec ({@link ChartSpec}). Inlined, so
 * a report opens offline, from a file, with nothing fetched.
 */
final class ChartLibrary {

  private static final String WEBJAR = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  /** uPlot's version, from the webjar's own metadata. */
  static final String UPLOT_VERSION = uplotVersion();

  /** uPlot's script. */
  static final String UPLOT_JS = read(dist("uPlot.iife.min.js"));

  /** uPlot's stylesheet. */
  static final String UPLOT_CSS = read(dist("uPlot.min.css"));

  /** Backstop's chart drawing. */
  static final String CHARTS_JS = read("dev/backstop/sim/report/charts.js");

  private ChartLibrary() {}

  private static String dist(String file) {
    return "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/" + file;
  }

  private static String uplotVersion() {
    Properties properties = new Properties();
    try (InputStream in = open(WEBJAR)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static String read(String resource) {
    try (InputStream in = open(resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
        throw new IllegalStateException(resource + " would end its inline <script> early");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = ChartLibrary.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("the build left out " + resource);
    }
    return in;
  }
}
