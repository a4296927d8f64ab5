package dev.backstop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.json.CommandLines;
import dev.backstop.json.CommandReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ParsedCommands} hands over what reading and parsing each line on the run's own thread
 * would give, in the file's order, across many batches and a full queue; a read failure comes after
 * every line before it; closing it early stops the reader and closes the file.
 */
@Timeout(30)
class ParsedCommandsTest {

  /** More lines than the queue holds: the reader waits for the run, and nothing is reordered. */
  private static final int LINES = ParsedCommands.BATCH * ParsedCommands.BATCHES * 3 + 17;

  private static String line(int i) {
    return switch (i % 5) {
      case 0 -> "";
      case 1 -> "{\"type\":\"deposit\",\"account\":\"a" + i + "\",\"amount\":\"" + i + "\"}";
      case 2 -> "{\"type\":\"time\",\"time\":" + i + "}";
      case 3 -> "{\"type\":\"deposit\",\"account\":\"a" + i + "\",\"amount\":\"-1x\"}";
      default -> "{not json " + i;
    };
  }

  private static byte[] file(int lines) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      out.append(line(i)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyLineComesInOrderAsTheRunWouldReadIt() throws Exception {
    CommandReader reader = new CommandReader();
    int seen = 0;
    try (ParsedCommands in =
        new ParsedCommands(new CommandLines(new ByteArrayInputStream(file(LINES))))) {
      for (ParsedCommands.Parsed p = in.next(); p != null; p = in.next()) {
        assertThat(p.number()).isEqualTo(seen + 1);
        String text = line(seen);
        if (text.isEmpty()) {
          assertThat(p.isBlank()).isTrue();
        } else {
          Command expected = null;
          String message = null;
          try {
            expected = reader.read(text);
          } catch (dev.backstop.json.BadCommandException e) {
            message = e.describe();
          }
          assertThat(p.command()).as("line %d", p.number()).isEqualTo(expected);
          assertThat(p.bad() == null ? null : p.bad().describe()).isEqualTo(message);
        }
        seen++;
      }
      assertThat(in.next()).isNull();
    }
    assertThat(seen).isEqualTo(LINES);
  }

  @Test
  void aReadFailureComesAfterEveryLineBeforeIt() throws Exception {
    byte[] good = file(1_000);
    InputStream failing =
        new InputStream() {
          private int at;

          @Override
          public int read() throws IOException {
            if (at == good.length) {
              throw new IOException("disk gone");
            }
            return good[at++] & 0xFF;
          }
        };
    int seen = 0;
    IOException failure = null;
    try (ParsedCommands in = new ParsedCommands(new CommandLines(failing))) {
      for (ParsedCommands.Parsed p = in.next(); p != null; p = in.next()) {
        assertThat(p.number()).isEqualTo(seen + 1);
        seen++;
      }
    } catch (IOException e) {
      failure = e;
    }
    assertThat(failure).hasMessage("disk gone");
    assertThat(seen).isEqualTo(1_000);
  }

  @Test
  void closingEarlyStopsTheReaderAndClosesTheFile() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    byte[] bytes = file(LINES);
    InputStream in =
        new ByteArrayInputStream(bytes) {
          @Override
          public void close() {
            closed.set(true);
          }
        };
    ParsedCommands parsed = new ParsedCommands(new CommandLines(in));
    assertThat(parsed.next().number()).isEqualTo(1);
    // The reader is now waiting on a full queue; closing wakes it, and it closes the file.
    Thread.sleep(100);
    parsed.close();
    assertThat(closed).isTrue();
  }
}
