package dev.backstop.cli;

import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.csv.CsvReader;
import dev.backstop.sim.num.Units;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the candidate book of {@code backstop allocate} (see {@code CLI.md}): CSV with a header,
 * either in capacity form {@code account,pnl,equity[,leverage][,score]} or in position form {@code
 * account,side,size,entry_price,mark_price,collateral[,score]}. Every number is a decimal string.
 * Candidates get ids 1, 2, ... in file order, so ties are broken by the order of the file.
 *
 * <p>In position form the size scale is the most decimals of any size (or of the requested size);
 * one lot is 10^-scale contracts, and prices are converted to money units per lot, which must be
 * exact (size decimals + price decimals at most {@link Fixed#MONEY_DECIMALS}). The PnL is {@code
 * (mark - entry) * size} for a long and the opposite for a short; the equity is collateral + PnL.
 */
final class BookCsv {

  /** The columns of the capacity form, in the documented order; the last two are optional. */
  private static final List<String> CAPACITY_COLUMNS =
      List.of("account", "pnl", "equity", "leverage", "score");

  /** The columns of the position form, in the documented order; the score is optional. */
  private static final List<String> POSITION_COLUMNS =
      List.of("account", "side", "size", "entry_price", "mark_price", "collateral", "score");

  private static final Set<String> OPTIONAL = Set.of("leverage", "score");

  /** The parsed book, the account names in file order and the size scale (0 without positions). */
  record Book(CandidateBook candidates, List<String> accounts, int sizeDecimals) {}

  private final CsvReader<IllegalArgumentException> csv;
  private final List<CsvReader.Row> rows = new ArrayList<>();

  private BookCsv(CsvReader<IllegalArgumentException> csv) {
    this.csv = csv;
  }

  /**
   * Reads {@code path}.
   *
   * @param minSizeDecimals the size scale needed by the requested size (0 if none)
   * @param price the closing price that replaces every mark, or null
   * @throws IllegalArgumentException naming the line and field at fault
   * @throws IOException if the file cannot be read
   */
  static Book read(Path path, int minSizeDecimals, Decimal price) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      BookCsv book =
          new BookCsv(
              CsvReader.of(in, path.toString(), IllegalArgumentException::new)
                  .skippingBlankLines()
                  .foldingColumnNames());
      book.readRows();
      return book.has("side") ? book.positions(minSizeDecimals, price) : book.capacities(price);
    }
  }

  private void readRows() throws IOException {
    csv.readHeader();
    List<String> known = csv.has("side") ? POSITION_COLUMNS : CAPACITY_COLUMNS;
    csv.refuseOthers(known);
    csv.require(known.stream().filter(name -> !OPTIONAL.contains(name)).toList());
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(csv.source() + ": no candidates after the header");
    }
  }

  private boolean has(String column) {
    return csv.has(column);
  }

  private Book capacities(Decimal price) {
    if (price != null) {
      throw new IllegalArgumentException("--price needs a book in position form");
    }
    CandidateBook.Builder b = CandidateBook.builder(rows.size());
    List<String> accounts = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      accounts.add(account(r));
      b.add(r + 1, units(r, "pnl", Fixed.MONEY_DECIMALS), units(r, "equity", Fixed.MONEY_DECIMALS));
      if (has("leverage")) {
        long leverage = units(r, "leverage", Fixed.RATE_DECIMALS);
        if (leverage <= 0) {
          throw error(rows.get(r).line(), "leverage", "must be positive");
        }
        b.leverage(leverage);
      }
      if (has("score")) {
        b.score(units(r, "score", Fixed.RATE_DECIMALS));
      }
    }
    return new Book(b.build(), accounts, 0);
  }

  private Book positions(int minSizeDecimals, Decimal price) {
    int sizeDecimals = minSizeDecimals;
    for (int r = 0; r < rows.size(); r++) {
      sizeDecimals = Math.max(sizeDecimals, decimal(r, "size").scale());
    }
    if (sizeDecimals > Fixed.MONEY_DECIMALS) {
      throw new IllegalArgumentException(
          csv.source()
              + ": sizes with more than "
              + Fixed.MONEY_DECIMALS
              + " decimals are not supported");
    }
    int lotPriceDecimals = Fixed.MONEY_DECIMALS - sizeDecimals;
    long closingPrice = price == null ? 0 : lotPrice("--price", price, lotPriceDecimals);
    CandidateBook.Builder b = CandidateBook.builder(rows.size());
    List<String> accounts = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      int line = rows.get(r).line();
      accounts.add(account(r));
      String side = field(r, "side").trim().toLowerCase(Locale.ROOT);
      long sign =
          switch (side) {
            case "long", "buy" -> 1;
            case "short", "sell" -> -1;
            default -> throw error(line, "side", "expected long or short, not '" + side + "'");
          };
      long lots = units(r, "size", sizeDecimals);
      if (lots <= 0) {
        throw error(line, "size", "must be positive");
      }
      long entry = lotPrice(r, "entry_price", lotPriceDecimals);
      long mark = price == null ? lotPrice(r, "mark_price", lotPriceDecimals) : closingPrice;
      long collateral = units(r, "collateral", Fixed.MONEY_DECIMALS);
      try {
        long pnl =
            Math.multiplyExact(sign, Math.multiplyExact(Math.subtractExact(mark, entry), lots));
        b.addPosition(r + 1, pnl, Math.addExact(collateral, pnl), lots, mark, entry);
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw error(line, "size", "position value out of range");
      }
      if (has("score")) {
        b.score(units(r, "score", Fixed.RATE_DECIMALS));
      }
    }
    return new Book(b.build(), accounts, sizeDecimals);
  }

  /** The price in field {@code name} of row {@code r}, in money units per lot. */
  private long lotPrice(int r, String name, int lotPriceDecimals) {
    Decimal value = decimal(r, name);
    try {
      return lotPrice("", value, lotPriceDecimals);
    } catch (IllegalArgumentException e) {
      throw error(rows.get(r).line(), name, e.getMessage());
    }
  }

  /** A price in money units per lot, positive and exact; errors start with {@code where}. */
  private static long lotPrice(String where, Decimal price, int lotPriceDecimals) {
    String prefix = where.isEmpty() ? "" : where + ": ";
    if (price.signum() <= 0) {
      throw new IllegalArgumentException(prefix + "must be positive");
    }
    try {
      return price.toUnits(lotPriceDecimals);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          prefix
              + "'"
              + price
              + "' is not exact in money units per lot (sizes have "
              + (Fixed.MONEY_DECIMALS - lotPriceDecimals)
              + " decimals)",
          e);
    }
  }

  private String account(int r) {
    String account = field(r, "account").trim();
    if (account.isEmpty()) {
      throw error(rows.get(r).line(), "account", "empty");
    }
    return account;
  }

  private String field(int r, String name) {
    return rows.get(r).get(csv.column(name));
  }

  private Decimal decimal(int r, String name) {
    try {
      return Units.parse(field(r, name));
    } catch (IllegalArgumentException e) {
      throw error(rows.get(r).line(), name, e.getMessage());
    }
  }

  private long units(int r, String name, int decimals) {
    Decimal value = decimal(r, name);
    try {
      return value.toUnits(decimals);
    } catch (IllegalArgumentException e) {
      throw error(rows.get(r).line(), name, e.getMessage());
    }
  }

  private IllegalArgumentException error(int line, String field, String message) {
    return new IllegalArgumentException(
        csv.source() + " line " + line + ", field '" + field + "': " + message);
  }
}
