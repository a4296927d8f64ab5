package dev.backstop.sim.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields, RFC 4180 style, and refuses anything it would have to guess at.
 *
 * <p>A hand-written splitter rather than Jackson's CSV module: Backstop's CSV inputs (per-wave
 * metrics, candidate books) are flat tables of numbers, and what matters is that every error names
 * the line and column at fault and that ragged rows are refused rather than padded, which is
 * simpler to guarantee here than to configure there. The one splitter serves every reader. Quoted
 * fields ({@code "a,b"}, with {@code ""} for a quote) are accepted; a field never spans lines.
 */
public final class StrictCsv {

  private StrictCsv() {}

  /** What {@link Double#parseDouble} accepts minus hex, NaN, Infinity, suffixes and blanks. */
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  /**
   * Whether a field is a plain decimal number (an exponent allowed), the one number syntax every
   * CSV reader of the simulator accepts: no hex, NaN, Infinity, type suffixes or blanks.
   */
  public static boolean isNumber(String text) {
    return NUMBER.matcher(text).matches();
  }

  /**
   * Returns the fields of {@code line}.
   *
   * @param where the source and line number, for the error message
   * @throws IllegalArgumentException on an unterminated quote, a stray quote or text after a
   *     closing quote, naming {@code where} and the field
   */
  public static List<String> split(String line, String where) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        i = readQuoted(line, i + 1, field, where);
        if (i < line.length() && line.charAt(i) != ',') {
          throw new IllegalArgumentException(
              where + ": text after the closing quote of field " + (fields.size() + 1));
        }
      } else {
        while (i < line.length() && line.charAt(i) != ',') {
          char c = line.charAt(i++);
          if (c == '"') {
            throw new IllegalArgumentException(
                where + ": stray quote inside unquoted field " + (fields.size() + 1));
          }
          field.append(c);
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= line.length()) {
        return fields;
      }
      i++; // the comma
    }
  }

  /** Reads a quoted field starting after its opening quote; returns the index after the close. */
  private static int readQuoted(String line, int start, StringBuilder field, String where) {
    int i = start;
    while (i < line.length()) {
      char c = line.charAt(i++);
      if (c != '"') {
        field.append(c);
      } else if (i < line.length() && line.charAt(i) == '"') {
        field.append('"');
        i++;
      } else {
        return i;
      }
    }
    throw new IllegalArgumentException(where + ": unterminated quote");
  }
}
