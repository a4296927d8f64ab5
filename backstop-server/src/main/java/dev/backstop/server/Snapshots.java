package dev.backstop.server;

import dev.backstop.core.engine.Engine;
import dev.backstop.sim.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshots of a data directory: {@code snapshots/snapshot-<commands>.bin}, each the engine's
 * canonical snapshot after that many journal records, preceded by a small header (a format name,
 * the command count, the count of events served so far and the engine snapshot's length) and
 * followed by the service's {@link History}. Snapshots of the first format (no length, no history)
 * are still read, with an empty history. Written through {@link AtomicFile} (staged file, force,
 * rename, force of the directory), so a snapshot is whole or absent. The newest two are kept.
 */
final class Snapshots {

  private static final byte[] MAGIC_1 =
      "backstop-server-snapshot-1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] MAGIC =
      "backstop-server-snapshot-2\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.bin");
  private static final int KEEP = 2;

  /**
   * A snapshot as read back.
   *
   * @param history the service's history section, or null in a snapshot of the first format
   */
  record Snapshot(long commands, long events, Engine engine, byte[] history) {}

  private final Path dir;

  Snapshots(Path dataDir) {
    this.dir = dataDir.resolve("snapshots");
  }

  /**
   * Writes the engine's state and the service's history after {@code commands} records and removes
   * the older snapshots.
   */
  void write(long commands, long events, byte[] engineSnapshot, byte[] history) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 20);
    header.put(MAGIC).putLong(commands).putLong(events).putInt(engineSnapshot.length);
    try (AtomicFile file = AtomicFile.create(dir.resolve(name(commands)))) {
      file.write(header.array());
      file.write(engineSnapshot);
      file.write(history);
      file.commit();
    }
    List<Long> all = list();
    for (int i = 0; i < all.size() - KEEP; i++) {
      Files.deleteIfExists(dir.resolve(name(all.get(i))));
    }
  }

  /** The newest snapshot, or null when there is none. */
  Snapshot latest() throws IOException {
    List<Long> all = list();
    if (all.isEmpty()) {
      return null;
    }
    Path file = dir.resolve(name(all.get(all.size() - 1)));
    byte[] bytes = Files.readAllBytes(file);
    boolean first = startsWith(bytes, MAGIC_1);
    if (!first && !startsWith(bytes, MAGIC)) {
      throw new IOException(file + ": not a Backstop server snapshot");
    }
    int header = MAGIC.length + (first ? 16 : 20);
    if (bytes.length < header) {
      throw new IOException(file + ": cut short");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, MAGIC.length, header - MAGIC.length);
    long commands = buffer.getLong();
    long events = buffer.getLong();
    int engineLength = first ? bytes.length - header : buffer.getInt();
    if (engineLength < 0 || engineLength > bytes.length - header) {
      throw new IOException(file + ": an engine snapshot of " + engineLength + " bytes");
    }
    try {
      Engine engine = Engine.restore(Arrays.copyOfRange(bytes, header, header + engineLength));
      byte[] history =
          first ? null : Arrays.copyOfRange(bytes, header + engineLength, bytes.length);
      return new Snapshot(commands, events, engine, history);
    } catch (RuntimeException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] magic) {
    return bytes.length >= magic.length && Arrays.equals(Arrays.copyOf(bytes, magic.length), magic);
  }

  private static String name(long commands) {
    return String.format(java.util.Locale.ROOT, "snapshot-%020d.bin", commands);
  }

  private List<Long> list() throws IOException {
    List<Long> counts = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return counts;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (m.matches()) {
          counts.add(Long.parseLong(m.group(1)));
        }
      }
    }
    counts.sort(null);
    return counts;
  }
}
