package dev.backstop.sim.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a CSV input line by line, the one reader of every CSV input of the simulator and the CLI.
 * Lines are split by {@link StrictCsv}; a UTF-8 byte-order mark at the start of the first line is
 * dropped; lines are numbered as they stand in the file (1 = the first), blank ones included.
 *
 * <p>With {@link #readHeader()} the first line (the first non-blank one when {@linkplain
 * #skippingBlankLines() blank lines are skipped}) names the columns: a repeated name is refused,
 * columns are then found by name, and every later row must have as many fields as the header.
 * Without it (a file whose header is optional) the caller checks the widths.
 *
 * <p>Every problem is reported as the caller's exception, made by the function given to {@link
 * #of}, with a message naming the source, the line and, where there is one, the column: {@code
 * waves.csv line 3, column 'budget_prod': ...}. Lists of columns in messages are in a stable order:
 * the caller's for expected columns, the file's for the columns found.
 *
 * @param <E> the caller's exception for a malformed file
 */
public final class CsvReader<E extends Exception> {

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private final BufferedReader lines;
  private final String source;
  private final Function<String, E> error;
  private boolean skipBlankLines;
  private boolean foldNames;
  private int lineNumber;
  private int headerLine;
  private List<String> header;
  private final Map<String, Integer> index = new HashMap<>();

  private CsvReader(Reader reader, String source, Function<String, E> error) {
    this.lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    this.source = source;
    this.error = error;
  }

  /**
   * A reader of {@code reader}, which the caller closes.
   *
   * @param source the name used in error messages, usually the file's path
   * @param error makes the caller's exception from a message
   */
  public static <E extends Exception> CsvReader<E> of(
      Reader reader, String source, Function<String, E> error) {
    return new CsvReader<>(reader, source, error);
  }

  /** Skips blank lines (empty or white space only) wherever they are, before the header too. */
  public CsvReader<E> skippingBlankLines() {
    skipBlankLines = true;
    return this;
  }

  /** Trims column names and puts them in lower case ({@link Locale#ROOT}) before anything else. */
  public CsvReader<E> foldingColumnNames() {
    foldNames = true;
    return this;
  }

  /** The name used in error messages. */
  public String source() {
    return source;
  }

  /**
   * The next row, or null at the end of the input. After {@link #readHeader()} a row must have as
   * many fields as the header; a blank line that is not skipped is a row of one empty field.
   */
  public Row next() throws IOException, E {
    String line = nextLine();
    if (line == null) {
      return null;
    }
    String where = where(lineNumber);
    List<String> fields = split(line, where);
    if (header != null && fields.size() != header.size()) {
      throw error.apply(where + ": " + fields.size() + " fields, the header has " + header.size());
    }
    return new Row(Collections.unmodifiableList(fields), lineNumber, where);
  }

  /**
   * Reads the header line and returns the column names in the file's order.
   *
   * @throws E if the input is empty or a column name appears twice
   */
  public List<String> readHeader() throws IOException, E {
    if (header != null) {
      throw new IllegalStateException("the header has been read");
    }
    String line = nextLine();
    if (line == null) {
      throw error.apply(source + ": empty file, expected a header line");
    }
    headerLine = lineNumber;
    List<String> names = new ArrayList<>();
    for (String name : split(line, where(headerLine))) {
      String column = foldNames ? name.trim().toLowerCase(Locale.ROOT) : name;
      if (index.putIfAbsent(column, names.size()) != null) {
        throw error.apply(where(headerLine) + ": column '" + column + "' appears twice");
      }
      names.add(column);
    }
    header = List.copyOf(names);
    return header;
  }

  /** The column names in the file's order. */
  public List<String> columns() {
    return requireHeader();
  }

  /** Whether the header has a column of that name. */
  public boolean has(String column) {
    requireHeader();
    return index.containsKey(column);
  }

  /** The 0-based position of a column, which must be present. */
  public int column(String name) {
    requireHeader();
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no column '" + name + "' in " + source);
    }
    return i;
  }

  /**
   * Refuses a header that lacks any of {@code required}, naming the missing columns, the required
   * ones in the given order and the columns found in the file's order.
   */
  public void require(List<String> required) throws E {
    requireHeader();
    List<String> missing = new ArrayList<>();
    for (String column : required) {
      if (!index.containsKey(column)) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      throw error.apply(
          where(headerLine)
              + ": missing required column"
              + (missing.size() == 1 ? " " : "s ")
              + quoted(missing)
              + " (required: "
              + String.join(", ", required)
              + "; found: "
              + String.join(", ", header)
              + ")");
    }
  }

  /**
   * Refuses a header with a column not in {@code known}, naming the first such column, the known
   * ones in the given order and the columns found in the file's order.
   */
  public void refuseOthers(List<String> known) throws E {
    for (String column : requireHeader()) {
      if (!known.contains(column)) {
        throw error.apply(
            where(headerLine)
                + ": unknown column '"
                + column
                + "' (expected some of: "
                + String.join(", ", known)
                + "; found: "
                + String.join(", ", header)
                + ")");
      }
    }
  }

  /** {@code source line n}, the start of every message about line {@code n}. */
  private String where(int line) {
    return source + " line " + line;
  }

  private String nextLine() throws IOException {
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNumber++;
      if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
        line = line.substring(1);
      }
      if (!(skipBlankLines && line.isBlank())) {
        return line;
      }
    }
    return null;
  }

  private List<String> split(String line, String where) throws E {
    try {
      return StrictCsv.split(line, where);
    } catch (IllegalArgumentException e) {
      throw error.apply(e.getMessage());
    }
  }

  private List<String> requireHeader() {
    if (header == null) {
      throw new IllegalStateException("no header read from " + source);
    }
    return header;
  }

  private static String quoted(Collection<String> columns) {
    List<String> quoted = new ArrayList<>();
    for (String column : columns) {
      quoted.add("'" + column + "'");
    }
    return String.join(", ", quoted);
  }

  /**
   * One row as read.
   *
   * @param fields the fields, as many as the header's columns once a header was read
   * @param line the row's line number in the file, from 1
   * @param where {@code source line n}, for messages
   */
  public record Row(List<String> fields, int line, String where) {

    /** The field at 0-based position {@code column}. */
    public String get(int column) {
      return fields.get(column);
    }

    /** The number of fields. */
    public int size() {
      return fields.size();
    }
  }
}
