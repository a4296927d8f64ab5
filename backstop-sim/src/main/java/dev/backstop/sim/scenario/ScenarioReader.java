package dev.backstop.sim.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backstop.core.num.Decimal;
import dev.backstop.sim.io.FileErrors;
import dev.backstop.sim.num.Units;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads a {@link Scenario} from JSON or YAML (by the file's extension: {@code .yaml}/{@code .yml}
 * or anything else as JSON), strictly: unknown fields, missing required fields, wrong types and
 * values out of range are errors naming the field ({@code population.synthetic.accounts}). Amounts
 * of money are exact decimals, written as strings or plain numbers without an exponent.
 */
public final class ScenarioReader {

  private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
  private static final ObjectMapper YAML = configure(YAMLMapper.builder().build());

  private ScenarioReader() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    SimpleModule decimals = new SimpleModule("backstop-decimal");
    decimals.addDeserializer(Decimal.class, new DecimalDeserializer());
    return mapper
        .registerModule(decimals)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        // a count such as accounts: 200.5 is not rounded
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // a key given twice is an error, not the last one silently winning
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * Reads and validates a scenario file.
   *
   * @throws ScenarioException naming the file and the field at fault
   */
  public static Scenario read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ScenarioException("scenario file " + file + " does not exist");
    }
    try (InputStream in = Files.newInputStream(file)) {
      Scenario s = read(in, file.toString(), isYaml(file.getFileName().toString()));
      return resolveFiles(s, file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new ScenarioException("scenario " + FileErrors.describe(file, e), e);
    }
  }

  /**
   * Reads and validates a scenario from a stream.
   *
   * @param source names the input in error messages
   * @param yaml whether the input is YAML (else JSON)
   */
  public static Scenario read(InputStream in, String source, boolean yaml) throws IOException {
    Scenario scenario;
    try {
      scenario = (yaml ? YAML : JSON).readValue(in, Scenario.class);
    } catch (JsonMappingException e) {
      throw new ScenarioException(source + ": " + describe(e), e);
    } catch (JsonProcessingException e) {
      throw new ScenarioException(source + ": " + e.getOriginalMessage(), e);
    }
    if (scenario == null) {
      throw new ScenarioException(source + ": empty scenario");
    }
    ScenarioValidator.validate(scenario, source);
    return scenario;
  }

  /** Makes the population and klines files relative to the scenario's folder absolute. */
  private static Scenario resolveFiles(Scenario s, Path folder) {
    Scenario.PopulationSpec population = s.population();
    if (population.csv() != null) {
      population = new Scenario.PopulationSpec(null, folder.resolve(population.csv()).toString());
    }
    Scenario.PathSpec path = s.pricePath();
    if (path.klines() != null) {
      path = new Scenario.PathSpec(null, folder.resolve(path.klines()).toString());
    }
    return new Scenario(
        s.name(),
        s.description(),
        s.seed(),
        s.market(),
        s.insuranceFund(),
        population,
        path,
        s.liquidity(),
        s.policies());
  }

  static boolean isYaml(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml");
  }

  private static String describe(JsonMappingException e) {
    String field =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    return (field.isEmpty() ? "" : "field " + field + ": ") + e.getOriginalMessage() + line;
  }

  /** Exact decimals from strings or plain number literals; exponents and NaN are refused. */
  private static final class DecimalDeserializer extends JsonDeserializer<Decimal> {
    @Override
    public Decimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t != JsonToken.VALUE_STRING
          && t != JsonToken.VALUE_NUMBER_INT
          && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw JsonMappingException.from(p, "expected a decimal amount, got " + t);
      }
      try {
        return Units.parse(p.getText());
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage());
      }
    }
  }
}
