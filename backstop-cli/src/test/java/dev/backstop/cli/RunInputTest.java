package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backstop run} on input that is not even text: each such line is one {@code rejected} event
 * naming it, and the run goes on.
 */
class RunInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String MARKET = "{\"type\":\"market\",\"market\":\"BTC-PERP\"}";
  private static final String DEPOSIT_A1 =
      "{\"type\":\"deposit\",\"account\":\"a1\",\"amount\":\"10\"}";
  private static final String DEPOSIT_A2 =
      "{\"type\":\"deposit\",\"account\":\"a2\",\"amount\":\"20\"}";

  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private CliRun runLines(String name, byte[]... lines) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      file.write(line);
      file.write('\n');
    }
    Path commands = dir.resolve(name + ".jsonl");
    Files.write(commands, file.toByteArray());
    return CliRun.run(
        "run",
        "--commands",
        commands.toString(),
        "--events",
        dir.resolve(name + ".events.jsonl").toString(),
        "--state",
        dir.resolve(name + ".state.json").toString());
  }

  private List<JsonNode> rejected(String name) throws IOException {
    List<JsonNode> rejected = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(name + ".events.jsonl"))) {
      JsonNode event = JSON.readTree(line);
      if (event.get("type").asText().equals("rejected")) {
        rejected.add(event);
      }
    }
    return rejected;
  }

  @Test
  void linesThatAreNotTextAreRejectedOneByOne() throws IOException {
    ByteArrayOutputStream notUtf8 = new ByteArrayOutputStream();
    notUtf8.write(utf8("{\"type\":\"deposit\",\"account\":\"a1\",\"amount\":\"1"));
    notUtf8.write(0xFF);
    notUtf8.write(utf8("\"}"));
    byte[] loneSurrogateName =
        utf8("{\"type\":\"deposit\",\"account\":\"\\ud800\",\"amount\":\"1\"}");
    byte[] loneSurrogateType = utf8("{\"type\":\"\\udc00x\"}");
    byte[] loneSurrogateField = utf8("{\"type\":\"time\",\"time\":1,\"\\ud800\":2}");
    byte[] huge =
        utf8(
            "{\"type\":\"deposit\",\"account\":\""
                + "a".repeat(20_000_000)
                + "\",\"amount\":\"1\"}");
    byte[] deep = utf8("[".repeat(2_000));

    CliRun clean = runLines("clean", utf8(MARKET), utf8(DEPOSIT_A1), utf8(DEPOSIT_A2));
    CliRun dirty =
        runLines(
            "dirty",
            utf8(MARKET),
            utf8(DEPOSIT_A1),
            notUtf8.toByteArray(),
            loneSurrogateName,
            loneSurrogateType,
            loneSurrogateField,
            huge,
            deep,
            utf8(DEPOSIT_A2));

    assertThat(clean.exitCode()).isZero();
    assertThat(dirty.err()).isEmpty();
    assertThat(dirty.exitCode()).isZero();
    assertThat(dirty.out()).startsWith("9 commands read").contains("6 rejected");
    List<JsonNode> rejected = rejected("dirty");
    assertThat(rejected.stream().map(e -> e.get("line").asInt())).containsExactly(3, 4, 5, 6, 7, 8);
    assertThat(rejected.get(0).get("code").asText()).isEqualTo("malformed-command");
    assertThat(rejected.get(0).get("reason").asText())
        .isEqualTo("line 3: not UTF-8: byte 45 of the line (0xFF) begins no valid character");
    assertThat(rejected.get(1).get("reason").asText()).contains("not well-formed Unicode");
    assertThat(rejected.get(2).get("code").asText()).isEqualTo("malformed-command");
    assertThat(rejected.get(2).get("reason").asText()).contains("unknown command type '\udc00x'");
    assertThat(rejected.get(3).get("code").asText()).isEqualTo("malformed-command");
    // Jackson refuses a lone surrogate in a field name, as malformed JSON
    assertThat(rejected.get(3).get("reason").asText())
        .startsWith("line 6: malformed JSON")
        .contains("surrogate");
    assertThat(rejected.get(4).get("code").asText()).isEqualTo("malformed-command");
    assertThat(rejected.get(4).get("reason").asText())
        .startsWith("line 7: line too long: " + huge.length + " bytes");
    assertThat(rejected.get(5).get("code").asText()).isEqualTo("malformed-command");
    assertThat(rejected.get(5).get("reason").asText()).startsWith("line 8: malformed JSON");
    assertThat(Files.readString(dir.resolve("dirty.state.json")))
        .isEqualTo(Files.readString(dir.resolve("clean.state.json")));
  }

  @Test
  void strictStopsAtALineThatIsNotUtf8NamingIt() throws IOException {
    Path commands = dir.resolve("bad.jsonl");
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(utf8(MARKET + "\n"));
    file.write(new byte[] {'{', (byte) 0xC3, '}', '\n'});
    Files.write(commands, file.toByteArray());

    CliRun strict = run("run", "--strict", "--commands", commands.toString());

    assertThat(strict.exitCode()).isNotZero();
    assertThat(strict.err())
        .contains(
            "bad.jsonl line 2: not UTF-8: byte 2 of the line (0xC3) begins no valid character");
  }
}
