package dev.backstop.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file written beside its target under a temporary name and moved into place only by
 * {@link #commit()}, so a run that fails half-way leaves no partial output (and any earlier file at
 * the target untouched). Closing without committing deletes the temporary file.
 */
final class PendingFile implements Closeable {

  private final Path target;
  private final Path temporary;
  private final BufferedWriter writer;
  private boolean committed;

  private PendingFile(Path target, Path temporary, BufferedWriter writer) {
    this.target = target;
    this.temporary = temporary;
    this.writer = writer;
  }

  /** Starts a file that will replace {@code target} on commit, creating its directory. */
  static PendingFile create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary =
        Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
    return new PendingFile(
        absolute, temporary, Files.newBufferedWriter(temporary, StandardCharsets.UTF_8));
  }

  Writer writer() {
    return writer;
  }

  /** Writes the whole file as bytes instead of text (nothing may have been written as text). */
  void writeBytes(byte[] bytes) throws IOException {
    writer.close();
    Files.write(temporary, bytes);
  }

  /** Flushes, closes and moves the file into place, atomically where the file system can. */
  void commit() throws IOException {
    writer.close();
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
      writer.close();
      Files.deleteIfExists(temporary);
    }
  }
}
