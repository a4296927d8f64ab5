package dev.backstop.sim.report;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output file written beside its target under a temporary name and moved into place only by
 * {@link #commit()}, so a failure leaves no half-written file (and any earlier file at the target
 * untouched). Closing without committing deletes the temporary file.
 */
final class StagedFile implements Closeable {

  private final Path target;
  private final Path temporary;
  private boolean committed;

  private StagedFile(Path target, Path temporary) {
    this.target = target;
    this.temporary = temporary;
  }

  /** Writes {@code text} as UTF-8 to a temporary file beside {@code target}. */
  static StagedFile write(Path target, String text) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temporary = createBeside(dir, absolute.getFileName().toString());
    StagedFile staged = new StagedFile(absolute, temporary);
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      staged.close();
      throw e;
    }
    return staged;
  }

  /** Writes {@code text} to {@code target} through a temporary file. */
  static void replace(Path target, String text) throws IOException {
    try (StagedFile staged = write(target, text)) {
      staged.commit();
    }
  }

  /**
   * Creates an empty, hidden, uniquely named file in {@code dir}. Unlike {@link
   * Files#createTempFile}, which makes the file readable by its owner only, the file gets the
   * permissions any new file gets, so the report is as readable as the directory's other files.
   */
  private static Path createBeside(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
      try {
        return Files.createFile(dir.resolve("." + name + "." + suffix + ".tmp"));
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /** Moves the file into place, atomically where the file system can. */
  void commit() throws IOException {
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      Files.deleteIfExists(temporary);
    }
  }
}
