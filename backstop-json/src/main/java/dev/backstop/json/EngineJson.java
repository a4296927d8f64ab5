package dev.backstop.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.backstop.core.engine.AdlRanking;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.io.IOException;
import java.io.Writer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of the engine's outputs: one object per event, and the final state in the shape
 * {@code docs/run.md} fixes. Decimals are written as strings exactly as the engine holds them
 * ({@code "100000.5"}), enum values and event types by their wire names ({@code
 * "shortfall-cover"}).
 */
public final class EngineJson {

  private final ObjectMapper mapper = base().build();

  /**
   * Events without their {@code seq} and {@code time}, which {@link #eventLine} writes first: the
   * same serializers as {@link #mapper}, less those two properties of every event record.
   */
  private final ObjectMapper eventFields =
      base()
          .addModule(
              new SimpleModule("backstop-event-fields")
                  .setSerializerModifier(
                      new BeanSerializerModifier() {
                        @Override
                        public List<BeanPropertyWriter> changeProperties(
                            SerializationConfig config,
                            BeanDescription description,
                            List<BeanPropertyWriter> properties) {
                          if (Event.class.isAssignableFrom(description.getBeanClass())) {
                            properties.removeIf(
                                p -> p.getName().equals("seq") || p.getName().equals("time"));
                          }
                          return properties;
                        }
                      }))
          .build();

  /**
   * Decimals as strings, enum values as wire names; record accessors called through generated
   * lambdas rather than reflection (Jackson's Blackbird module: a tenth of an event line's cost).
   */
  private static JsonMapper.Builder base() {
    return JsonMapper.builder()
        .addModule(new BlackbirdModule())
        .addModule(
            new SimpleModule("backstop-decimal")
                .addSerializer(Decimal.class, new DecimalSerializer()))
        .addModule(wireNames());
  }

  /**
   * A decimal as a JSON string of its exact text ({@link Decimal#toString()}), formatted straight
   * into a small buffer between quotes and written raw: the text is digits, a sign and a point, so
   * it needs no escaping, and no string is made.
   */
  private static final class DecimalSerializer extends StdSerializer<Decimal> {
    private static final long serialVersionUID = 1L;

    DecimalSerializer() {
      super(Decimal.class);
    }

    @Override
    public void serialize(Decimal value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      char[] chars = new char[Fixed.FORMAT_CHARS + 2];
      int end = chars.length - 1;
      chars[end] = '"';
      int start = value.formatInto(chars, end) - 1;
      chars[start] = '"';
      gen.writeRawValue(chars, start, chars.length - start);
    }
  }

  /** The {@code type} of an event in JSON: its wire name ({@code backstop-applied}). */
  public static String typeName(Event event) {
    return WireName.of(event);
  }

  /** Every enum value as its wire name ({@code shortfall-cover}). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SimpleModule wireNames() {
    SimpleModule module = new SimpleModule("backstop-wire-names");
    module.addSerializer(
        (Class) Enum.class,
        new JsonSerializer<Enum>() {
          @Override
          public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            gen.writeString(WireName.of(value));
          }
        });
    return module;
  }

  /**
   * The fields of each event record class, less {@code seq} and {@code time}, without the braces
   * around them: {@link #eventFields}'s serializer of the class, unwrapped, found once per class.
   */
  private final ClassValue<JsonSerializer<Object>> fieldWriters =
      new ClassValue<>() {
        @Override
        protected JsonSerializer<Object> computeValue(Class<?> type) {
          try {
            return eventProvider
                .findValueSerializer(type)
                .unwrappingSerializer(NameTransformer.NOP);
          } catch (JsonMappingException e) {
            throw new IllegalStateException("no JSON form for " + type.getName(), e);
          }
        }
      };

  /** One serializer provider for every event line: the mapper's, kept instead of made per line. */
  private final SerializerProvider eventProvider = eventFields.getSerializerProviderInstance();

  /** The characters of the line being written, which {@link #lineGenerator} writes into. */
  private final StringBuilder lineBuffer = new StringBuilder(512);

  /** A generator kept for every event line, writing into {@link #lineBuffer}. */
  private final JsonGenerator lineGenerator;

  /** Builds the mappers and the event line generator. */
  public EngineJson() {
    try {
      lineGenerator = eventFields.getFactory().createGenerator(new BufferWriter(lineBuffer));
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a JSON generator", e);
    }
    lineGenerator.setRootValueSeparator(null);
  }

  /**
   * One event as a line of JSON: {@code seq}, {@code eventSeq}, {@code type}, {@code time}, the
   * {@code line} of the command file that caused it, then the record's own fields in declaration
   * order.
   *
   * @param seq the event's position in the output, from 1; {@code eventSeq} is the engine's own
   *     number, which continues across a snapshot and which a rejection carries without using up
   */
  public String eventLine(long seq, long line, Event event) throws JsonProcessingException {
    StringBuilder out = new StringBuilder(256);
    try {
      appendEventLine(out, seq, line, event);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("appending to a StringBuilder failed", e);
    }
    return out.toString();
  }

  /**
   * Appends one event's line, as {@link #eventLine} writes it, without a newline: one generator and
   * one buffer serve every line, so a line costs its fields. Synchronized: two threads may share an
   * instance, one line at a time.
   *
   * @throws IOException if {@code out} fails (a {@link JsonProcessingException} if the event has no
   *     JSON form)
   */
  public synchronized void appendEventLine(Appendable out, long seq, long line, Event event)
      throws IOException {
    if (!fastLines.append(out, seq, line, event)) {
      appendEventLineByJackson(out, seq, line, event);
    }
  }

  /** Every event line whose record {@link EventLines} has a form for: all of the engine's. */
  private final EventLines fastLines = new EventLines();

  /**
   * Appends one event's line through Jackson's serializers: the reference {@link EventLines} is
   * held to ({@code EventLinesTest}), and the writer of an event record it has no form for.
   */
  synchronized void appendEventLineByJackson(Appendable out, long seq, long line, Event event)
      throws IOException {
    lineBuffer.setLength(0);
    try {
      JsonGenerator g = lineGenerator;
      g.writeStartObject();
      g.writeNumberField("seq", seq);
      g.writeNumberField("eventSeq", event.seq());
      g.writeStringField("type", typeName(event));
      g.writeNumberField("time", event.time());
      g.writeNumberField("line", line);
      fieldWriters.get(event.getClass()).serialize(event, g, eventProvider);
      g.writeEndObject();
      g.flush();
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("writing an event line into memory failed", e);
    }
    appendEscapingLoneSurrogates(out, lineBuffer);
  }

  /**
   * A writer appending to a {@code StringBuilder}: where the event line generator writes. Not
   * {@code java.io.StringWriter}, whose synchronized {@code StringBuffer} was measured to cost
   * about 30% of the lines a second ({@code docs/performance.md}, "`backstop run`'s event lines").
   */
  private static final class BufferWriter extends Writer {
    private final StringBuilder target;

    BufferWriter(StringBuilder target) {
      this.target = target;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      target.append(chars, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
      target.append(text, offset, offset + length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /**
   * Appends {@code json} to {@code out}, lone surrogates escaped ({@link #escapeLoneSurrogates}).
   */
  private static void appendEscapingLoneSurrogates(Appendable out, CharSequence json)
      throws IOException {
    int n = json.length();
    for (int i = 0; i < n; i++) {
      if (Character.isSurrogate(json.charAt(i))) {
        out.append(escapeLoneSurrogates(json.toString()));
        return;
      }
    }
    out.append(json);
  }

  /**
   * {@code json} with every lone surrogate written as a {@code \\uXXXX} escape: a lone surrogate
   * has no UTF-8 form, and can come back in a rejection's reason quoting a bad line. It can only
   * stand inside a JSON string, where the escape reads back as the same character; surrogate pairs
   * stay as they are.
   */
  static String escapeLoneSurrogates(String json) {
    StringBuilder out = null;
    int n = json.length();
    for (int i = 0; i < n; i++) {
      char c = json.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(json.charAt(i + 1))) {
        if (out != null) {
          out.append(c).append(json.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(n + 16).append(json, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? json : out.toString();
  }

  /** The final state document, pretty-printed. */
  public String state(EngineState state) throws JsonProcessingException {
    StateDocument document =
        new StateDocument(
            state.accounts(),
            state.insuranceFunds(),
            state.feesCollected(),
            state.badDebt(),
            new Totals(state.deposited(), state.withdrawn(), state.insuranceFunded()),
            state.markets(),
            state.time(),
            stateHash(state.stateHash()),
            state.options(),
            state.optionPositions());
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document);
  }

  /** The ADL rankings of every market, pretty-printed. */
  public String rankings(List<AdlRanking> rankings) throws JsonProcessingException {
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("markets", rankings));
  }

  /** A state hash as 16 hex digits, as the state file and the run summary print it. */
  public static String stateHash(long hash) {
    return HexFormat.of().toHexDigits(hash);
  }

  /**
   * The state file: the fields of {@code docs/run.md} first, then the markets, time and hash, and
   * the options and option positions when there are any.
   */
  private record StateDocument(
      List<EngineState.MarginAccount> accounts,
      List<EngineState.Fund> insuranceFunds,
      Decimal feesCollected,
      Decimal badDebt,
      Totals totals,
      List<EngineState.Market> markets,
      long time,
      String stateHash,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<EngineState.Option> options,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
          List<EngineState.OptionPosition> optionPositions) {}

  private record Totals(Decimal deposited, Decimal withdrawn, Decimal insuranceFunded) {}
}
