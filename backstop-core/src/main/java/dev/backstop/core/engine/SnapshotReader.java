package dev.backstop.core.engine;

import dev.backstop.core.event.WireName;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link SnapshotWriter} wrote, refusing anything out of bounds: every read names the
 * field, so a truncated or corrupted snapshot fails with a {@link SnapshotException} saying where.
 */
final class SnapshotReader {

  private final ByteBuffer buffer;

  SnapshotReader(byte[] bytes) {
    this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
  }

  long getLong(String field) {
    need(Long.BYTES, field);
    return buffer.getLong();
  }

  int getInt(String field) {
    need(Integer.BYTES, field);
    return buffer.getInt();
  }

  /** A count of items that follow, each at least {@code minBytes} long: bounded by what is left. */
  int getCount(String field, int minBytes) {
    int n = getInt(field);
    if (n < 0 || (long) n * Math.max(1, minBytes) > buffer.remaining()) {
      throw new SnapshotException(field + ": count " + n + " does not fit the snapshot");
    }
    return n;
  }

  /** An index into a table of {@code size} rows, or -1 when {@code noneAllowed}. */
  int getIndex(String field, int size, boolean noneAllowed) {
    int i = getInt(field);
    if ((i < 0 || i >= size) && !(noneAllowed && i == Ledger.NONE)) {
      throw new SnapshotException(field + ": index " + i + " out of range [0, " + size + ")");
    }
    return i;
  }

  boolean getBoolean(String field) {
    need(1, field);
    byte b = buffer.get();
    if (b != 0 && b != 1) {
      throw new SnapshotException(field + ": boolean byte " + b);
    }
    return b == 1;
  }

  String getString(String field) {
    int n = getCount(field, 1);
    byte[] bytes = new byte[n];
    buffer.get(bytes);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SnapshotException(field + ": not UTF-8", e);
    }
  }

  <E extends Enum<E>> E getEnum(Class<E> type, String field) {
    String name = getString(field);
    try {
      return WireName.parse(type, name);
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(field + ": " + e.getMessage(), e);
    }
  }

  /** The bytes left to read (an optional trailing section). */
  int remaining() {
    return buffer.remaining();
  }

  void expectEnd() {
    if (buffer.hasRemaining()) {
      throw new SnapshotException(buffer.remaining() + " bytes after the end of the snapshot");
    }
  }

  private void need(int bytes, String field) {
    if (buffer.remaining() < bytes) {
      throw new SnapshotException("snapshot ends inside " + field);
    }
  }
}
