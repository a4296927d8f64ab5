package dev.backstop.server;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The server's write-ahead journal: every command it accepted, in order, one record each, appended
 * and forced to the device before the command is acknowledged.
 *
 * <p>A record is {@code length} (4 bytes, big-endian, the payload's length), {@code crc} (4 bytes,
 * the CRC32C of the length bytes and the payload) and the payload (the command's JSON line, UTF-8).
 * On opening, the records are read back and checked. A last record that is cut short or fails its
 * CRC is a write torn by a crash: it was never forced, so never acknowledged, and it is cut off the
 * file. A record that fails its CRC with more bytes after it is damage to data that was forced: the
 * journal refuses to open ({@link JournalCorruptException}) rather than drop acknowledged commands.
 *
 * <p>{@link #append} only stages a record; {@link #force} writes every staged record and forces the
 * file ({@code fdatasync}, which includes the file's length), so one force serves a batch of
 * commands (group commit). Not thread-safe: the engine thread owns it.
 */
public final class Journal implements Closeable {

  /** Bytes before a record's payload: length and CRC32C. */
  static final int HEADER = 8;

  /** The longest payload a record may hold; longer lengths can only be damage. */
  public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

  private final Path path;
  private final FileChannel channel;
  private final List<byte[]> recovered;
  private final long discardedBytes;
  private ByteBuffer staged = ByteBuffer.allocate(64 * 1024);
  private long records;
  private long forcedBytes;

  private Journal(
      Path path, FileChannel channel, List<byte[]> recovered, long records, long discardedBytes) {
    this.path = path;
    this.channel = channel;
    this.recovered = recovered;
    this.discardedBytes = discardedBytes;
    this.records = records;
  }

  private static void keepTorn(FileChannel channel, Path path, long position, long length)
      throws IOException {
    ByteBuffer tail = ByteBuffer.allocate((int) length);
    readFully(channel, tail, position);
    Path aside = path.resolveSibling(path.getFileName() + ".torn-" + position);
    Files.write(aside, tail.array());
  }

  /**
   * Opens (or creates) the journal at {@code path}, checks every record and cuts off a torn last
   * record, keeping its bytes beside the journal as {@code <name>.torn-<offset>} for inspection.
   *
   * @param keepAfter records up to this number are checked but not kept in {@link #recovered()}
   *     (those a snapshot already holds)
   * @throws JournalCorruptException if a record other than the last fails its check
   */
  public static Journal open(Path path, long keepAfter) throws IOException {
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      List<byte[]> records = new ArrayList<>();
      long count = 0;
      long position = 0;
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
      while (position < size) {
        long remaining = size - position;
        if (remaining < HEADER) {
          break;
        }
        header.clear();
        readFully(channel, header, position);
        int length = header.getInt(0);
        int crc = header.getInt(4);
        if (length < 0 || length > MAX_PAYLOAD || HEADER + (long) length > remaining) {
          if (length >= 0 && length <= MAX_PAYLOAD) {
            break; // cut short: the last record, torn
          }
          throw corrupt(path, count, position, "an impossible length " + length);
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(channel, payload, position + HEADER);
        if (crc(length, payload.array()) != crc) {
          if (position + HEADER + length < size) {
            throw corrupt(path, count, position, "a CRC32C mismatch");
          }
          break; // the last record, torn
        }
        count++;
        if (count > keepAfter) {
          records.add(payload.array());
        }
        position += HEADER + length;
      }
      long discarded = size - position;
      if (discarded > 0) {
        keepTorn(channel, path, position, discarded);
        channel.truncate(position);
        channel.force(true);
      }
      Journal journal = new Journal(path, channel, records, count, discarded);
      journal.forcedBytes = position;
      return journal;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static JournalCorruptException corrupt(
      Path path, long intact, long position, String what) {
    return new JournalCorruptException(
        path
            + ": record "
            + (intact + 1)
            + " at byte "
            + position
            + " has "
            + what
            + " and more records follow it; the "
            + intact
            + " records before it are intact. The journal was left as it is.");
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of journal");
      }
    }
  }

  static int crc(int length, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(0, length));
    crc.update(payload);
    return (int) crc.getValue();
  }

  /** One record as it is written: length, CRC32C, payload. */
  static byte[] encode(byte[] payload) {
    ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.BIG_ENDIAN);
    record.putInt(payload.length).putInt(crc(payload.length, payload)).put(payload);
    return record.array();
  }

  /**
   * The records after {@code keepAfter} that the journal held when it was opened, in order (after
   * any torn one was cut).
   */
  public List<byte[]> recovered() {
    return recovered;
  }

  /** Bytes of a torn last record cut off on opening; 0 when the journal ended cleanly. */
  public long discardedBytes() {
    return discardedBytes;
  }

  /** Records in the journal, staged ones included: the number of the last command. */
  public long records() {
    return records;
  }

  /** Bytes forced to the device so far: where the next force starts writing. */
  public long forcedBytes() {
    return forcedBytes;
  }

  /** The journal file. */
  public Path path() {
    return path;
  }

  /**
   * Stages one record; it is written and made durable by the next {@link #force}.
   *
   * @return its number, from 1
   */
  public long append(byte[] payload) {
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "a journal record holds at most " + MAX_PAYLOAD + " bytes");
    }
    int needed = HEADER + payload.length;
    if (staged.remaining() < needed) {
      ByteBuffer larger =
          ByteBuffer.allocate(Math.max(staged.capacity() * 2, staged.position() + needed));
      staged.flip();
      larger.put(staged);
      staged = larger;
    }
    staged.put(encode(payload));
    return ++records;
  }

  /** Whether records are staged and not yet forced. */
  public boolean hasStaged() {
    return staged.position() > 0;
  }

  /** Writes every staged record at the end of the file and forces the file to the device. */
  public void force() throws IOException {
    if (!hasStaged()) {
      return;
    }
    staged.flip();
    long position = forcedBytes;
    while (staged.hasRemaining()) {
      position += channel.write(staged, position);
    }
    staged.clear();
    channel.force(false);
    forcedBytes = position;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
