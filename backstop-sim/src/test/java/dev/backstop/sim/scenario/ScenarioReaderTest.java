package dev.backstop.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.num.Decimal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioReaderTest {

  @TempDir Path dir;

  private static final String JSON =
      """
      {"name": "tiny", "seed": 3,
       "market": {"name": "BTC-PERP", "preset": "bitmex"},
       "insuranceFund": "1000.5",
       "population": {"csv": "book.csv"},
       "pricePath": {"klines": "bars.csv"},
       "liquidity": {"depth": "1000000", "halfSpread": 0.0001, "halfLife": 60,
                     "thinning": 0.5, "lpCapital": "1000000", "makerCapital": "1000000000"},
       "policies": ["bitmex", "pro-rata"]}
      """;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void readsJsonWithExactAmountsAndFilesRelativeToTheScenario() throws IOException {
    Scenario s = ScenarioReader.read(write("s.json", JSON));
    assertThat(s.insuranceFund()).isEqualTo(Decimal.parse("1000.5"));
    assertThat(s.population().csv()).isEqualTo(dir.resolve("book.csv").toString());
    assertThat(s.pricePath().klines()).isEqualTo(dir.resolve("bars.csv").toString());
    assertThat(s.policies()).containsExactly("bitmex", "pro-rata");
  }

  @Test
  void readsYamlToo() throws IOException {
    String yaml =
        """
        name: tiny
        seed: 3
        market: {name: BTC-PERP, preset: bitmex}
        insuranceFund: 1000.5
        population: {csv: book.csv}
        pricePath: {klines: bars.csv}
        liquidity: {depth: "1000000", halfSpread: 0.0001, halfLife: 60, thinning: 0.5,
                    lpCapital: "1000000", makerCapital: "1000000000"}
        """;
    Scenario s = ScenarioReader.read(write("s.yaml", yaml));
    assertThat(s.insuranceFund()).isEqualTo(Decimal.parse("1000.5"));
    assertThat(s.policies()).isEmpty();
  }

  @Test
  void refusesWhatItWouldHaveToGuessAtNamingTheField() throws IOException {
    assertThatThrownBy(
            () ->
                ScenarioReader.read(
                    write("a.json", JSON.replace("\"seed\"", "\"colour\": 1, \"seed\""))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> ScenarioReader.read(write("h.json", JSON.replace("\"seed\": 3,", ""))))
        .hasMessageContaining("field seed");
    assertThatThrownBy(
            () -> ScenarioReader.read(write("b.json", JSON.replace("\"1000.5\"", "\"1e3\""))))
        .hasMessageContaining("insuranceFund");
    assertThatThrownBy(
            () ->
                ScenarioReader.read(
                    write("c.json", JSON.replace("\"bitmex\", \"pro", "\"omni\", \"pro"))))
        .hasMessageContaining("policies[0]")
        .hasMessageContaining("settlement pools");
    assertThatThrownBy(
            () ->
                ScenarioReader.read(
                    write(
                        "d.json", JSON.replace("\"preset\": \"bitmex\"", "\"preset\": \"nope\""))))
        .hasMessageContaining("market.preset");
    assertThatThrownBy(
            () ->
                ScenarioReader.read(
                    write("e.json", JSON.replace("\"thinning\": 0.5", "\"thinning\": 1.5"))))
        .hasMessageContaining("liquidity.thinning");
    assertThatThrownBy(
            () ->
                ScenarioReader.read(write("f.json", JSON.replace("{\"csv\": \"book.csv\"}", "{}"))))
        .hasMessageContaining("population");
    assertThatThrownBy(() -> ScenarioReader.read(write("g.json", "{\"name\": ")))
        .isInstanceOf(ScenarioException.class);
    assertThatThrownBy(() -> ScenarioReader.read(dir.resolve("missing.json")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void theBuiltInsLoadAndAnUnknownNameListsThem() {
    for (String name : Scenarios.names()) {
      assertThat(Scenarios.load(name).name()).isEqualTo(name);
    }
    // 10,000 while deleveraging ranks every winner each round (docs/scenarios.md).
    assertThat(Scenarios.load(Scenarios.DEFAULT).population().synthetic().accounts())
        .isEqualTo(10_000);
    assertThatThrownBy(() -> Scenarios.load("crash-1987"))
        .hasMessageContaining("crash-2025-10-10, crash-2020-03-12, calm-day");
  }

  private String calmDay() throws IOException {
    try (var in =
        Scenarios.class.getResourceAsStream("/dev/backstop/sim/scenarios/calm-day.yaml")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aCountWithAFractionIsRefusedNamingTheField() throws IOException {
    String yaml = calmDay();
    assertThat(yaml).contains("accounts: 20000");
    assertThat(ScenarioReader.read(write("ok.yaml", yaml)).population().synthetic().accounts())
        .isEqualTo(20000);
    assertThatThrownBy(
            () ->
                ScenarioReader.read(
                    write("f.yaml", yaml.replace("accounts: 20000", "accounts: 200.5"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("field population.synthetic.accounts");
    assertThatThrownBy(
            () -> ScenarioReader.read(write("s.yaml", yaml.replace("seed: 1", "seed: 1.5"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("field seed");
    assertThatThrownBy(
            () ->
                ScenarioReader.read(write("g.json", JSON.replace("\"seed\": 3", "\"seed\": 3.0"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("field seed");
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingIt() throws IOException {
    String yaml = calmDay();
    assertThatThrownBy(
            () -> ScenarioReader.read(write("d.yaml", yaml.replace("seed: 1", "seed: 1\nseed: 2"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("Duplicate field 'seed'");
    assertThatThrownBy(
            () ->
                ScenarioReader.read(
                    write(
                        "n.yaml",
                        yaml.replace("accounts: 20000", "accounts: 20000\n    accounts: 30"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("Duplicate field 'accounts'");
    assertThatThrownBy(
            () ->
                ScenarioReader.read(
                    write("d.json", JSON.replace("\"seed\": 3,", "\"seed\": 3, \"seed\": 4,"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("Duplicate field 'seed'");
  }
}
