package dev.backstop.sim.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * How the simulator and the CLI word a failed file operation: the path, then what is wrong with it
 * ({@code out/x.json: no such file}, {@code /tmp: is a directory, not a file}, {@code report.html:
 * permission denied}). The JDK's own messages say one or the other, not both: a {@link
 * NoSuchFileException}'s message is the bare path, and reading a directory fails with "Is a
 * directory" and no path at all. A reader's own exception, whose message already names the file and
 * the line, is left as it is.
 */
public final class FileErrors {

  private FileErrors() {}

  /** {@code e}, a failure on {@code file}, as {@code PATH: what is wrong}. */
  public static String describe(Path file, IOException e) {
    if (e instanceof FileSystemException failed && failed.getFile() != null) {
      return failed.getFile() + ": " + what(failed);
    }
    if (Files.isDirectory(file)) {
      return file + ": is a directory, not a file";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.contains(file.toString()) ? message : file + ": " + message;
  }

  /** {@code e} as {@code PATH: what is wrong} where it names its path, else its message. */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException failed && failed.getFile() != null) {
      return failed.getFile() + ": " + what(failed);
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static String what(FileSystemException e) {
    if (e.getReason() != null) {
      return e.getReason();
    }
    return switch (e) {
      case NoSuchFileException missing -> "no such file";
      case AccessDeniedException denied -> "permission denied";
      case FileAlreadyExistsException exists -> "already exists";
      case DirectoryNotEmptyException notEmpty -> "directory not empty";
      case NotDirectoryException notDirectory -> "not a directory";
      default -> "cannot be used";
    };
  }
}
