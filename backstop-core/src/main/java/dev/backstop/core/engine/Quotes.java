package dev.backstop.core.engine;

import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.num.Fixed;
import java.util.Comparator;

/** The rules of resting ladders: their order in a market, their validity, the preset curve. */
final class Quotes {

  /** A market's quotes are kept by margin account, bids before asks. */
  static final Comparator<Quote> ORDER =
      Comparator.comparingInt((Quote q) -> q.marginAccount).thenComparing(q -> !q.bid);

  private Quotes() {}

  /** Why a ladder is not valid, or null: offsets in [0, 1) strictly rising, notionals positive. */
  static String problem(long[] offsets, long[] notionals) {
    if (offsets.length == 0 || offsets.length != notionals.length) {
      return "a ladder needs at least one level, each with an offset and a notional";
    }
    if (offsets.length > LiquiditySpec.OrderBook.MAX_LEVELS) {
      return "a ladder has at most " + LiquiditySpec.OrderBook.MAX_LEVELS + " levels a side";
    }
    for (int k = 0; k < offsets.length; k++) {
      if (offsets[k] < 0 || offsets[k] >= Fixed.RATE_ONE) {
        return "level " + k + ": offset must be in [0, 1)";
      }
      if (k > 0 && offsets[k] <= offsets[k - 1]) {
        return "level " + k + ": offsets must rise strictly from the best level";
      }
      if (notionals[k] <= 0) {
        return "level " + k + ": notional must be positive";
      }
    }
    return null;
  }

  /** The offsets of the book's curve: {@code halfSpread + k * step}. */
  static long[] curveOffsets(LiquiditySpec.OrderBook book) {
    long[] offsets = new long[book.levels()];
    for (int k = 0; k < offsets.length; k++) {
      offsets[k] = Math.addExact(book.halfSpreadRate(), Math.multiplyExact(book.stepRate(), k));
    }
    return offsets;
  }

  /** The notionals of the book's curve scaled to {@code depth} within 1%, each at least 1 unit. */
  static long[] curveNotionals(LiquiditySpec.OrderBook book, long depth) {
    long level =
        Math.max(
            1,
            Fixed.mulDiv(
                depth, book.stepRate(), Fixed.RATE_ONE / 100, java.math.RoundingMode.FLOOR));
    long[] notionals = new long[book.levels()];
    java.util.Arrays.fill(notionals, level);
    return notionals;
  }
}
