package dev.backstop.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.backstop.core.engine.AdlRanking;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Decimal;
import java.io.IOException;
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

  /** Decimals as strings, enum values as wire names. */
  private static JsonMapper.Builder base() {
    return JsonMapper.builder()
        .addModule(
            new SimpleModule("backstop-decimal")
                .addSerializer(Decimal.class, ToStringSerializer.instance))
        .addModule(wireNames());
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
   * One event as a line of JSON: {@code seq}, {@code eventSeq}, {@code type}, {@code time}, the
   * {@code line} of the command file that caused it, then the record's own fields in declaration
   * order.
   *
   * @param seq the event's position in the output, from 1; {@code eventSeq} is the engine's own
   *     number, which continues across a snapshot and which a rejection carries without using up
   */
  public String eventLine(long seq, long line, Event event) throws JsonProcessingException {
    // The record's own fields, less seq and time, as one object written by Jackson; the line's
    // leading fields go in front of them, without building a tree.
    String fields = eventFields.writeValueAsString(event);
    StringBuilder out = new StringBuilder(fields.length() + 96);
    out.append("{\"seq\":")
        .append(seq)
        .append(",\"eventSeq\":")
        .append(event.seq())
        .append(",\"type\":\"")
        .append(typeName(event))
        .append("\",\"time\":")
        .append(event.time())
        .append(",\"line\":")
        .append(line);
    if (fields.length() > 2) {
      out.append(',').append(fields, 1, fields.length());
    } else {
      out.append('}');
    }
    return escapeLoneSurrogates(out.toString());
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
