package dev.backstop.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded malformed lines (random bytes, truncated JSON, deep nesting, huge tokens, bad escapes,
 * wrong types, mutated good lines) fed to {@link CommandReader#read}, alone and through {@link
 * CommandLines}: every line either reads or is a {@link BadCommandException}, never anything else.
 */
class CommandReaderFuzzTest {

  private static final long SEED = 20_261_201L;
  private static final int LINES = 2_500;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Good lines to start from: every command type, and a market with every kind of override. */
  static final List<String> GOOD =
      List.of(
          "{\"type\":\"time\",\"time\":1700000000000}",
          "{\"type\":\"market\",\"market\":\"BTC-PERP\",\"preset\":\"bitmex\"}",
          "{\"type\":\"market\",\"market\":\"M\",\"preset\":\"hyperliquid\",\"takerFee\":\"0.0004\","
              + "\"sizeDecimals\":3,\"tiers\":[{\"notional\":\"0\",\"maxLeverage\":\"50\","
              + "\"maintenanceMarginRate\":\"0.01\"}],\"liquidity\":{\"model\":\"book\","
              + "\"depth\":\"1000000\"},\"backstop\":{\"resolution\":\"deleverage\","
              + "\"policy\":\"random\",\"seed\":7,\"trigger\":\"drawdown\",\"windowMillis\":60000,"
              + "\"start\":\"0.1\",\"stop\":\"0.05\",\"price\":\"mark\"}}",
          "{\"type\":\"market\",\"market\":\"L\",\"liquidity\":{\"model\":\"lp\",\"account\":\"olp\"},"
              + "\"maxLeverage\":\"20\",\"maintenanceMarginRate\":\"0.025\"}",
          "{\"type\":\"pool\",\"pool\":\"p\",\"user\":\"u\",\"provider\":\"olp\"}",
          "{\"type\":\"deposit\",\"account\":\"alice\",\"amount\":\"10000\"}",
          "{\"type\":\"withdraw\",\"account\":\"bob\",\"amount\":\"2000\",\"isolated\":\"M\"}",
          "{\"type\":\"insurance\",\"market\":\"BTC-PERP\",\"amount\":\"1000\"}",
          "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"alice\",\"seller\":\"bob\","
              + "\"size\":\"1\",\"price\":\"100000\",\"taker\":\"buyer\",\"buyerIsolated\":true}",
          "{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\"99000\",\"index\":\"99010\","
              + "\"time\":1700000060000}",
          "{\"type\":\"funding\",\"market\":\"BTC-PERP\",\"rate\":\"0.0001\"}",
          "{\"type\":\"free-margin\",\"provider\":\"olp\",\"amount\":\"5\"}",
          "{\"type\":\"option\",\"option\":\"C\",\"underlying\":\"M\",\"kind\":\"call\","
              + "\"strike\":\"3000\",\"expiry\":1700086400000,\"volatility\":\"0.6\"}",
          "{\"type\":\"option-trade\",\"option\":\"C\",\"buyer\":\"u\",\"seller\":\"olp\","
              + "\"size\":\"1\",\"premium\":\"20\",\"taker\":\"buyer\",\"pool\":\"p\"}",
          "{\"type\":\"volatility\",\"option\":\"C\",\"volatility\":\"0.5\"}",
          "{\"type\":\"expiry\",\"option\":\"C\"}",
          "{\"type\":\"depth\",\"market\":\"M\",\"depth\":\"250000\"}");

  private static final String[] ODD_VALUES = {
    "0",
    "-1",
    "1.5",
    "1e400",
    "-1e-400",
    "9223372036854775808",
    "1" + "0".repeat(2_000),
    "true",
    "null",
    "[]",
    "{}",
    "[1,[2,[3]]]",
    "{\"a\":{}}",
    "\"\"",
    "\" \"",
    "\"+1\"",
    "\"1.\"",
    "\".5\"",
    "\"007\"",
    "\"1e5\"",
    "\"NaN\"",
    "\"-0\"",
    "\"99999999999999999999\"",
    "\"0.0000000000000000001\"",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\"\\udc00\\ud800\"",
    "\"" + "9".repeat(30) + "\"",
    "\"bitmex\"",
    "\"mark\"",
    "\"lp\"",
    "\"random\"",
    "\"fund\"",
    "\"pnl-factor\"",
    "-9223372036854775808",
    "2147483648",
    "0.0",
  };

  private static final String JSONISH = "{}[]\":,\\tn0-.e u";

  private static final String[] BAD_ESCAPES = {
    "\\x41", "\\u12", "\\uZZZZ", "\\", "\\'", "\\U0041", "\\ud800\\u0041", "\\0", "\t", "\u0001",
  };

  /** One malformed (or, by chance, good) line as bytes. */
  static byte[] line(SplittableRandom r) {
    String good = GOOD.get(r.nextInt(GOOD.size()));
    return switch (r.nextInt(9)) {
      case 0 -> randomBytes(r);
      case 1 -> utf8(good.substring(0, r.nextInt(good.length())));
      case 2 -> utf8(deep(r));
      case 3 -> utf8(huge(r, good));
      case 4 -> utf8(badEscape(r, good));
      case 5, 6 -> utf8(wrongType(r, good));
      case 7 -> mutated(r, utf8(good));
      default -> utf8(good);
    };
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(SplittableRandom r) {
    byte[] bytes = new byte[r.nextInt(200)];
    for (int i = 0; i < bytes.length; i++) {
      int b = r.nextInt(256);
      // JSON-ish bytes often, so that the parser gets past the first one
      bytes[i] = (byte) (r.nextInt(3) == 0 ? JSONISH.charAt(r.nextInt(JSONISH.length())) : b);
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        bytes[i] = ' ';
      }
    }
    return bytes;
  }

  private static String deep(SplittableRandom r) {
    int depth = 900 + r.nextInt(300);
    String open = r.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    String inner =
        "{\"type\":\"time\",\"time\":1,\"x\":" + open.repeat(depth) + close.repeat(depth) + "}";
    return r.nextBoolean() ? inner : open.repeat(depth + 200);
  }

  private static String huge(SplittableRandom r, String good) {
    int n = 10_000 + r.nextInt(50_000);
    return switch (r.nextInt(4)) {
      case 0 -> good.replaceFirst("\"type\"", "\"" + "t".repeat(n) + "\"");
      case 1 -> good.replaceFirst(":\"", ":\"" + "7".repeat(n));
      case 2 -> good.replaceFirst(":", ":" + "1".repeat(n) + ",\"z\":");
      default -> good.substring(0, good.length() - 1) + ",\"pad\":\"" + "x".repeat(n) + "\"}";
    };
  }

  private static String badEscape(SplittableRandom r, String good) {
    int at = good.indexOf('"', 1 + r.nextInt(good.length() - 1));
    if (at < 0) {
      at = 1;
    }
    return good.substring(0, at + 1)
        + BAD_ESCAPES[r.nextInt(BAD_ESCAPES.length)]
        + good.substring(at + 1);
  }

  private static String wrongType(SplittableRandom r, String good) {
    JsonNode root;
    try {
      root = JSON.readTree(good);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    List<ObjectNode> objects = new ArrayList<>();
    collect(root, objects);
    for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
      ObjectNode o = objects.get(r.nextInt(objects.size()));
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String field =
          names.isEmpty() || r.nextInt(6) == 0
              ? "extra" + r.nextInt(3)
              : names.get(r.nextInt(names.size()));
      if (r.nextInt(8) == 0) {
        o.remove(field);
        continue;
      }
      try {
        o.set(field, JSON.readTree(ODD_VALUES[r.nextInt(ODD_VALUES.length)]));
      } catch (IOException e) {
        // a value Jackson will not read back (too long a number): write it raw instead
        return good.replaceFirst(":", ":" + ODD_VALUES[r.nextInt(ODD_VALUES.length)] + ",\"q\":");
      }
    }
    return root.toString();
  }

  private static void collect(JsonNode node, List<ObjectNode> objects) {
    if (node instanceof ObjectNode o) {
      objects.add(o);
    }
    node.elements().forEachRemaining(child -> collect(child, objects));
  }

  private static byte[] mutated(SplittableRandom r, byte[] good) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : good) {
      int dice = r.nextInt(40);
      if (dice == 0) {
        continue;
      }
      out.write(dice == 1 ? r.nextInt(256) : b);
      if (dice == 2) {
        out.write(r.nextInt(128));
      }
    }
    byte[] bytes = out.toByteArray();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        bytes[i] = '"';
      }
    }
    return bytes;
  }

  /** Reads one line: null if it reads, else the bad line's exception; anything else fails. */
  private static BadCommandException read(CommandReader reader, String line) {
    try {
      reader.read(line);
      return null;
    } catch (BadCommandException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.code()).isNotNull();
      return e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("line " + abbreviated(line) + " threw " + e, e);
    }
  }

  private static String abbreviated(String line) {
    return line.length() <= 300 ? line : line.substring(0, 300) + "... (" + line.length() + ")";
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void everyLineReadsOrIsABadCommand() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    CommandReader reader = new CommandReader();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    int bad = 0;
    for (int i = 0; i < LINES; i++) {
      byte[] line = line(random);
      file.write(line);
      file.write('\n');
      if (read(reader, new String(line, StandardCharsets.UTF_8)) != null) {
        bad++;
      }
    }
    // most are bad, and some (the good lines among them) read
    assertThat(bad).isBetween(LINES / 2, LINES - 1);

    int lines = 0;
    try (CommandLines in = new CommandLines(new ByteArrayInputStream(file.toByteArray()))) {
      for (CommandLines.Line line = in.next(); line != null; line = in.next()) {
        lines++;
        try {
          read(reader, line.text());
        } catch (BadCommandException e) {
          assertThat(e.getMessage()).startsWith("not UTF-8");
        }
      }
    }
    assertThat(lines).isEqualTo(LINES);
  }
}
