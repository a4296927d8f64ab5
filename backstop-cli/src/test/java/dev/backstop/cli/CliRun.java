package dev.backstop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import picocli.CommandLine;

/**
 * One in-process run of {@code backstop}: exit code, standard output and standard error. The one
 * way the CLI's tests run it.
 */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code backstop args...} and keeps what it printed. */
  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BackstopCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  /** Standard output read as JSON. */
  JsonNode json() throws IOException {
    return new ObjectMapper().readTree(out);
  }

  /** Whether the file system has POSIX permissions to compare. */
  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** The permissions of a new file that {@link Files#createFile} makes in {@code dir}. */
  static Set<PosixFilePermission> newFilePermissions(Path dir) throws IOException {
    Path probe = Files.createTempDirectory(dir, "probe").resolve("new");
    return Files.getPosixFilePermissions(Files.createFile(probe));
  }
}
