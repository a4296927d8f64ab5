package dev.backstop.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** How the commands word a problem on standard error, after {@code backstop <command>: }. */
final class CliErrors {

  private CliErrors() {}

  /**
   * For a file system error, what went wrong with which path: {@code no such file: PATH}, {@code
   * permission denied: PATH}, {@code file exists: PATH}, or the reason the system gave ({@code Is a
   * directory: PATH}); else the exception's message. The options' own checks ({@link CliInputs})
   * catch most of these before a command starts; this words the rest, such as a disk that fills up
   * while a report is written.
   */
  static String describe(Exception e) {
    if (e instanceof FileSystemException failed && failed.getFile() != null) {
      String what =
          failed.getReason() != null
              ? failed.getReason()
              : switch (failed) {
                case NoSuchFileException missing -> "no such file";
                case AccessDeniedException denied -> "permission denied";
                case FileAlreadyExistsException exists -> "file exists";
                case DirectoryNotEmptyException notEmpty -> "directory not empty";
                case NotDirectoryException notDirectory -> "not a directory";
                default -> "cannot be used";
              };
      return what + ": " + failed.getFile();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
