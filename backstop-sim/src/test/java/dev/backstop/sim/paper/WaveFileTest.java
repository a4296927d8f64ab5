package dev.backstop.sim.paper;

import static dev.backstop.sim.paper.OnlineLearningMetricsTest.THREE_WAVES;
import static dev.backstop.sim.paper.OnlineLearningMetricsTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Malformed per-wave files are refused with the line and column at fault. */
class WaveFileTest {

  @Test
  void readsTheHandMadeFileColumnByName() throws IOException {
    WaveFile waves = parse(THREE_WAVES);
    assertThat(waves.budgetNeeded(0)).isEqualTo(100);
    assertThat(waves.deficit(2)).isEqualTo(1200);
    assertThat(waves.budget("prod", 1)).isEqualTo(20);
    assertThat(waves.largestBurden("fixed_point_ilp_integer", 0)).isEqualTo(0.125);
    assertThat(waves.source()).isEqualTo("waves.csv");
    assertThatThrownBy(() -> waves.budget("target", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target");
  }

  @Test
  void acceptsCrlfLineEndingsAndAByteOrderMark() throws IOException {
    WaveFile waves = parse("\uFEFF" + THREE_WAVES.replace("\n", "\r\n"));
    assertThat(waves.waveCount()).isEqualTo(3);
    assertThat(waves.deficit(2)).isEqualTo(1200);
  }

  @Test
  void aMissingRequiredColumnIsNamed() {
    assertThatThrownBy(() -> parse(THREE_WAVES.replace(",deficit_usd", ",deficit")))
        .isInstanceOf(WaveFileException.class)
        .hasMessage(
            "waves.csv line 1: missing required column 'deficit_usd' (required: budget_needed,"
                + " deficit_usd, budget_prod, max_pct_prod, budget_fixed_point_ilp_integer,"
                + " max_pct_fixed_point_ilp_integer; found: wave, t_start, budget_needed,"
                + " budget_prod, budget_pr, budget_fixed_point_ilp_integer, budget_target,"
                + " overshoot_prod, max_pct_prod, max_pct_pr, max_pct_fixed_point_ilp_integer,"
                + " deficit)");
    // without its burden column the benchmark is not a policy at all
    String noBurden =
        THREE_WAVES.replace(
            "max_pct_fixed_point_ilp_integer", "max_burden_fixed_point_ilp_integer");
    assertThatThrownBy(() -> parse(noBurden))
        .isInstanceOf(WaveFileException.class)
        .hasMessage(missing("max_pct_fixed_point_ilp_integer", noBurden));
    String noBudget = THREE_WAVES.replace("budget_needed", "budget_required");
    assertThatThrownBy(() -> parse(noBudget)).hasMessage(missing("budget_needed", noBudget));
  }

  /** The message for one missing column: the required ones in order, then the file's header. */
  private static String missing(String column, String file) {
    String header = file.substring(0, file.indexOf('\n'));
    return "waves.csv line 1: missing required column '"
        + column
        + "' (required: budget_needed, deficit_usd, budget_prod, max_pct_prod,"
        + " budget_fixed_point_ilp_integer, max_pct_fixed_point_ilp_integer; found: "
        + header.replace(",", ", ")
        + ")";
  }

  @Test
  void aMalformedNumberIsNamedByLineAndColumn() {
    assertThatThrownBy(() -> parse(THREE_WAVES.replace("50,20,50", "50,2O,50")))
        .isInstanceOf(WaveFileException.class)
        .hasMessage("waves.csv line 3, column 'budget_prod': '2O' is not a decimal number");
    for (String bad : new String[] {"NaN", "Infinity", "1.0d", "0x10", "", " 20", "1.2.3"}) {
      assertThatThrownBy(() -> parse(THREE_WAVES.replace("50,20,50", "50," + bad + ",50")))
          .as(bad)
          .isInstanceOf(WaveFileException.class)
          .hasMessageContaining("line 3, column 'budget_prod'");
    }
    assertThatThrownBy(() -> parse(THREE_WAVES.replace("50,20,50", "50,-20,50")))
        .hasMessage("waves.csv line 3, column 'budget_prod': '-20' is negative");
    assertThatThrownBy(() -> parse(THREE_WAVES.replace("50,20,50", "50,1e999,50")))
        .hasMessage("waves.csv line 3, column 'budget_prod': '1e999' overflows");
  }

  @Test
  void anExponentIsAPlainDecimal() throws IOException {
    assertThat(parse(THREE_WAVES.replace("50,20,50", "50,2e1,50")).budget("prod", 1)).isEqualTo(20);
  }

  @Test
  void aRaggedRowIsRefused() {
    assertThatThrownBy(() -> parse(THREE_WAVES.replace(",0.25,0.5,0.5,1200", ",0.25,0.5,0.5")))
        .isInstanceOf(WaveFileException.class)
        .hasMessage("waves.csv line 4: 11 fields, the header has 12");
    assertThatThrownBy(() -> parse(THREE_WAVES + "\n"))
        .hasMessage("waves.csv line 5: 1 fields, the header has 12");
    assertThatThrownBy(() -> parse(THREE_WAVES.replace(",1200", ",1200,7")))
        .hasMessage("waves.csv line 4: 13 fields, the header has 12");
  }

  @Test
  void quotesMustBeBalanced() {
    assertThatThrownBy(() -> parse(THREE_WAVES.replace("\"21:17:14, UTC\"", "\"21:17:14, UTC")))
        .isInstanceOf(WaveFileException.class)
        .hasMessage("waves.csv line 4: unterminated quote");
    assertThatThrownBy(() -> parse(THREE_WAVES.replace("\"21:17:14, UTC\"", "\"21:17\"14")))
        .hasMessage("waves.csv line 4: text after the closing quote of field 2");
    assertThatThrownBy(() -> parse(THREE_WAVES.replace("\"21:17:14, UTC\"", "21:17\"14")))
        .hasMessage("waves.csv line 4: stray quote inside unquoted field 2");
  }

  @Test
  void aQuotedFieldMayHoldAnEscapedQuote() throws IOException {
    WaveFile waves = parse(THREE_WAVES.replace("\"21:17:14, UTC\"", "\"21:17:14 \"\"UTC\"\"\""));
    assertThat(waves.waveCount()).isEqualTo(3);
  }

  @Test
  void anEmptyFileAHeaderAloneAndADuplicateColumnAreRefused() {
    assertThatThrownBy(() -> parse(""))
        .isInstanceOf(WaveFileException.class)
        .hasMessage("waves.csv: empty file, expected a header line");
    assertThatThrownBy(() -> parse(THREE_WAVES.substring(0, THREE_WAVES.indexOf('\n') + 1)))
        .hasMessage("waves.csv: no waves after the header");
    assertThatThrownBy(() -> parse(THREE_WAVES.replace("overshoot_prod", "budget_prod")))
        .hasMessage("waves.csv line 1: column 'budget_prod' appears twice");
  }
}
