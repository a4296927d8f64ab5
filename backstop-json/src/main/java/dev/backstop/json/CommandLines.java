package dev.backstop.json;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a JSONL command file, one at a time, each decoded from UTF-8 on its own: a line that
 * is not UTF-8, or longer than {@link #MAX_LINE_BYTES}, is one bad line ({@link Line#text()}
 * throws) and the next line reads as usual. Lines end at {@code \n}, {@code \r\n} or {@code \r}, as
 * for {@link java.io.BufferedReader#readLine()}; a line longer than the limit is skipped to its end
 * without being held in memory.
 */
public final class CommandLines implements Closeable {

  /** The longest line read, in bytes (1 MiB); a command is a few hundred bytes. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int pos;
  private int limit;
  private boolean end;
  private boolean skipLineFeed;
  private long number;
  private byte[] line = new byte[256];

  /** Reads {@code in}, which {@link #close()} closes. */
  public CommandLines(InputStream in) {
    this(in, MAX_LINE_BYTES);
  }

  CommandLines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** One line: its number (from 1) and its text, or why it has none. */
  public static final class Line {
    private final long number;
    private final String text;
    private final BadCommandException error;

    private Line(long number, String text, BadCommandException error) {
      this.number = number;
      this.text = text;
      this.error = error;
    }

    /** The line's number in the file, from 1. */
    public long number() {
      return number;
    }

    /** Whether the line is empty or white space only (a bad line is not blank). */
    public boolean isBlank() {
      return text != null && text.isBlank();
    }

    /**
     * The line without its end.
     *
     * @throws BadCommandException if the line is not UTF-8 or is too long
     */
    public String text() throws BadCommandException {
      if (error != null) {
        throw error;
      }
      return text;
    }
  }

  /** The next line, or null at the end of the input. */
  public Line next() throws IOException {
    if (skipLineFeed) {
      skipLineFeed = false;
      if (available() && buffer[pos] == '\n') {
        pos++;
      }
    }
    if (!available()) {
      return null;
    }
    number++;
    long length = 0;
    int kept = 0;
    while (available()) {
      int start = pos;
      while (pos < limit && buffer[pos] != '\n' && buffer[pos] != '\r') {
        pos++;
      }
      int n = pos - start;
      length += n;
      if (length <= maxLineBytes) {
        if (kept + n > line.length) {
          line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(kept + n, line.length * 2)));
        }
        System.arraycopy(buffer, start, line, kept, n);
        kept += n;
      }
      if (pos < limit) {
        skipLineFeed = buffer[pos] == '\r';
        pos++;
        break;
      }
    }
    if (length > maxLineBytes) {
      return new Line(
          number,
          null,
          new BadCommandException(
              null,
              null,
              "line too long: " + length + " bytes, at most " + maxLineBytes + " are read"));
    }
    return decode(kept);
  }

  private Line decode(int length) {
    ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
    CharBuffer chars = CharBuffer.allocate(length);
    decoder.reset();
    CoderResult result = decoder.decode(bytes, chars, true);
    if (!result.isError()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      int at = bytes.position();
      return new Line(
          number,
          null,
          new BadCommandException(
              null,
              null,
              "not UTF-8: byte "
                  + (at + 1)
                  + " of the line (0x"
                  + (at < length ? String.format("%02X", line[at] & 0xFF) : "end")
                  + ") begins no valid character"));
    }
    chars.flip();
    return new Line(number, chars.toString(), null);
  }

  /** Whether a byte is buffered, reading more if needed. */
  private boolean available() throws IOException {
    while (pos == limit && !end) {
      int n = in.read(buffer);
      if (n < 0) {
        end = true;
      } else {
        pos = 0;
        limit = n;
      }
    }
    return pos < limit;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
