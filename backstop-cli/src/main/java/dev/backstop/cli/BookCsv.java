package dev.backstop.cli;

import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.csv.CsvReader;
import dev.backstop.sim.csv.StrictCsv;
import dev.backstop.sim.num.Units;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the candidate book of {@code backstop allocate} (see {@code CLI.md}): CSV with a header (a
 * UTF-8 byte-order mark is dropped), either in capacity form {@code
 * account,pnl,equity[,leverage][,score]} or in position form {@code
 * account,side,size,entry_price,mark_price,collateral[,score]}. Candidates get ids 1, 2, ... in
 * file order, so ties are broken by the order of the file.
 *
 * <p>Numbers are decimals as data files write them: any number of decimals, an exponent allowed
 * ({@code 1.77e-05}); no hex, NaN, Infinity or blanks. Each is converted to the engine's fixed
 * point once, rounded as follows (docs/allocation.md):
 *
 * <ul>
 *   <li>money ({@code pnl}, {@code equity}, {@code collateral}) down to the micro-unit, so no
 *       capacity exceeds the profit written;
 *   <li>{@code leverage} up at rate scale, so a positive leverage stays positive and none is
 *       understated. A leverage of 0, which the 2025-10-10 per-user file writes where the account
 *       value is negative, is an unboundedly levered winner: it gets the largest leverage of the
 *       others (1 if none), as the real-population replay does, and is counted in {@link
 *       Book#unboundedlyLevered()};
 *   <li>{@code score} down at rate scale.
 * </ul>
 *
 * <p>In position form sizes are counted in lots: one lot is {@code --lot} contracts, or by default
 * {@code 10^-d} with {@code d} the most decimals written in any size (or in {@code --size}); every
 * size must be a whole number of lots. The PnL is {@code (mark - entry) * size} for a long and the
 * opposite for a short, computed exactly from the decimals and rounded down to the micro-unit; the
 * equity is collateral + PnL. Prices per lot ({@code price * lot}, used for notional, leverage and
 * the queue scores) are rounded to the nearest micro-unit, half to even, and the mark must stay
 * positive.
 */
final class BookCsv {

  /** The columns of the capacity form, in the documented order; the last two are optional. */
  private static final List<String> CAPACITY_COLUMNS =
      List.of("account", "pnl", "equity", "leverage", "score");

  /** The columns of the position form, in the documented order; the score is optional. */
  private static final List<String> POSITION_COLUMNS =
      List.of("account", "side", "size", "entry_price", "mark_price", "collateral", "score");

  private static final Set<String> OPTIONAL = Set.of("leverage", "score");

  /**
   * The parsed book.
   *
   * @param candidates the candidates
   * @param accounts the account names in file order
   * @param lot contracts per lot in position form, null in capacity form
   * @param unboundedlyLevered candidates whose leverage was written as 0
   */
  record Book(
      CandidateBook candidates, List<String> accounts, BigDecimal lot, int unboundedlyLevered) {

    /** {@code lots} as contracts, plain decimal text ({@code 3 lots of 0.1 -> "0.3"}). */
    String contracts(long lots) {
      return plain(lot.multiply(BigDecimal.valueOf(lots)));
    }

    /**
     * {@code size} contracts in whole lots.
     *
     * @throws IllegalArgumentException if it is not a whole number of lots, naming {@code where}
     */
    long lots(BigDecimal size, String where) {
      return BookCsv.lots(size, lot, where);
    }
  }

  private final CsvReader<IllegalArgumentException> csv;
  private final List<CsvReader.Row> rows = new ArrayList<>();

  private BookCsv(CsvReader<IllegalArgumentException> csv) {
    this.csv = csv;
  }

  /**
   * Reads {@code path}.
   *
   * @param lot contracts per lot (positive), or null to infer it from the sizes
   * @param requestedSize the size asked for, whose decimals the inferred lot must also hold, or
   *     null
   * @param price the closing price that replaces every mark, or null
   * @throws IllegalArgumentException naming the line and field at fault
   * @throws IOException if the file cannot be read
   */
  static Book read(Path path, BigDecimal lot, BigDecimal requestedSize, BigDecimal price)
      throws IOException {
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      BookCsv book =
          new BookCsv(
              CsvReader.of(in, path.toString(), IllegalArgumentException::new)
                  .skippingBlankLines()
                  .foldingColumnNames());
      book.readRows();
      if (!book.has("side")) {
        if (price != null) {
          throw new IllegalArgumentException("--price needs a book in position form");
        }
        if (lot != null) {
          throw new IllegalArgumentException("--lot needs a book in position form");
        }
        return book.capacities();
      }
      return book.positions(lot, requestedSize, price);
    }
  }

  /**
   * A number as a data file writes it: a plain decimal, an exponent allowed.
   *
   * @throws IllegalArgumentException naming {@code where}
   */
  static BigDecimal number(String text, String where) {
    String trimmed = text.trim();
    if (!StrictCsv.isNumber(trimmed)) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not a decimal number");
    }
    try {
      return new BigDecimal(trimmed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is out of range", e);
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

  private Book capacities() {
    int n = rows.size();
    long[] leverage = new long[n];
    long highest = 0;
    for (int r = 0; r < n && has("leverage"); r++) {
      BigDecimal value = decimal(r, "leverage");
      if (value.signum() < 0) {
        throw error(r, "leverage", "must not be negative");
      }
      leverage[r] = units(r, "leverage", value, Fixed.RATE_DECIMALS, RoundingMode.CEILING);
      highest = Math.max(highest, leverage[r]);
    }
    long standIn = highest > 0 ? highest : Fixed.RATE_ONE;
    int unbounded = 0;
    CandidateBook.Builder b = CandidateBook.builder(n);
    List<String> accounts = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      accounts.add(account(r));
      b.add(r + 1, money(r, "pnl"), money(r, "equity"));
      if (has("leverage")) {
        if (leverage[r] == 0) {
          unbounded++;
        }
        b.leverage(leverage[r] == 0 ? standIn : leverage[r]);
      }
      if (has("score")) {
        b.score(units(r, "score", decimal(r, "score"), Fixed.RATE_DECIMALS, RoundingMode.FLOOR));
      }
    }
    return new Book(b.build(), accounts, null, unbounded);
  }

  private Book positions(BigDecimal givenLot, BigDecimal requestedSize, BigDecimal price) {
    BigDecimal lot = givenLot;
    if (lot == null) {
      int decimals = requestedSize == null ? 0 : Math.max(0, requestedSize.scale());
      for (int r = 0; r < rows.size(); r++) {
        decimals = Math.max(decimals, decimal(r, "size").scale());
      }
      lot = BigDecimal.ONE.movePointLeft(decimals);
    } else if (lot.signum() <= 0) {
      throw new IllegalArgumentException("--lot: must be positive, not " + plain(lot));
    }
    long closingPrice = price == null ? 0 : lotPrice("--price", price, lot);
    CandidateBook.Builder b = CandidateBook.builder(rows.size());
    List<String> accounts = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      accounts.add(account(r));
      String side = field(r, "side").trim().toLowerCase(Locale.ROOT);
      int sign =
          switch (side) {
            case "long", "buy" -> 1;
            case "short", "sell" -> -1;
            default -> throw error(r, "side", "expected long or short, not '" + side + "'");
          };
      BigDecimal size = decimal(r, "size");
      if (size.signum() <= 0) {
        throw error(r, "size", "must be positive");
      }
      long lots = lots(size, lot, where(r, "size"));
      BigDecimal entryPrice = decimal(r, "entry_price");
      BigDecimal markPrice = price == null ? decimal(r, "mark_price") : price;
      long entry = lotPrice(where(r, "entry_price"), entryPrice, lot);
      long mark = price == null ? lotPrice(where(r, "mark_price"), markPrice, lot) : closingPrice;
      BigDecimal exactPnl = markPrice.subtract(entryPrice).multiply(size);
      long pnl =
          units(
              r,
              "size",
              sign > 0 ? exactPnl : exactPnl.negate(),
              Fixed.MONEY_DECIMALS,
              RoundingMode.FLOOR);
      long collateral = money(r, "collateral");
      try {
        b.addPosition(r + 1, pnl, Math.addExact(collateral, pnl), lots, mark, entry);
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw error(r, "size", "position value out of range");
      }
      if (has("score")) {
        b.score(units(r, "score", decimal(r, "score"), Fixed.RATE_DECIMALS, RoundingMode.FLOOR));
      }
    }
    return new Book(b.build(), accounts, lot, 0);
  }

  /** {@code size / lot}, which must be a whole number that fits in a {@code long}. */
  private static long lots(BigDecimal size, BigDecimal lot, String where) {
    BigDecimal[] qr = size.divideAndRemainder(lot);
    if (qr[1].signum() != 0) {
      throw new IllegalArgumentException(
          where + ": " + plain(size) + " is not a whole number of lots of " + plain(lot));
    }
    try {
      return qr[0].longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(where + ": " + plain(size) + " lots out of range", e);
    }
  }

  /** {@code price * lot} in money units, to the nearest (half to even); the price is positive. */
  private static long lotPrice(String where, BigDecimal price, BigDecimal lot) {
    if (price.signum() <= 0) {
      throw new IllegalArgumentException(where + ": must be positive");
    }
    long units;
    try {
      units = Units.round(price.multiply(lot), Fixed.MONEY_DECIMALS, RoundingMode.HALF_EVEN);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(where + ": '" + plain(price) + "' is out of range", e);
    }
    if (units == 0) {
      throw new IllegalArgumentException(
          where
              + ": "
              + plain(price)
              + " a lot of "
              + plain(lot)
              + " rounds to 0 money units; use a larger --lot");
    }
    return units;
  }

  private String account(int r) {
    String account = field(r, "account").trim();
    if (account.isEmpty()) {
      throw error(r, "account", "empty");
    }
    return account;
  }

  private String field(int r, String name) {
    return rows.get(r).get(csv.column(name));
  }

  private BigDecimal decimal(int r, String name) {
    return number(field(r, name), where(r, name));
  }

  /** A money field in micro-units, rounded down. */
  private long money(int r, String name) {
    return units(r, name, decimal(r, name), Fixed.MONEY_DECIMALS, RoundingMode.FLOOR);
  }

  private long units(int r, String name, BigDecimal value, int decimals, RoundingMode rounding) {
    try {
      return Units.round(value, decimals, rounding);
    } catch (ArithmeticException e) {
      throw error(r, name, "'" + plain(value) + "' is out of range");
    }
  }

  private String where(int r, String field) {
    return csv.source() + " line " + rows.get(r).line() + ", field '" + field + "'";
  }

  private IllegalArgumentException error(int r, String field, String message) {
    return new IllegalArgumentException(where(r, field) + ": " + message);
  }

  /** Plain decimal text without trailing zeros: {@code 0.30 -> "0.3"}, {@code 1E+1 -> "10"}. */
  static String plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
  }
}
