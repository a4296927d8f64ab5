package dev.backstop.sim.replay;

import dev.backstop.core.adl.allocation.CandidateBook;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.csv.CsvReader;
import dev.backstop.sim.csv.StrictCsv;
import dev.backstop.sim.num.Units;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The winners of a real deleveraging event as a {@link CandidateBook} in capacity form, read from a
 * per-user file in the layout of {@code adl_by_user.csv} ({@code
 * ConejoCapital/HyperMultiAssetedADL}; the users deleveraged on Hyperliquid on 2025-10-10): one row
 * per user, columns found by header name. The columns {@value #USER}, {@value #CLOSED_PNL}, {@value
 * #LEVERAGE}, {@value #PNL_PERCENT} and {@value #ACCOUNT_VALUE} are required; others ({@code
 * adl_notional}, {@code is_negative_equity}, {@code num_adl_events}) are ignored, but every row
 * must have as many fields as the header. Users must not repeat. Numbers are plain decimals (an
 * exponent is allowed), never {@code NaN}, {@code Infinity} or blank.
 *
 * <p>Each row becomes a candidate, its id the row's number in the file (1 = the first row after the
 * header), so every tie is broken by file order:
 *
 * <ul>
 *   <li>capacity {@code u_i = max(closed_pnl, 0)}, the profit that can be seized (Chitra,
 *       "Autodeleveraging: Impossibilities and Optimization", arXiv 2512.01112). Only winners, the
 *       rows with {@code u_i > 0}, enter the book: an account without capacity can give nothing
 *       under any policy, and the concentration measures are taken over winners;
 *   <li>equity {@code max(account_value_realtime, 0)}: a winner whose account value is not positive
 *       is kept with equity 0;
 *   <li>leverage {@code leverage_realtime} (at least 0). A winner whose account value is not
 *       positive, or whose leverage is recorded as 0 (the file records 0 where the account value is
 *       negative), is unboundedly levered; it is given the largest leverage of the other winners (1
 *       if there is none), so that risk-aware pro rata can weigh it, as the most levered;
 *   <li>a supplied queue score, Hyperliquid's {@code leverage * max(PnL%, 0)} ({@code
 *       QueueScore.HYPERLIQUID}: effective leverage times positive PnL over entry notional) with
 *       {@code PnL% = pnl_percent / 100}; it saturates at {@code Long.MAX_VALUE}, which is also the
 *       score of an unboundedly levered winner with a positive PnL%, so such a winner ranks first,
 *       as in the engine.
 * </ul>
 *
 * <p>Conversions to fixed point, each from the decimal text exactly: money to micro-dollars ({@link
 * Fixed#MONEY_DECIMALS}) rounded down, so no capacity exceeds the recorded profit (at most one
 * micro-dollar per account is lost); leverage to rate scale ({@link Fixed#RATE_DECIMALS}) rounded
 * up, so a positive leverage stays positive and is never understated; PnL% and the score to rate
 * scale rounded down. A value out of a {@code long}'s range at its scale is refused.
 */
public final class RealPopulation {

  /** The file's name in the shared 2025-10-10 folder. */
  public static final String FILE_NAME = "adl_by_user.csv";

  static final String USER = "user";
  static final String CLOSED_PNL = "closed_pnl";
  static final String LEVERAGE = "leverage_realtime";
  static final String PNL_PERCENT = "pnl_percent";
  static final String ACCOUNT_VALUE = "account_value_realtime";

  private static final List<String> REQUIRED =
      List.of(USER, CLOSED_PNL, LEVERAGE, PNL_PERCENT, ACCOUNT_VALUE);

  private final String source;
  private final int accounts;
  private final int unboundedlyLevered;
  private final long capacity;
  private final CandidateBook book;

  private RealPopulation(
      String source, int accounts, int unboundedlyLevered, long capacity, CandidateBook book) {
    this.source = source;
    this.accounts = accounts;
    this.unboundedlyLevered = unboundedlyLevered;
    this.capacity = capacity;
    this.book = book;
  }

  /** Reads a UTF-8 per-user file. */
  public static RealPopulation read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    }
  }

  /**
   * Parses a per-user file.
   *
   * @param source the name used in error messages
   * @throws PopulationFileException naming the line and column at fault
   */
  public static RealPopulation parse(Reader reader, String source) throws IOException {
    CsvReader<PopulationFileException> csv =
        CsvReader.of(reader, source, PopulationFileException::new);
    csv.readHeader();
    csv.require(REQUIRED);

    Set<String> users = new HashSet<>();
    List<Winner> winners = new ArrayList<>();
    long highestLeverage = 0;
    int accounts = 0;
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      accounts++;
      String where = row.where();
      String user = row.get(csv.column(USER));
      if (user.isEmpty()) {
        throw new PopulationFileException(where + ", column '" + USER + "': empty");
      }
      if (!users.add(user)) {
        throw new PopulationFileException(
            where + ", column '" + USER + "': '" + user + "' appears twice");
      }
      long pnl = field(csv, row, CLOSED_PNL).units(Fixed.MONEY_DECIMALS, RoundingMode.FLOOR);
      long equity = field(csv, row, ACCOUNT_VALUE).units(Fixed.MONEY_DECIMALS, RoundingMode.FLOOR);
      Text leverageText = field(csv, row, LEVERAGE);
      BigDecimal leverageValue = leverageText.number();
      if (leverageValue.signum() < 0) {
        throw leverageText.error("is negative");
      }
      long leverage = leverageText.units(leverageValue, Fixed.RATE_DECIMALS, RoundingMode.CEILING);
      Text percent = field(csv, row, PNL_PERCENT);
      long pnlShare =
          percent.units(
              percent.number().movePointLeft(2).max(BigDecimal.ZERO),
              Fixed.RATE_DECIMALS,
              RoundingMode.FLOOR);
      if (pnl <= 0) {
        continue;
      }
      boolean unbounded = equity <= 0 || leverage == 0;
      if (!unbounded) {
        highestLeverage = Math.max(highestLeverage, leverage);
      }
      winners.add(
          new Winner(accounts, pnl, Math.max(equity, 0), unbounded ? 0 : leverage, pnlShare));
    }
    if (accounts == 0) {
      throw new PopulationFileException(source + ": no users after the header");
    }

    long standIn = highestLeverage > 0 ? highestLeverage : Fixed.RATE_ONE;
    CandidateBook.Builder book = CandidateBook.builder(winners.size());
    long total = 0;
    int unboundedlyLevered = 0;
    for (Winner w : winners) {
      total = Math.addExact(total, w.capacity());
      book.add(w.id(), w.capacity(), w.equity());
      if (w.leverage() == 0) {
        unboundedlyLevered++;
        book.leverage(standIn).score(w.pnlShare() > 0 ? Long.MAX_VALUE : 0);
      } else {
        book.leverage(w.leverage()).score(hyperliquidScore(w.leverage(), w.pnlShare()));
      }
    }
    return new RealPopulation(source, accounts, unboundedlyLevered, total, book.build());
  }

  /** {@code leverage * pnlShare} at rate scale, rounded down, saturating. */
  private static long hyperliquidScore(long leverage, long pnlShare) {
    try {
      return Fixed.mulDiv(leverage, pnlShare, Fixed.RATE_ONE, RoundingMode.FLOOR);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The name the file was read from. */
  public String source() {
    return source;
  }

  /** Rows read: every user in the file, winner or not. */
  public int accounts() {
    return accounts;
  }

  /** Accounts with positive capacity, the candidates of {@link #book()}. */
  public int winners() {
    return book.count();
  }

  /**
   * Winners whose account value is not positive or whose leverage is recorded as 0: unboundedly
   * levered, given the largest leverage of the others and the highest queue score.
   */
  public int unboundedlyLevered() {
    return unboundedlyLevered;
  }

  /** Total capacity {@code U = sum_i u_i}, micro-dollars. */
  public long capacity() {
    return capacity;
  }

  /** The winners as a candidate book in capacity form, with leverages and supplied scores. */
  public CandidateBook book() {
    return book;
  }

  /**
   * A winner as read: capacity and equity in micro-dollars, leverage (0 = unbounded) and positive
   * PnL share at rate scale.
   */
  private record Winner(long id, long capacity, long equity, long leverage, long pnlShare) {}

  private static Text field(CsvReader<?> csv, CsvReader.Row row, String column) {
    return new Text(row.get(csv.column(column)), row.where(), column);
  }

  /** One field's text with where it was read, for its conversions and their errors. */
  private record Text(String text, String where, String column) {

    BigDecimal number() throws PopulationFileException {
      if (!StrictCsv.isNumber(text)) {
        throw error("is not a decimal number");
      }
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw error("is out of range");
      }
    }

    long units(int decimals, RoundingMode rounding) throws PopulationFileException {
      return units(number(), decimals, rounding);
    }

    /** {@code value} in units of {@code 10^-decimals}, rounded as stated ({@link Units#round}). */
    long units(BigDecimal value, int decimals, RoundingMode rounding)
        throws PopulationFileException {
      try {
        return Units.round(value, decimals, rounding);
      } catch (ArithmeticException e) {
        throw error("is out of range");
      }
    }

    PopulationFileException error(String what) {
      return new PopulationFileException(
          where + ", column '" + column + "': '" + text + "' " + what);
    }
  }
}
