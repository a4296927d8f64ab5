package dev.backstop.cli;

import dev.backstop.sim.num.Units;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place where the commands check their options before they start: a range for every number,
 * and for every file or directory that it can be read or written. Each problem is an {@link
 * IllegalArgumentException} whose message names the option, the value or path, and what is wrong
 * with it ({@code --accounts: must be between 2 and 2000000, not -5}, {@code --commands /tmp: is a
 * directory, not a file}); the commands print it after {@code backstop <command>: } and exit 1.
 */
final class CliInputs {

  private CliInputs() {}

  /**
   * A file the command reads: it exists, is not a directory and can be read.
   *
   * @param hint said after a missing file's message (where such a file comes from), or null
   */
  static Path readableFile(String option, Path file, String hint) {
    if (!Files.exists(file)) {
      throw problem(option, file, "no such file" + (hint == null ? "" : "; " + hint));
    }
    if (Files.isDirectory(file)) {
      throw problem(option, file, "is a directory, not a file");
    }
    if (!Files.isReadable(file)) {
      throw problem(option, file, "cannot be read (permission denied)");
    }
    return file;
  }

  /** A directory the command reads from: it exists and is a directory. */
  static Path readableDirectory(String option, Path dir) {
    if (!Files.exists(dir)) {
      throw problem(option, dir, "no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw problem(option, dir, "is a file, not a directory");
    }
    return dir;
  }

  /**
   * A file the command writes: it is not a directory, and no part of the path to it is a file. The
   * directories on the way are created when the file is written.
   */
  static Path writableFile(String option, Path file) {
    if (Files.isDirectory(file)) {
      throw problem(option, file, "is a directory, not a file");
    }
    Path parent = file.toAbsolutePath().getParent();
    checkDirectoriesOnTheWay(option, file, parent);
    return file;
  }

  /** A directory the command writes into: not a file, and no part of the path to it a file. */
  static Path writableDirectory(String option, Path dir) {
    checkDirectoriesOnTheWay(option, dir, dir.toAbsolutePath());
    return dir;
  }

  /** Two options that would write the same file. */
  static void distinct(String option, Path file, String otherOption, Path other) {
    if (file != null
        && other != null
        && file.toAbsolutePath().normalize().equals(other.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException(
          option + " and " + otherOption + " name the same file: " + file);
    }
  }

  /** {@code min <= value <= max}. */
  static int between(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + ": must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }

  /** {@code value >= min}. */
  static int atLeast(String option, int value, int min, String note) {
    if (value < min) {
      throw new IllegalArgumentException(
          option
              + ": must be at least "
              + min
              + ", not "
              + value
              + (note == null ? "" : " (" + note + ")"));
    }
    return value;
  }

  /** A finite {@code value >= 0}. */
  static double finiteNonNegative(String option, double value) {
    if (!Double.isFinite(value) || value < 0) {
      String shown = Double.isFinite(value) ? Units.plainText(value) : String.valueOf(value);
      throw new IllegalArgumentException(option + ": must be a finite number >= 0, not " + shown);
    }
    return value;
  }

  private static void checkDirectoriesOnTheWay(String option, Path target, Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          boolean itself = p.equals(target.toAbsolutePath());
          throw problem(option, target, (itself ? "" : p + " ") + "is a file, not a directory");
        }
        return;
      }
    }
  }

  private static IllegalArgumentException problem(String option, Path path, String what) {
    return new IllegalArgumentException(option + " " + path + ": " + what);
  }
}
