package dev.backstop.sim.io;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output file written beside its target under a temporary name and moved into place only by
 * {@link #commit()}, so a failure leaves no half-written file and any earlier file at the target
 * untouched; closing without committing deletes the temporary file. The one way the simulator and
 * the CLI write their outputs: whole texts ({@link #write}, {@link #staged}) and streams ({@link
 * #create}, then {@link #writer()}).
 *
 * <p>The temporary file is created in the target's directory (created if needed) with {@link
 * Files#createFile}, so it gets the permissions of any new file of the process (the umask applies),
 * not the owner-only ones of {@link Files#createTempFile}. A commit flushes the text, forces it to
 * the device, then moves the file over the target, atomically where the file system can, and forces
 * the directory where the platform allows it.
 */
public final class AtomicFile implements Closeable {

  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private final Writer writer;
  private boolean committed;
  private boolean closed;

  private AtomicFile(Path target, Path temporary, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
    // the encoder reports unmappable text, as Files.newBufferedWriter does
    this.writer =
        new BufferedWriter(
            new OutputStreamWriter(
                Channels.newOutputStream(channel), StandardCharsets.UTF_8.newEncoder()));
  }

  /** Starts an empty UTF-8 file that will replace {@code target} on commit. */
  public static AtomicFile create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temporary = createBeside(dir, absolute.getFileName().toString());
    try {
      return new AtomicFile(
          absolute, temporary, FileChannel.open(temporary, StandardOpenOption.WRITE));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /** A file holding {@code text}, to be committed (or closed) by the caller. */
  public static AtomicFile staged(Path target, String text) throws IOException {
    AtomicFile file = create(target);
    try {
      file.writer.write(text);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
    return file;
  }

  /** Writes {@code text} as UTF-8 to {@code target} through a temporary file. */
  public static void write(Path target, String text) throws IOException {
    try (AtomicFile file = staged(target, text)) {
      file.commit();
    }
  }

  /** Where the file goes on commit, as an absolute path. */
  public Path target() {
    return target;
  }

  /**
   * The writer of the temporary file; buffered, closed by {@link #commit()} or {@link #close()}.
   */
  public Writer writer() {
    return writer;
  }

  /** Appends raw bytes (a binary file, or after the text written so far). */
  public void write(byte[] bytes) throws IOException {
    writer.flush();
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /**
   * Flushes the text, forces it to the device, closes the file and moves it into place.
   *
   * @throws IllegalStateException if the file was committed or closed before
   */
  public void commit() throws IOException {
    if (committed || closed) {
      throw new IllegalStateException("already " + (committed ? "committed" : "closed"));
    }
    writer.flush();
    channel.force(true);
    writer.close();
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
    forceDirectory(target.getParent());
  }

  /** Deletes the temporary file unless the file was committed. */
  @Override
  public void close() throws IOException {
    if (committed || closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Creates an empty, hidden, uniquely named file in {@code dir} with the permissions any new file
   * gets.
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

  /** Makes the move durable where a directory can be opened and forced (not on every platform). */
  private static void forceDirectory(Path dir) {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the file is in place; only the durability of the rename is not guaranteed here
    }
  }
}
