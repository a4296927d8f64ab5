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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An output file prepared in a staging area and moved over its target only by {@link #commit()}, or
 * together with others by {@link #commitAll}, so a failure leaves no half-written file and any
 * earlier file at a target untouched; closing without committing deletes the staged file. The one
 * way the simulator, the CLI and the server write their outputs: whole texts ({@link #write},
 * {@link #staged}) and streams ({@link #create}, then {@link #writer()}).
 *
 * <p>The staged file lives in {@code .backstop-staging/} in the target's directory ({@link
 * StagingArea}), never beside the target under a name of its own, and a process killed while
 * writing leaves it there, where the next process staging an output in that directory removes it.
 * It is created with the permissions of any new file of the process (the umask applies). A commit
 * flushes every file and forces it to the device, records what would undo it, moves the files into
 * place one by one (atomic renames where the file system can) and forces their directories; if a
 * move fails, the outputs already moved get their previous content back, or are removed if they had
 * none, so a set lands whole or not at all. A process killed during the moves is rolled back the
 * same way by the next one.
 */
public final class AtomicFile implements Closeable {

  /** Moves a staged file over its target; replaced by tests to fail or stop midway. */
  interface Mover {
    void move(Path staged, Path target) throws IOException;
  }

  /** A commit that failed: which target could not be moved into place (or prepared). */
  public static final class CommitException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path target;

    CommitException(Path target, IOException cause) {
      super(cause.getMessage(), cause);
      this.target = target;
    }

    /** The target, as {@link AtomicFile#target()} gives it. */
    public Path target() {
      return target;
    }
  }

  private final Path target;
  private final StagingArea area;
  private final FileChannel channel;
  private final Writer writer;
  private boolean committed;
  private boolean closed;

  private AtomicFile(Path target, StagingArea area, FileChannel channel) {
    this.target = target;
    this.area = area;
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
    StagingArea area = StagingArea.create(absolute.getParent());
    removeEarlierLeftovers(absolute);
    try {
      return new AtomicFile(
          absolute,
          area,
          FileChannel.open(
              area.newFile(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    } catch (IOException | RuntimeException e) {
      area.delete();
      throw e;
    }
  }

  /**
   * Removes what this project's earlier writer left beside {@code target} when it was killed
   * mid-write: hidden files {@code .NAME.<hex>.tmp}, its temporary copies of this very output
   * ({@code NAME} the target's file name, {@code <hex>} a random 64-bit number in lower-case
   * hexadecimal). The current writer stages in {@link StagingArea#DIRECTORY} and leaves no such
   * file; no other name is touched.
   */
  private static void removeEarlierLeftovers(Path target) throws IOException {
    Pattern leftover =
        Pattern.compile(
            "\\." + Pattern.quote(target.getFileName().toString()) + "\\.[0-9a-f]{1,16}\\.tmp");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent())) {
      for (Path entry : entries) {
        if (leftover.matcher(entry.getFileName().toString()).matches()
            && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(entry);
        }
      }
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

  /** Writes {@code text} as UTF-8 to {@code target} through a staged file. */
  public static void write(Path target, String text) throws IOException {
    try (AtomicFile file = staged(target, text)) {
      file.commit();
    }
  }

  /** Where the file goes on commit, as an absolute path. */
  public Path target() {
    return target;
  }

  /** The writer of the staged file; buffered, closed by a commit or {@link #close()}. */
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
   * Moves this file alone into place, as {@link #commitAll} does.
   *
   * @throws IllegalStateException if the file was committed or closed before
   */
  public void commit() throws IOException {
    commitAll(List.of(this));
  }

  /**
   * Moves every file into place, or none: see the class comment. Afterwards the files are
   * committed, or, if this throws, closed.
   *
   * @throws CommitException naming the target that failed, with what went wrong as its cause
   * @throws IllegalStateException if a file was committed or closed before
   * @throws IllegalArgumentException if two files have the same target
   */
  public static void commitAll(List<AtomicFile> files) throws IOException {
    commitAll(files, StagingArea::move);
  }

  static void commitAll(List<AtomicFile> files, Mover mover) throws IOException {
    if (files.isEmpty()) {
      return;
    }
    Set<Path> targets = new HashSet<>();
    for (AtomicFile f : files) {
      if (f.committed || f.closed) {
        throw new IllegalStateException("already " + (f.committed ? "committed" : "closed"));
      }
      if (!targets.add(f.target)) {
        throw new IllegalArgumentException("two outputs for " + f.target);
      }
    }
    List<StagingArea> set = new ArrayList<>();
    for (AtomicFile f : files) {
      set.add(f.area);
    }
    int moving = -1;
    AtomicFile current = null;
    try {
      for (AtomicFile f : files) {
        current = f;
        f.writer.flush();
        f.channel.force(true);
        f.closed = true;
        f.writer.close();
      }
      for (AtomicFile f : files) {
        current = f;
        f.area.prepare(f.target, set);
      }
      for (moving = 0; moving < files.size(); moving++) {
        current = files.get(moving);
        mover.move(current.area.newFile(), current.target);
      }
      Set<Path> dirs = new LinkedHashSet<>();
      for (AtomicFile f : files) {
        dirs.add(f.target.getParent());
      }
      for (Path dir : dirs) {
        Durable.forceDirectory(dir);
      }
      set.get(0).markDone();
    } catch (IOException | RuntimeException e) {
      for (AtomicFile f : files) {
        f.closed = true;
      }
      IOException cause = e instanceof IOException io ? io : new IOException(e.toString(), e);
      CommitException failure = new CommitException(current.target, cause);
      try {
        for (int i = Math.min(moving, files.size() - 1); i >= 0; i--) {
          files.get(i).area.rollBack(files.get(i).target);
        }
        for (AtomicFile f : files) {
          f.area.delete();
        }
      } catch (IOException | RuntimeException undo) {
        // the areas stay: the next process to stage an output there rolls the set back
        failure.addSuppressed(undo);
      }
      throw failure;
    }
    for (AtomicFile f : files) {
      f.committed = true;
    }
    // The lead last: while it is there, its "done" tells a recovery to keep the set.
    for (int i = files.size() - 1; i >= 0; i--) {
      try {
        files.get(i).area.delete();
      } catch (IOException e) {
        // committed; the area is removed by the next process that stages an output there
      }
    }
  }

  /** Deletes the staged file unless the file was committed. */
  @Override
  public void close() throws IOException {
    if (committed || closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } finally {
      area.delete();
    }
  }
}
