package dev.backstop.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.adl.allocation.CandidateBook;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/**
 * A per-user file in the layout of {@code adl_by_user.csv} becomes a capacity-form candidate book
 * of its winners; malformed files are refused with the line and column at fault.
 */
class RealPopulationTest {

  static final String HEADER =
      "user,adl_notional,closed_pnl,leverage_realtime,pnl_percent,account_value_realtime,"
          + "is_negative_equity,num_adl_events\n";

  /**
   * Twelve winners and one loser; capacity 40 + 30 + 10 * 3 = 100 dollars. Leverages 6, 4 and 1,
   * PnL% 50, 50 and 10, so Hyperliquid's scores are 3, 2 and 0.1.
   */
  static final String TWELVE_WINNERS =
      HEADER
          + "big,80,40,6,50,100,False,1\n"
          + "second,60,30,4,50,200,False,2\n"
          + "s01,30,3,1,10,300,False,1\n"
          + "s02,30,3,1,10,300,False,1\n"
          + "s03,30,3,1,10,300,False,1\n"
          + "s04,30,3,1,10,300,False,1\n"
          + "s05,30,3,1,10,300,False,1\n"
          + "loser,100,-5,3,-5,10,False,1\n"
          + "s06,30,3,1,10,300,False,1\n"
          + "s07,30,3,1,10,300,False,1\n"
          + "s08,30,3,1,10,300,False,1\n"
          + "s09,30,3,1,10,300,False,1\n"
          + "s10,30,3,1,10,300,False,1\n";

  static RealPopulation parse(String csv) throws IOException {
    return RealPopulation.parse(new StringReader(csv), "users.csv");
  }

  @Test
  void keepsTheWinnersWithTheirCapacityEquityLeverageAndScore() throws IOException {
    RealPopulation population = parse(TWELVE_WINNERS);
    assertThat(population.source()).isEqualTo("users.csv");
    assertThat(population.accounts()).isEqualTo(13);
    assertThat(population.winners()).isEqualTo(12);
    assertThat(population.unboundedlyLevered()).isZero();
    assertThat(population.capacity()).isEqualTo(100_000_000L);
    CandidateBook book = population.book();
    // ids are row numbers: the loser (row 8) is left out, so s06 is row 9
    assertThat(book.id(0)).isEqualTo(1);
    assertThat(book.id(7)).isEqualTo(9);
    assertThat(book.capacity(0)).isEqualTo(40_000_000L);
    assertThat(book.equity(1)).isEqualTo(200_000_000L);
    assertThat(book.leverage(0)).isEqualTo(600_000_000L);
    assertThat(book.hasPositions()).isFalse();
    assertThat(book.hasScores()).isTrue();
    assertThat(book.score(0)).isEqualTo(300_000_000L);
    assertThat(book.score(1)).isEqualTo(200_000_000L);
    assertThat(book.score(2)).isEqualTo(10_000_000L);
  }

  @Test
  void aWinnerWithoutEquityIsTheMostLeveredAndRanksFirst() throws IOException {
    RealPopulation population =
        parse(
            HEADER
                + "levered,10,5,7,50,100,False,1\n"
                + "broke,10,5,0.0,10,-0.5,True,1\n"
                + "flat,10,5,2,-10,-8.881784197001252e-16,False,1\n");
    CandidateBook book = population.book();
    assertThat(population.unboundedlyLevered()).isEqualTo(2);
    // the largest leverage of the others stands in for an unbounded one
    assertThat(book.leverage(1)).isEqualTo(700_000_000L);
    assertThat(book.leverage(2)).isEqualTo(700_000_000L);
    assertThat(book.equity(1)).isZero();
    assertThat(book.equity(2)).isZero();
    assertThat(book.score(0)).isEqualTo(350_000_000L);
    assertThat(book.score(1)).isEqualTo(Long.MAX_VALUE);
    // no positive PnL%, no score, however levered
    assertThat(book.score(2)).isZero();
  }

  @Test
  void convertsToFixedPointRoundingAsDocumented() throws IOException {
    RealPopulation population =
        parse(
            HEADER
                + "a,1,0.0000019,7.363847812729442e-08,33.333333333,1.9999999,False,1\n"
                + "b,1,2300.34,1e-999999999,0,5,False,1\n"
                + "c,1,0.0000009,1,1,1,False,1\n"
                + "d,1,1e-999999999,1,1,1,False,1\n");
    CandidateBook book = population.book();
    // money rounded down to the micro-dollar: c and d have no capacity
    assertThat(population.winners()).isEqualTo(2);
    assertThat(book.capacity(0)).isEqualTo(1);
    assertThat(book.equity(0)).isEqualTo(1_999_999L);
    assertThat(book.capacity(1)).isEqualTo(2_300_340_000L);
    // leverage rounded up at rate scale, so a tiny positive leverage stays positive
    assertThat(book.leverage(0)).isEqualTo(8);
    assertThat(book.leverage(1)).isEqualTo(1);
    // 8 * 0.33333333 = 2.66666664 units, rounded down
    assertThat(book.score(0)).isEqualTo(2);
  }

  @Test
  void readsColumnsByNameInAnyOrderAndIgnoresOthers() throws IOException {
    RealPopulation population =
        parse(
            "\uFEFFpnl_percent,account_value_realtime,note,leverage_realtime,user,closed_pnl\r\n"
                + "50,100,\"x, y\",6,big,40\r\n");
    assertThat(population.winners()).isEqualTo(1);
    assertThat(population.book().capacity(0)).isEqualTo(40_000_000L);
    assertThat(population.book().score(0)).isEqualTo(300_000_000L);
  }

  @Test
  void aMissingColumnIsNamed() {
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("leverage_realtime", "leverage")))
        .isInstanceOf(PopulationFileException.class)
        .hasMessage(
            "users.csv line 1: missing required column 'leverage_realtime' (required: user,"
                + " closed_pnl, leverage_realtime, pnl_percent, account_value_realtime; found:"
                + " user, adl_notional, closed_pnl, leverage, pnl_percent, account_value_realtime,"
                + " is_negative_equity, num_adl_events)");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace(",closed_pnl,", ",pnl,")))
        .hasMessage(
            "users.csv line 1: missing required column 'closed_pnl' (required: user,"
                + " closed_pnl, leverage_realtime, pnl_percent, account_value_realtime; found:"
                + " user, adl_notional, pnl, leverage_realtime, pnl_percent,"
                + " account_value_realtime, is_negative_equity, num_adl_events)");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace(",pnl_percent,", ",user,")))
        .hasMessage("users.csv line 1: column 'user' appears twice");
  }

  @Test
  void aNanOrMalformedNumberIsNamedByLineAndColumn() {
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("second,60,30,", "second,60,NaN,")))
        .isInstanceOf(PopulationFileException.class)
        .hasMessage("users.csv line 3, column 'closed_pnl': 'NaN' is not a decimal number");
    for (String bad : new String[] {"Infinity", "-Infinity", "", " 30", "3O", "0x1E", "30d"}) {
      assertThatThrownBy(
              () -> parse(TWELVE_WINNERS.replace("second,60,30,", "second,60," + bad + ",")))
          .as(bad)
          .isInstanceOf(PopulationFileException.class)
          .hasMessageStartingWith("users.csv line 3, column 'closed_pnl': ");
    }
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("s10,30,3,1,10,300", "s10,30,3,1,10,")))
        .hasMessage(
            "users.csv line 14, column 'account_value_realtime': '' is not a decimal number");
    // a loser's numbers are checked too
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("loser,100,-5,3,-5", "loser,100,-5,3,N")))
        .hasMessage("users.csv line 9, column 'pnl_percent': 'N' is not a decimal number");
  }

  @Test
  void aNumberOutOfRangeOrANegativeLeverageIsRefused() {
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("big,80,40,", "big,80,1e13,")))
        .hasMessage("users.csv line 2, column 'closed_pnl': '1e13' is out of range");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("big,80,40,", "big,80,1e999999999,")))
        .hasMessage("users.csv line 2, column 'closed_pnl': '1e999999999' is out of range");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("big,80,40,", "big,80,1e2147483647,")))
        .hasMessage("users.csv line 2, column 'closed_pnl': '1e2147483647' is out of range");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("big,80,40,", "big,80,1e2147483648,")))
        .hasMessage("users.csv line 2, column 'closed_pnl': '1e2147483648' is out of range");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("big,80,40,6,", "big,80,40,-6,")))
        .hasMessage("users.csv line 2, column 'leverage_realtime': '-6' is negative");
  }

  @Test
  void raggedRowsRepeatedUsersAndEmptyFilesAreRefused() {
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("big,80,40,6,50,100,False,1", "big,80")))
        .isInstanceOf(PopulationFileException.class)
        .hasMessage("users.csv line 2: 2 fields, the header has 8");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS + "\n"))
        .hasMessage("users.csv line 15: 1 fields, the header has 8");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("s02,", "s01,")))
        .hasMessage("users.csv line 5, column 'user': 's01' appears twice");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("s02,", ",")))
        .hasMessage("users.csv line 5, column 'user': empty");
    assertThatThrownBy(() -> parse(TWELVE_WINNERS.replace("s02,", "\"s02,")))
        .hasMessage("users.csv line 5: unterminated quote");
    assertThatThrownBy(() -> parse("")).hasMessage("users.csv: empty file, expected a header line");
    assertThatThrownBy(() -> parse(HEADER)).hasMessage("users.csv: no users after the header");
  }
}
