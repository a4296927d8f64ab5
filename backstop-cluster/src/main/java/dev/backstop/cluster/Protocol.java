package dev.backstop.cluster;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The messages between a client and the clustered engine ({@code docs/cluster.md}, "Messages").
 * Every message starts with a 4-byte type and an 8-byte correlation id the client chose, and its
 * reply carries the same id back. Integers are little-endian (Agrona's buffers); text is UTF-8.
 *
 * <ul>
 *   <li>{@link #COMMANDS} in: the text of one or more commands, one JSON line each, joined by
 *       {@code \n}, exactly as {@code backstop run} and {@code POST /api/commands} read them. Out:
 *       {@link #APPLIED} with the number of the first client command, the count of client commands,
 *       the time of the clock stamp applied before them (-1 when there was none), then the events
 *       as JSON lines (as {@code EngineJson.eventLine} writes them), joined by {@code \n}.
 *   <li>{@link #STATUS} in: nothing more. Out: {@link #STATUS} with the commands applied, the
 *       events served, the engine's time and its state hash, at that point of the log.
 *   <li>{@link #STATE} in: nothing more. Out: {@link #STATE} with the state document of {@code
 *       backstop run --state} at that point of the log.
 *   <li>{@link #SYNC} in: nothing more. Out: {@link #SYNC} with the commands applied and the events
 *       served, then the engine's canonical snapshot at that point of the log, for a replica
 *       outside the cluster (the server of {@code backstop serve --cluster}).
 * </ul>
 *
 * <p>{@link #APPLIED}, {@link #STATE}, {@link #SYNC} and {@link #LOG} carry a body (the events, the
 * document, the snapshot, the commands) of any length, in chunks of at most {@link #CHUNK} bytes,
 * one message each: the type's fixed fields ({@link #fields}), the body's whole length and the
 * chunk's offset (4 bytes each), then the chunk. An egress message is at most an eighth of its
 * term, so a reply of any size gets through.
 */
public final class Protocol {

  /** Commands in, as JSON lines. */
  public static final int COMMANDS = 1;

  /** The engine's position and state hash at this point of the log. */
  public static final int STATUS = 2;

  /** The reply to {@link #COMMANDS}: the events. */
  public static final int APPLIED = 3;

  /** The engine's state document ({@code EngineJson.state}) at this point of the log. */
  public static final int STATE = 4;

  /** The engine's canonical snapshot and counters at this point of the log. */
  public static final int SYNC = 6;

  /** The commands applied from a number on, as the leader still holds them. */
  public static final int LOG = 7;

  /** Bytes of the type and correlation id that start every message. */
  public static final int HEADER = 12;

  /** The length of a {@link #STATUS} reply. */
  public static final int STATUS_LENGTH = HEADER + 32;

  /** The most bytes of a body in one message. */
  public static final int CHUNK = 32 * 1024;

  private Protocol() {}

  /** The type of the message at {@code offset}. */
  public static int type(DirectBuffer buffer, int offset) {
    return buffer.getInt(offset);
  }

  /** The correlation id of the message at {@code offset}. */
  public static long correlationId(DirectBuffer buffer, int offset) {
    return buffer.getLong(offset + 4);
  }

  /** The bytes of fixed fields after the header of a reply with a body, or -1 for another type. */
  public static int fields(int type) {
    return switch (type) {
      case APPLIED -> 20;
      case STATE -> 0;
      case SYNC -> 16;
      case LOG -> 8;
      default -> -1;
    };
  }

  /** Writes the header; returns its length. */
  public static int putHeader(MutableDirectBuffer buffer, int type, long correlationId) {
    buffer.putInt(0, type);
    buffer.putLong(4, correlationId);
    return HEADER;
  }

  /** The text from {@code from} to the end of the message. */
  public static String text(DirectBuffer buffer, int offset, int length, int from) {
    byte[] bytes = new byte[length - from];
    buffer.getBytes(offset + from, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
