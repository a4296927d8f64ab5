package dev.backstop.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PopulationTest {

  @TempDir Path dir;

  private final MarketConfig bitmex = MarketPresets.get("bitmex", "f");

  @Test
  void readsACsvPopulationInTheMarketsUnits() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("p.csv"),
            "account,side,size,entry_price,collateral\nalice,long,0.5,100000,5000\n"
                + "bob,short,0.25,101000.5,2500.25\n");
    Population p = Population.csv(file, bitmex);
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.name(1)).isEqualTo("bob");
    assertThat(p.lots(1)).isNegative();
    assertThat(p.deposit(1)).isEqualTo(2_500_250_000L);
  }

  @Test
  void refusesABadRowNamingLineAndColumn() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("p.csv"),
            "account,side,size,entry_price,collateral\nalice,long,0.5,100000,5000\n"
                + "bob,flat,0.25,101000,2500\n");
    assertThatThrownBy(() -> Population.csv(file, bitmex))
        .hasMessageContaining("line 3")
        .hasMessageContaining("column side");
    Path negative =
        Files.writeString(
            dir.resolve("n.csv"),
            "account,side,size,entry_price,collateral\nalice,long,-1,100000,5000\n"
                + "bob,short,1,101000,2500\n");
    assertThatThrownBy(() -> Population.csv(negative, bitmex))
        .hasMessageContaining("line 2")
        .hasMessageContaining("column size");
  }

  @Test
  void readsAByteOrderMarkAndBlankLinesAndRefusesARepeatedOrMissingColumn() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("p.csv"),
            "\uFEFFaccount,side,size,entry_price,collateral\r\n\r\nalice,long,0.5,100000,5000\r\n"
                + "  \r\nbob,short,0.25,101000.5,2500.25\r\n");
    assertThat(Population.csv(file, bitmex).name(0)).isEqualTo("alice");
    Path repeated =
        Files.writeString(
            dir.resolve("r.csv"), "account,side,size,entry_price,collateral,side\nalice\n");
    assertThatThrownBy(() -> Population.csv(repeated, bitmex))
        .isInstanceOf(ScenarioException.class)
        .hasMessage(repeated + " line 1: column 'side' appears twice");
    Path missing = Files.writeString(dir.resolve("m.csv"), "size,account,entry,side\nalice\n");
    assertThatThrownBy(() -> Population.csv(missing, bitmex))
        .isInstanceOf(ScenarioException.class)
        .hasMessage(
            missing
                + " line 1: missing required columns 'entry_price', 'collateral' (required:"
                + " account, side, size, entry_price, collateral; found: size, account, entry,"
                + " side)");
  }

  @Test
  void theSyntheticPopulationIsSeededAndOpensWithinInitialMargin() {
    Scenario s = Scenarios.load(Scenarios.DEFAULT).withAccounts(5_000);
    MarketConfig hl = MarketPresets.get("hyperliquid", "f");
    long start = 1_210_000; // 121,000.0 in ticks of 0.1
    Population a = Population.synthetic(s.population().synthetic(), hl, start, 1);
    Population b = Population.synthetic(s.population().synthetic(), hl, start, 1);
    long longs = 0;
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.lots(i)).isEqualTo(b.lots(i));
      assertThat(a.deposit(i)).isPositive();
      longs += a.lots(i) > 0 ? 1 : 0;
    }
    assertThat((double) longs / a.size()).isBetween(0.62, 0.68); // longShare 0.65
  }
}
