package dev.backstop.sim.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where one output is prepared before it replaces its target: a directory of its own, {@code
 * .backstop-staging/PID-START-N} in the target's directory (the same file system, so the final move
 * is a rename), named after the process that owns it: its id and start time.
 *
 * <p>The area holds the new content ({@code new}); once the set of outputs it belongs to starts to
 * commit, the target's file name ({@code target}), a link to (or copy of) the target's previous
 * content ({@code previous}), the file key of the new content ({@code key}) and the areas of the
 * whole set ({@code set}, the first being the set's lead); the lead gets {@code done} once every
 * output of the set is in place. A process killed at any point leaves only such areas, never a file
 * beside the outputs. The next process that stages an output in the same directory finds the areas
 * whose owner is gone and recovers their set: a set without {@code done} is rolled back (each moved
 * output gets its previous content back, or is removed if it had none), a set with it is kept; then
 * the areas are deleted.
 */
final class StagingArea {

  /** The directory of staging areas in each directory that outputs are written to. */
  static final String DIRECTORY = ".backstop-staging";

  static final String NEW = "new";
  private static final String TARGET = "target";
  private static final String PREVIOUS = "previous";
  private static final String KEY = "key";
  private static final String SET = "set";
  private static final String DONE = "done";

  private static final AtomicLong COUNTER = new AtomicLong();

  private final Path dir;

  private StagingArea(Path dir) {
    this.dir = dir;
  }

  /** The area's directory. */
  Path dir() {
    return dir;
  }

  /** The staged content. */
  Path newFile() {
    return dir.resolve(NEW);
  }

  /**
   * A fresh area for an output in {@code targetDir} (created if needed), after recovering the areas
   * there that a process which is gone left behind.
   */
  static StagingArea create(Path targetDir) throws IOException {
    Files.createDirectories(targetDir);
    Path staging = targetDir.resolve(DIRECTORY);
    recoverStale(staging);
    for (int attempt = 0; ; attempt++) {
      Files.createDirectories(staging);
      Path area = staging.resolve(Owner.CURRENT.name() + "-" + COUNTER.incrementAndGet());
      try {
        Files.createDirectory(area);
        return new StagingArea(area);
      } catch (NoSuchFileException e) {
        // another process removed the empty staging directory in between: make it again
        if (attempt >= 100) {
          throw e;
        }
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /** Records, before any output of the set moves, what rolling this one back needs. */
  void prepare(Path target, List<StagingArea> set) throws IOException {
    Durable.write(dir.resolve(TARGET), target.getFileName().toString());
    Object key = fileKey(newFile());
    if (key != null) {
      Durable.write(dir.resolve(KEY), key.toString());
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      Path previous = dir.resolve(PREVIOUS);
      try {
        Files.createLink(previous, target);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(target, previous, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (!Files.isSymbolicLink(previous)) {
          Durable.force(previous);
        }
      }
    }
    StringBuilder areas = new StringBuilder();
    for (StagingArea a : set) {
      // NUL cannot occur in a path
      areas.append(a.dir.toAbsolutePath()).append('\0');
    }
    Durable.write(dir.resolve(SET), areas.toString());
    Durable.forceDirectory(dir);
  }

  /** Marks the set whose lead this is as committed: from now on it is kept, never rolled back. */
  void markDone() throws IOException {
    Path done = dir.resolve(DONE);
    Files.createFile(done);
    Durable.force(done);
    Durable.forceDirectory(dir);
  }

  /**
   * Puts the target back as it was before this area's content was moved over it: its previous
   * content, or no file if it had none. Does nothing when the content was never moved, or when the
   * target is no longer the file that was moved there (someone wrote it since).
   */
  void rollBack(Path target) throws IOException {
    if (Files.exists(newFile(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path key = dir.resolve(KEY);
    if (Files.exists(key)) {
      Object now = fileKey(target);
      if (now == null || !now.toString().equals(Files.readString(key, StandardCharsets.UTF_8))) {
        return;
      }
    }
    Path previous = dir.resolve(PREVIOUS);
    if (Files.exists(previous, LinkOption.NOFOLLOW_LINKS)) {
      move(previous, target);
    } else {
      Files.deleteIfExists(target);
    }
    Durable.forceDirectory(target.getParent());
  }

  /** Deletes the area, and the staging directory too when no other area is left in it. */
  void delete() throws IOException {
    deleteArea(dir);
  }

  /** Moves {@code from} over {@code to}, atomically where the file system can. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  // ---------------------------------------------------------------- recovery

  /** Recovers the set of every area in {@code staging} whose owner is no longer running. */
  static void recoverStale(Path staging) throws IOException {
    if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> areas = Files.newDirectoryStream(staging)) {
      for (Path area : areas) {
        Optional<Owner> owner = Owner.of(area.getFileName().toString());
        if (owner.isPresent() && !owner.get().isRunning()) {
          stale.add(area);
        }
      }
    } catch (NoSuchFileException e) {
      return;
    }
    for (Path area : stale) {
      recoverSet(area);
    }
  }

  /**
   * Recovers the set an abandoned area belongs to: kept if its lead is done, rolled back otherwise
   * (last output first); then every area of the set is deleted, the lead last.
   */
  private static void recoverSet(Path area) throws IOException {
    Path setFile = area.resolve(SET);
    if (!Files.exists(setFile)) {
      // abandoned before its set began to commit: nothing was moved
      deleteArea(area);
      return;
    }
    List<Path> set;
    try {
      set = new ArrayList<>();
      for (String path : Files.readString(setFile, StandardCharsets.UTF_8).split("\0")) {
        if (!path.isEmpty()) {
          set.add(Path.of(path));
        }
      }
    } catch (NoSuchFileException e) {
      return; // another process recovered it meanwhile
    }
    // The lead is deleted last, after every other area of its set: without it, the set was
    // settled (kept, or rolled back by whoever deleted it), and this area is a leftover.
    boolean settled = set.isEmpty() || !Files.isDirectory(set.get(0));
    boolean done = !settled && Files.exists(set.get(0).resolve(DONE));
    if (!settled && !done) {
      for (int i = set.size() - 1; i >= 0; i--) {
        Path member = set.get(i);
        Path target = targetOf(member);
        if (target != null) {
          new StagingArea(member).rollBack(target);
        }
      }
    }
    for (int i = set.size() - 1; i >= 0; i--) {
      deleteArea(set.get(i));
    }
    deleteArea(area);
  }

  /** The target an area was prepared for, or null if it was never prepared or is gone. */
  private static Path targetOf(Path area) throws IOException {
    try {
      String name = Files.readString(area.resolve(TARGET), StandardCharsets.UTF_8);
      // the area is TARGET_DIR/.backstop-staging/AREA
      return area.getParent().getParent().resolve(name);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static void deleteArea(Path area) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(area)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (NoSuchFileException e) {
      return;
    }
    Files.deleteIfExists(area);
    try {
      Files.deleteIfExists(area.getParent());
    } catch (DirectoryNotEmptyException e) {
      // other areas are still in use
    }
  }

  private static Object fileKey(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * A process, by its id and start time (so that a later process given the same id is not taken for
   * it): the owner of an area.
   */
  record Owner(long pid, long startMillis) {

    static final Owner CURRENT = of(ProcessHandle.current());

    private static Owner of(ProcessHandle process) {
      return new Owner(process.pid(), startMillis(process));
    }

    /** The owner an area's name gives, if it is an area's name. */
    static Optional<Owner> of(String areaName) {
      String[] parts = areaName.split("-");
      if (parts.length != 3) {
        return Optional.empty();
      }
      try {
        Long.parseLong(parts[2]);
        return Optional.of(new Owner(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** The prefix of the names of this owner's areas. */
    String name() {
      return pid + "-" + startMillis;
    }

    /** Whether this process is still running. */
    boolean isRunning() {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      return process.isPresent()
          && process.get().isAlive()
          && startMillis(process.get()) == startMillis;
    }

    /** The start time in milliseconds, 0 where the platform does not tell it. */
    private static long startMillis(ProcessHandle process) {
      return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
  }
}
