package dev.backstop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image of {@code Dockerfile}: its shape is checked everywhere; the image is built
 * and run only where a Docker daemon answers, and the test says why it skips where none does (as on
 * the project's own machines, which have the client only).
 */
class DockerImageTest {

  private static final Path ROOT = Path.of("..");

  /** How long the build may take: a first build downloads Maven, the plugins and the images. */
  private static final long BUILD_MINUTES = 10;

  @TempDir Path dir;

  @Test
  void theDockerfileBuildsWithTheWrapperOnAJdkAndRunsTheLauncherOnAJre() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    List<String> from = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).matches("FROM eclipse-temurin:2[1-9]-jdk AS build");
    assertThat(from.get(1)).matches("FROM eclipse-temurin:2[1-9]-jre");
    assertThat(dockerfile)
        .contains("RUN ./mvnw -B ")
        .contains("ENTRYPOINT [\"/opt/backstop/backstop\"]")
        .contains("COPY --from=build /src/backstop-cli/target/backstop.jar")
        .contains("USER backstop");
    // Maven reads every module's POM even with -pl; the CLI needs the sources of all but the
    // benchmarks
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    java.util.regex.Matcher module =
        java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    while (module.find()) {
      String name = module.group(1);
      assertThat(dockerfile)
          .as("the Dockerfile copies the POM of module " + name)
          .contains("COPY " + name + "/pom.xml " + name + "/");
      if (!name.equals("backstop-bench")) {
        assertThat(dockerfile)
            .as("the Dockerfile copies the sources of module " + name)
            .contains("COPY " + name + "/src " + name + "/src");
      }
    }
    // what the image copies from the context must exist, and the context must leave out builds
    for (String copy : List.of("backstop", "LICENSE", "scripts/java-home.sh", "examples", "mvnw")) {
      assertThat(ROOT.resolve(copy)).exists();
    }
    assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target", ".git");
  }

  @Test
  void theImageRunsSimulateThroughTheLauncher() throws IOException, InterruptedException {
    String docker = onPath("docker");
    skipUnless(docker != null, "no docker client on the PATH");
    Result info = exec(1, docker, "info", "--format", "{{.ServerVersion}}");
    skipUnless(
        info.code == 0, "the docker client finds no daemon (" + firstLine(info.output) + ")");
    String tag = "backstop-test:" + Long.toHexString(System.nanoTime());
    try {
      Result build = exec(BUILD_MINUTES, docker, "build", "-t", tag, ROOT.toString());
      assertThat(build.code).as(build.output).isZero();
      Result entrypoint =
          exec(1, docker, "image", "inspect", "--format", "{{json .Config.Entrypoint}}", tag);
      assertThat(entrypoint.output).contains("/opt/backstop/backstop");
      Result version = exec(1, docker, "run", "--rm", tag, "--version");
      assertThat(version.code).as(version.output).isZero();
      assertThat(version.output).contains("backstop " + System.getProperty("backstop.version"));
      Result simulate =
          exec(
              3,
              docker,
              "run",
              "--rm",
              tag,
              "simulate",
              "--accounts",
              "500",
              "--policies",
              "bad-debt,bitmex",
              "--no-replay",
              "--quiet");
      assertThat(simulate.code).as(simulate.output).isZero();
      assertThat(simulate.output).contains("bitmex", "Report: /work/out/simulate/report.html");
    } finally {
      exec(1, docker, "image", "rm", "--force", tag);
    }
  }

  /** Skips the test, saying why on standard error too, so the build's log shows it. */
  private static void skipUnless(boolean condition, String reason) {
    if (!condition) {
      System.err.println("DockerImageTest: image not built: " + reason);
    }
    Assumptions.assumeTrue(condition, "skipped: " + reason);
  }

  private record Result(int code, String output) {}

  private Result exec(long minutes, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "docker", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      return new Result(-1, String.join(" ", command) + ": timed out after " + minutes + " min");
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    List<String> found = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
      if (Files.isExecutable(candidate)) {
        found.add(candidate.toString());
      }
    }
    return found.isEmpty() ? null : found.get(0);
  }

  private static String firstLine(String text) {
    return text.lines()
        .filter(l -> !l.isBlank())
        .filter(l -> l.toLowerCase(Locale.ROOT).contains("daemon") || !l.startsWith(" "))
        .findFirst()
        .orElse("no output")
        .strip();
  }
}
