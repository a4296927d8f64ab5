package dev.backstop.sim.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header handling every CSV reader shares: BOM, repeated columns, names, blank lines. */
class CsvReaderTest {

  /** The exception a reader of the project makes from a message. */
  static final class BadFile extends Exception {
    private static final long serialVersionUID = 1L;

    BadFile(String message) {
      super(message);
    }
  }

  private static CsvReader<BadFile> reader(String text) {
    return CsvReader.of(new StringReader(text), "t.csv", BadFile::new);
  }

  private static List<CsvReader.Row> rows(CsvReader<BadFile> csv) throws IOException, BadFile {
    List<CsvReader.Row> rows = new ArrayList<>();
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      rows.add(row);
    }
    return rows;
  }

  @Test
  void findsColumnsByNameAndDropsAByteOrderMark() throws IOException, BadFile {
    CsvReader<BadFile> csv = reader("\uFEFFb,a,\"c,d\"\r\n2,1,3\r\n");
    assertThat(csv.readHeader()).containsExactly("b", "a", "c,d");
    assertThat(csv.has("a")).isTrue();
    assertThat(csv.has("\uFEFFb")).isFalse();
    assertThat(csv.column("b")).isZero();
    assertThat(csv.column("c,d")).isEqualTo(2);
    List<CsvReader.Row> rows = rows(csv);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get(csv.column("a"))).isEqualTo("1");
    assertThat(rows.get(0).line()).isEqualTo(2);
    assertThat(rows.get(0).where()).isEqualTo("t.csv line 2");
  }

  @Test
  void aByteOrderMarkIsDroppedOnlyAtTheStartOfTheFile() throws IOException, BadFile {
    CsvReader<BadFile> csv = reader("a\n\uFEFFx\n");
    csv.readHeader();
    assertThat(rows(csv).get(0).get(0)).isEqualTo("\uFEFFx");
  }

  @Test
  void aRepeatedColumnIsRefused() throws IOException, BadFile {
    assertThatThrownBy(() -> reader("a,b,a\n1,2,3\n").readHeader())
        .isInstanceOf(BadFile.class)
        .hasMessage("t.csv line 1: column 'a' appears twice");
    // folded names repeat when they differ only in case or blanks
    assertThatThrownBy(() -> reader("Account, account\n").foldingColumnNames().readHeader())
        .hasMessage("t.csv line 1: column 'account' appears twice");
    assertThat(reader("Account, PnL \n").foldingColumnNames().readHeader())
        .containsExactly("account", "pnl");
  }

  @Test
  void aMissingColumnIsNamedWithTheRequiredAndFoundColumnsInAStableOrder()
      throws IOException, BadFile {
    // a BOM that was not dropped would turn 'zeta' into an unknown name; names whose hash order
    // differs from both the file's and the documented order
    String header = "\uFEFFzeta,mu,alpha,omega,beta\n";
    List<String> required = List.of("omega", "gamma", "alpha", "delta", "zeta");
    String expected =
        "t.csv line 1: missing required columns 'gamma', 'delta' (required: omega, gamma, alpha,"
            + " delta, zeta; found: zeta, mu, alpha, omega, beta)";
    for (int run = 0; run < 20; run++) {
      CsvReader<BadFile> csv = reader(header);
      csv.readHeader();
      assertThatThrownBy(() -> csv.require(required))
          .isInstanceOf(BadFile.class)
          .hasMessage(expected);
    }
    CsvReader<BadFile> one = reader(header);
    one.readHeader();
    assertThatThrownBy(() -> one.require(List.of("zeta", "gamma")))
        .hasMessage(
            "t.csv line 1: missing required column 'gamma' (required: zeta, gamma; found: zeta, mu,"
                + " alpha, omega, beta)");
    one.require(List.of("beta", "zeta"));
  }

  @Test
  void anUnknownColumnIsNamedWithTheKnownAndFoundColumnsInAStableOrder()
      throws IOException, BadFile {
    CsvReader<BadFile> csv = reader("\uFEFFaccount,pnl,equty,score\n").foldingColumnNames();
    csv.readHeader();
    assertThatThrownBy(() -> csv.refuseOthers(List.of("account", "pnl", "equity", "score")))
        .isInstanceOf(BadFile.class)
        .hasMessage(
            "t.csv line 1: unknown column 'equty' (expected some of: account, pnl, equity, score;"
                + " found: account, pnl, equty, score)");
    csv.refuseOthers(List.of("score", "equty", "pnl", "account", "other"));
  }

  @Test
  void blankLinesAreSkippedWhenAskedAndKeepTheirLineNumbers() throws IOException, BadFile {
    CsvReader<BadFile> csv = reader("\n  \na,b\n1,2\n\n\t\n3,4\n").skippingBlankLines();
    csv.readHeader();
    List<CsvReader.Row> rows = rows(csv);
    assertThat(rows).extracting(CsvReader.Row::line).containsExactly(4, 7);
    assertThat(rows.get(1).fields()).containsExactly("3", "4");
    // a file of blank lines has no header
    assertThatThrownBy(() -> reader("\n \n").skippingBlankLines().readHeader())
        .hasMessage("t.csv: empty file, expected a header line");
  }

  @Test
  void otherwiseABlankLineIsARaggedRow() throws IOException, BadFile {
    CsvReader<BadFile> csv = reader("a,b\n1,2\n\n");
    csv.readHeader();
    assertThat(csv.next().fields()).containsExactly("1", "2");
    assertThatThrownBy(csv::next)
        .isInstanceOf(BadFile.class)
        .hasMessage("t.csv line 3: 1 fields, the header has 2");
    // without a header the caller checks the widths
    CsvReader<BadFile> headerless = reader("1,2\n\n");
    assertThat(rows(headerless)).extracting(CsvReader.Row::size).containsExactly(2, 1);
  }

  @Test
  void anEmptyInputAndAMalformedLineAreTheCallersException() throws IOException, BadFile {
    assertThatThrownBy(() -> reader("").readHeader())
        .isInstanceOf(BadFile.class)
        .hasMessage("t.csv: empty file, expected a header line");
    CsvReader<BadFile> csv = reader("a,b\n1,\"2\n");
    csv.readHeader();
    assertThatThrownBy(csv::next)
        .isInstanceOf(BadFile.class)
        .hasMessage("t.csv line 2: unterminated quote");
    assertThatThrownBy(() -> reader("a,b\"\n").readHeader())
        .hasMessage("t.csv line 1: stray quote inside unquoted field 2");
  }
}
