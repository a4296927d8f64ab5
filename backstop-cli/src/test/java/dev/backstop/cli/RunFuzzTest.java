package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandLines;
import dev.backstop.json.CommandReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backstop run} end to end on a seeded mix of good and malformed lines: it finishes with
 * exit 0, every line the reader refuses is one {@code rejected} event naming it, and the events are
 * well-formed UTF-8 JSON.
 */
class RunFuzzTest {

  private static final List<String> GOOD =
      List.of(
          "{\"type\":\"market\",\"market\":\"BTC-PERP\",\"preset\":\"bitmex\"}",
          "{\"type\":\"deposit\",\"account\":\"alice\",\"amount\":\"10000\"}",
          "{\"type\":\"deposit\",\"account\":\"bob\",\"amount\":\"20000\"}",
          "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"alice\",\"seller\":\"bob\","
              + "\"size\":\"0.1\",\"price\":\"100000\",\"taker\":\"buyer\"}",
          "{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\"99000\"}",
          "{\"type\":\"funding\",\"market\":\"BTC-PERP\",\"rate\":\"0.0001\"}");

  private static final String[] NOISE = {
    "\\x41", "\\ud800", "\\udc00", "+1", "1.", ".5", "007", "\"", "{", "]", ",", "\\u12",
  };

  @TempDir Path dir;

  private static byte[] line(SplittableRandom r) {
    String good = GOOD.get(r.nextInt(GOOD.size()));
    byte[] bytes = good.getBytes(StandardCharsets.UTF_8);
    return switch (r.nextInt(7)) {
      case 0 -> {
        byte[] random = new byte[r.nextInt(80)];
        for (int i = 0; i < random.length; i++) {
          int b = r.nextInt(256);
          random[i] = (byte) (b == '\n' || b == '\r' ? ' ' : b);
        }
        yield random;
      }
      case 1 -> java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
      case 2 -> ("[".repeat(1_500)).getBytes(StandardCharsets.US_ASCII);
      case 3 -> {
        int at = r.nextInt(good.length());
        yield (good.substring(0, at) + NOISE[r.nextInt(NOISE.length)] + good.substring(at))
            .getBytes(StandardCharsets.UTF_8);
      }
      case 4 -> {
        bytes[r.nextInt(bytes.length)] = (byte) (0x80 + r.nextInt(128));
        yield bytes;
      }
      default -> bytes;
    };
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void aRunOfMalformedLinesRejectsEachAndFinishes() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < 400; i++) {
      file.write(line(random));
      file.write('\n');
    }
    Path commands = dir.resolve("fuzz.jsonl");
    Files.write(commands, file.toByteArray());
    // the lines the reader refuses, and how many are not blank
    TreeSet<Long> refused = new TreeSet<>();
    long notBlank = 0;
    CommandReader reader = new CommandReader();
    try (CommandLines in = new CommandLines(new ByteArrayInputStream(file.toByteArray()))) {
      for (CommandLines.Line l = in.next(); l != null; l = in.next()) {
        if (l.isBlank()) {
          continue;
        }
        notBlank++;
        try {
          reader.read(l.text());
        } catch (BadCommandException e) {
          refused.add(l.number());
        }
      }
    }
    assertThat(refused).hasSizeGreaterThan(100);

    Path events = dir.resolve("events.jsonl");
    CliRun r =
        run(
            "run",
            "--commands",
            commands.toString(),
            "--events",
            events.toString(),
            "--state",
            dir.resolve("state.json").toString());

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith(notBlank + " commands read");
    byte[] written = Files.readAllBytes(events);
    // strictly UTF-8: decoding with REPORT throws on any malformed byte
    String text =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(written))
            .toString();
    ObjectMapper json = new ObjectMapper();
    List<Long> rejectedLines = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      JsonNode event = json.readTree(line);
      if (event.get("type").asText().equals("rejected")) {
        long n = event.get("line").asLong();
        rejectedLines.add(n);
        if (refused.contains(n)) {
          assertThat(event.get("reason").asText()).startsWith("line " + n + ": ");
        }
      }
    }
    // each refused line is exactly one rejected event
    for (long n : refused) {
      assertThat(rejectedLines.stream().filter(x -> x == n)).as("line " + n).hasSize(1);
    }
  }
}
