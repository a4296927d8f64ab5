package dev.backstop.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.event.Event;
import dev.backstop.core.num.Decimal;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLines} writes every event type as Jackson's serializers do, character for character:
 * random events of every record the engine emits, with the values that need care (null, the ends of
 * {@code long}, negative and zero decimals with trailing zeros, strings with quotes, backslashes,
 * control characters, non-ASCII, surrogate pairs and lone surrogates).
 */
class EventLinesTest {

  private static final String[] STRINGS = {
    "",
    "alice",
    "BTC-PERP",
    "a\"b",
    "back\\slash",
    "tab\there",
    "line\nbreak\r\f\b",
    "\u0000\u0001\u001f\u007f",
    "caf\u00e9 \u20ac",
    "\ud83d\ude00 smile",
    "lone \udc00 low",
    "lone high \ud83d",
    "\ud83d\ud83d\ude00",
    "/slash</script>",
  };

  @Test
  void everyEventTypeIsWrittenAsJacksonWritesIt() throws Exception {
    long seed = 20261202L;
    SplittableRandom random = new SplittableRandom(seed);
    EngineJson json = new EngineJson();
    EventLines lines = new EventLines();
    Class<?>[] types = Event.class.getPermittedSubclasses();
    assertThat(types).hasSizeGreaterThan(20);
    for (Class<?> type : types) {
      for (int round = 0; round < 300; round++) {
        Event event = randomEvent(type, random);
        long seq = random.nextLong(1, Long.MAX_VALUE);
        long line = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 1L << 40);
        StringBuilder expected = new StringBuilder();
        json.appendEventLineByJackson(expected, seq, line, event);
        StringBuilder actual = new StringBuilder();
        boolean written = lines.append(actual, seq, line, event);
        assertThat(written).as("%s has a form (seed %d)", type.getSimpleName(), seed).isTrue();
        assertThat(actual.toString())
            .as("%s, round %d of seed %d: %s", type.getSimpleName(), round, seed, event)
            .isEqualTo(expected.toString());
        StringBuilder public_ = new StringBuilder("x");
        json.appendEventLine(public_, seq, line, event);
        assertThat(public_.toString()).isEqualTo("x" + expected);
      }
    }
  }

  @Test
  void aLineLongerThanTheBufferGrowsIt() throws Exception {
    EngineJson json = new EngineJson();
    String reason = "r\"".repeat(2_000);
    Event event =
        new Event.Rejected(
            7, 8, "trade", dev.backstop.core.event.RejectionCode.MALFORMED_COMMAND, reason);
    StringBuilder expected = new StringBuilder();
    json.appendEventLineByJackson(expected, 1, 2, event);
    java.io.StringWriter writer = new java.io.StringWriter();
    json.appendEventLine(writer, 1, 2, event);
    assertThat(writer.toString()).isEqualTo(expected.toString()).hasSizeGreaterThan(6_000);
    // and a short line after it is not followed by the long one's tail
    Event small = new Event.ClockAdvanced(3, 4);
    assertThat(json.eventLine(5, 6, small))
        .isEqualTo("{\"seq\":5,\"eventSeq\":3,\"type\":\"clock-advanced\",\"time\":4,\"line\":6}");
  }

  private static Event randomEvent(Class<?> type, SplittableRandom random) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = randomValue(types[i], random);
    }
    Constructor<?> constructor = type.getDeclaredConstructor(types);
    return (Event) constructor.newInstance(values);
  }

  private static Object randomValue(Class<?> type, SplittableRandom random) {
    boolean nullable = random.nextInt(8) == 0;
    if (type == long.class) {
      return switch (random.nextInt(6)) {
        case 0 -> Long.MIN_VALUE;
        case 1 -> Long.MAX_VALUE;
        case 2 -> 0L;
        default -> random.nextLong();
      };
    }
    if (type == int.class) {
      return random.nextInt(4) == 0 ? Integer.MIN_VALUE : random.nextInt();
    }
    if (type == boolean.class) {
      return random.nextBoolean();
    }
    if (nullable && !type.isPrimitive()) {
      return null;
    }
    if (type == String.class) {
      return STRINGS[random.nextInt(STRINGS.length)];
    }
    if (type == Decimal.class) {
      int scale = random.nextInt(Decimal.MAX_SCALE + 1);
      long unscaled =
          switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            case 2 -> random.nextLong(-1000, 1000) * 1_000_000L;
            default -> random.nextLong();
          };
      return new Decimal(unscaled, scale);
    }
    if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      return constants[random.nextInt(constants.length)];
    }
    throw new AssertionError("no random value for " + type);
  }
}
