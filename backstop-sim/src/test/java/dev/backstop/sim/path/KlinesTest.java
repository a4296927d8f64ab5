package dev.backstop.sim.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exchange klines become four points a bar; malformed files are refused by line and column. */
class KlinesTest {

  /** Binance's header for 1-minute klines. */
  static final String HEADER =
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
          + "taker_buy_quote_volume,ignore\n";

  /**
   * Three bars from 2025-10-10 21:15 UTC in Binance's twelve columns: a down bar, an up bar, then,
   * after a two-minute gap, a bar closing where it opened.
   */
  static final String BARS =
      """
      1760130900000,121000.00,121200.00,119500.00,119800.00,523.10,1760130959999,62800000.5,48210,\
      250.2,30000000.1,0
      1760130960000,119800.00,120500.00,119000.00,120400.00,410.00,1760131019999,49100000.0,39001,\
      220.0,26400000.0,0
      1760131140000,120400.00,120600.00,120100.00,120400.00,99.50,1760131199999,11980000.0,9012,\
      50.0,6020000.0,0
      """;

  static final long[] TIMES = {
    0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000, 105_000, 240_000, 255_000, 270_000, 285_000
  };

  static final double[] PRICES = {
    121000, 121200, 119500, 119800, // down: open, high, low, close
    119800, 119000, 120500, 120400, // up: open, low, high, close
    120400, 120100, 120600, 120400 // unchanged: open, low, high, close
  };

  @TempDir Path dir;

  Path write(String content) throws IOException {
    Path file = dir.resolve("klines.csv");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  PricePath read(String content) throws IOException {
    return Klines.read(write(content));
  }

  @Test
  void eachBarGivesOpenExtremesAndCloseInThePlausibleOrder() throws IOException {
    PricePath path = read(BARS);
    assertThat(path.times()).containsExactly(TIMES);
    assertThat(path.prices()).containsExactly(PRICES);
    assertThat(path.description()).isEqualTo(dir.resolve("klines.csv").toString());
  }

  @Test
  void aHeaderIsOptional() throws IOException {
    PricePath path = read(HEADER + BARS);
    assertThat(path.times()).containsExactly(TIMES);
    assertThat(path.prices()).containsExactly(PRICES);
  }

  @Test
  void sixColumnsAreEnoughAndExtraColumnsAreNotRead() throws IOException {
    String six =
        """
        open_time,open,high,low,close,volume
        1760130900000,121000,121200,119500,119800,523.1
        1760130960000,119800,120500,119000,120400,410
        1760131140000,120400,120600,120100,120400,99.5
        """;
    assertThat(read(six).prices()).containsExactly(PRICES);
    assertThat(read(BARS.replace(",0\n", ",not read\n")).prices()).containsExactly(PRICES);
  }

  @Test
  void microsecondOpenTimesAreConvertedRowByRow() throws IOException {
    String micro = BARS.replace("1760130900000,", "1760130900000000,");
    assertThat(read(micro).times()).containsExactly(TIMES);
    String allMicro = micro.replace("1760130960000,", "1760130960000000,");
    allMicro = allMicro.replace("1760131140000,", "1760131140000000,");
    assertThat(read(allMicro).times()).containsExactly(TIMES);
    assertThat(read(allMicro).prices()).containsExactly(PRICES);
  }

  @Test
  void acceptsCrlfLineEndingsAndAByteOrderMark() throws IOException {
    PricePath path = read("\uFEFF" + (HEADER + BARS).replace("\n", "\r\n"));
    assertThat(path.times()).containsExactly(TIMES);
    assertThat(read("\uFEFF" + BARS).prices()).containsExactly(PRICES);
  }

  @Test
  void oneBarIsAPath() throws IOException {
    PricePath path = read("1000,10,12,9,11,1\n");
    assertThat(path.times()).containsExactly(0, 15_000, 30_000, 45_000);
    assertThat(path.prices()).containsExactly(10, 9, 12, 11);
  }

  @Test
  void aBarWhoseRangeDoesNotHoldItsOpenAndCloseIsRefused() throws IOException {
    Path file = write(BARS.replace("119800.00,120500.00,", "119800.00,119700.00,"));
    assertThatThrownBy(() -> Klines.read(file))
        .isInstanceOf(KlinesException.class)
        .hasMessage(file + " line 2, column 3 (high): 119700.0 is below the open 119800.0");
    Path belowClose = write(BARS.replace("119800.00,120500.00,", "119800.00,120000.00,"));
    assertThatThrownBy(() -> Klines.read(belowClose))
        .hasMessage(file + " line 2, column 3 (high): 120000.0 is below the close 120400.0");
    Path aboveClose = write(BARS.replace(",119500.00,", ",119900.00,"));
    assertThatThrownBy(() -> Klines.read(aboveClose))
        .hasMessage(file + " line 1, column 4 (low): 119900.0 is above the close 119800.0");
    Path aboveOpen = write(HEADER + BARS.replace(",120100.00,", ",120500.00,"));
    assertThatThrownBy(() -> Klines.read(aboveOpen))
        .hasMessage(file + " line 4, column 4 (low): 120500.0 is above the open 120400.0");
  }

  @Test
  void barsMustFollowEachOtherByAtLeastAMinute() throws IOException {
    Path outOfOrder = write(BARS.replace("1760131140000,", "1760130840000,"));
    assertThatThrownBy(() -> Klines.read(outOfOrder))
        .isInstanceOf(KlinesException.class)
        .hasMessage(
            outOfOrder
                + " line 3, column 1 (open_time): open time 1760130840000 ms is less than a minute"
                + " after the previous bar's 1760130960000");
    Path repeated = write(HEADER + BARS.replace("1760131140000,", "1760130960000,"));
    assertThatThrownBy(() -> Klines.read(repeated))
        .hasMessageStartingWith(repeated + " line 4, column 1 (open_time): open time");
    Path tooClose = write(BARS.replace("1760130960000,", "1760130930000,"));
    assertThatThrownBy(() -> Klines.read(tooClose))
        .hasMessageStartingWith(tooClose + " line 2, column 1 (open_time): open time");
  }

  @Test
  void aFieldThatIsNotAPositiveNumberIsNamedByLineAndColumn() throws IOException {
    Path file = dir.resolve("klines.csv");
    for (String bad : new String[] {"NaN", "Infinity", "", " 120400", "1.2.3", "0x10", "1e9999"}) {
      write(BARS.replace(",120400.00,410.00,", "," + bad + ",410.00,"));
      assertThatThrownBy(() -> Klines.read(file))
          .as(bad)
          .isInstanceOf(KlinesException.class)
          .hasMessageStartingWith(file + " line 2, column 5 (close): '" + bad + "' ");
    }
    write(BARS.replace(",121000.00,", ",0,"));
    assertThatThrownBy(() -> Klines.read(file))
        .hasMessage(file + " line 1, column 2 (open): '0' is not positive");
    write(BARS.replace(",99.50,", ",-1,"));
    assertThatThrownBy(() -> Klines.read(file))
        .hasMessage(file + " line 3, column 6 (volume): '-1' is negative");
    write(BARS.replace(",99.50,", ",lots,"));
    assertThatThrownBy(() -> Klines.read(file))
        .hasMessage(file + " line 3, column 6 (volume): 'lots' is not a decimal number");
  }

  @Test
  void anOpenTimeMustBeAWholeEpochInMillisecondsOrMicroseconds() throws IOException {
    Path file = dir.resolve("klines.csv");
    for (String bad : new String[] {"1.76013096e12", "-1760130960000", "99999999999999999999"}) {
      write(BARS.replace("1760130960000,", bad + ","));
      assertThatThrownBy(() -> Klines.read(file))
          .as(bad)
          .hasMessage(
              file
                  + " line 2, column 1 (open_time): '"
                  + bad
                  + "' is not a whole epoch time in milliseconds or microseconds");
    }
    write(BARS.replace("1760130960000,", "1760130960000500,"));
    assertThatThrownBy(() -> Klines.read(file))
        .hasMessage(
            file
                + " line 2, column 1 (open_time): 1760130960000500 microseconds is not a whole number of"
                + " milliseconds");
  }

  @Test
  void aRaggedRowOrTooFewColumnsIsRefused() throws IOException {
    Path file = write(BARS.replace(",50.0,6020000.0,0", ",50.0,6020000.0"));
    assertThatThrownBy(() -> Klines.read(file))
        .isInstanceOf(KlinesException.class)
        .hasMessage(file + " line 3: 11 fields, the first line has 12");
    write(HEADER + BARS + "\n");
    assertThatThrownBy(() -> Klines.read(file))
        .hasMessage(file + " line 5: 1 fields, the first line has 12");
    write("1760130900000,121000,121200,119500,119800\n");
    assertThatThrownBy(() -> Klines.read(file))
        .hasMessage(file + " line 1: 5 fields, a kline has at least 6");
    write(BARS.replace("1760130960000,", "\"1760130960000,"));
    assertThatThrownBy(() -> Klines.read(file))
        .isInstanceOf(KlinesException.class)
        .hasMessage(file + " line 2: unterminated quote");
  }

  @Test
  void aFileWithoutBarsIsRefused() throws IOException {
    Path empty = write("");
    assertThatThrownBy(() -> Klines.read(empty))
        .isInstanceOf(KlinesException.class)
        .hasMessage(empty + ": no bars");
    Path headerOnly = write(HEADER);
    assertThatThrownBy(() -> Klines.read(headerOnly)).hasMessage(headerOnly + ": no bars");
  }
}
