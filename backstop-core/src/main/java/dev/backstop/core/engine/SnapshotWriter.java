package dev.backstop.core.engine;

import dev.backstop.core.event.WireName;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the primitive fields of a snapshot in one canonical byte form: big-endian integers,
 * booleans as one byte 0 or 1, strings as a 4-byte length and their full UTF-8 bytes, enums by
 * name. A plain growable array, so the engine needs no off-heap buffers (and no JVM flags).
 */
final class SnapshotWriter {

  private byte[] bytes = new byte[4096];
  private int length;

  SnapshotWriter putLong(long value) {
    ensure(Long.BYTES);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  SnapshotWriter putInt(int value) {
    ensure(Integer.BYTES);
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  SnapshotWriter putBoolean(boolean value) {
    ensure(1);
    bytes[length++] = (byte) (value ? 1 : 0);
    return this;
  }

  SnapshotWriter putString(String value) {
    byte[] utf8;
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(value));
      utf8 = new byte[encoded.remaining()];
      encoded.get(utf8);
    } catch (CharacterCodingException e) {
      // Names are checked when they enter the engine; this would be a broken invariant.
      throw new IllegalStateException("not well-formed Unicode: a name cannot be stored", e);
    }
    putInt(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, length, utf8.length);
    length += utf8.length;
    return this;
  }

  /** An enum by its wire name ({@link WireName}), as in every other file. */
  SnapshotWriter putEnum(Enum<?> value) {
    return putString(WireName.of(value));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
