package dev.backstop.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines decoded one by one: a bad one is one bad line, the rest read as usual. */
class CommandLinesTest {

  private static List<String> lines(byte[] input, int max) throws IOException {
    List<String> lines = new ArrayList<>();
    try (CommandLines in = new CommandLines(new ByteArrayInputStream(input), max)) {
      for (CommandLines.Line line = in.next(); line != null; line = in.next()) {
        assertThat(line.number()).isEqualTo(lines.size() + 1);
        try {
          lines.add(line.text());
        } catch (BadCommandException e) {
          lines.add("! " + e.getMessage());
        }
      }
    }
    return lines;
  }

  private static List<String> lines(String input) throws IOException {
    return lines(input.getBytes(StandardCharsets.UTF_8), CommandLines.MAX_LINE_BYTES);
  }

  @Test
  void endsLinesAsReadLineDoes() throws IOException {
    assertThat(lines("")).isEmpty();
    assertThat(lines("a")).containsExactly("a");
    assertThat(lines("a\n")).containsExactly("a");
    assertThat(lines("a\r\nb\rc\n\nd")).containsExactly("a", "b", "c", "", "d");
    assertThat(lines("\n\n")).containsExactly("", "");
    assertThat(lines("é€😀\n")).containsExactly("é€😀");
  }

  @Test
  void aLineThatIsNotUtf8IsOneBadLine() throws IOException {
    byte[] input = {'a', '\n', 'b', (byte) 0xFF, '\n', (byte) 0xE2, (byte) 0x82, '\n', 'c'};
    assertThat(lines(input, 100))
        .containsExactly(
            "a",
            "! not UTF-8: byte 2 of the line (0xFF) begins no valid character",
            "! not UTF-8: byte 1 of the line (0xE2) begins no valid character",
            "c");
    // a surrogate encoded in UTF-8 (CESU) is not UTF-8 either
    assertThat(lines(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 100))
        .containsExactly("! not UTF-8: byte 1 of the line (0xED) begins no valid character");
  }

  @Test
  void aLineTooLongIsOneBadLineAndTheNextReads() throws IOException {
    byte[] input = ("x".repeat(70_000) + "\r\nok\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(lines(input, 1000))
        .containsExactly("! line too long: 70000 bytes, at most 1000 are read", "ok");
    assertThat(lines(("x".repeat(1000) + "\n").getBytes(StandardCharsets.US_ASCII), 1000))
        .containsExactly("x".repeat(1000));
  }

  @Test
  void aBadLineIsNotBlank() throws IOException {
    try (CommandLines in = new CommandLines(new ByteArrayInputStream(new byte[] {(byte) 0x80}))) {
      CommandLines.Line line = in.next();
      assertThat(line.isBlank()).isFalse();
      assertThatThrownBy(line::text).isInstanceOf(BadCommandException.class);
      assertThat(in.next()).isNull();
    }
  }
}
