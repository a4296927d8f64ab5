package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;

/**
 * The ranking scores of production ADL queues (see {@code MECHANISMS.md}), at rate scale; higher is
 * deleveraged first. With {@code P} the PnL, {@code E} the equity, {@code N} the notional at the
 * mark and {@code N0} the notional at entry:
 *
 * <ul>
 *   <li>{@link #BITMEX}: {@code PnL% = P / N0}, {@code EffLev = N / E}; {@code PnL% * EffLev} when
 *       {@code PnL% > 0}, else {@code PnL% / EffLev};
 *   <li>{@link #BINANCE}: the same shape with {@code PnL% = P / N};
 *   <li>{@link #HYPERLIQUID}: {@code (N / E) * (max(P, 0) / N0)} (reverse-engineered form);
 *   <li>{@link #ETHEREAL}: effective leverage, with a tie-break chain ({@link #compare});
 *   <li>{@link #TRADOOR}: {@code profitRate * leverage} for winners, {@code profitRate / leverage}
 *       for losers, reading {@code profitRate = P / M} and {@code leverage = N / M} with the margin
 *       {@code M = E - P} (the venue does not publish more).
 * </ul>
 *
 * <p>Ratios are rounded down at rate scale and saturate instead of overflowing; a ratio over a
 * non-positive equity or margin is unbounded (it takes the sign of its numerator), so a winner
 * without equity ranks first.
 */
public enum QueueScore {
  /** BitMEX. */
  BITMEX,
  /** Binance futures. */
  BINANCE,
  /** Hyperliquid. */
  HYPERLIQUID,
  /** Tradoor. */
  TRADOOR,
  /**
   * Ethereal: a strict tie-break chain instead of one formula: effective leverage {@code N / E}
   * first, then unrealized PnL, then the lowest balance {@code E - P}, then the newest account (the
   * highest id). Its {@link #score} is the effective leverage.
   */
  ETHEREAL;

  /**
   * The score of candidate {@code i}: the supplied score when the book has scores, else this
   * formula, which needs positions.
   *
   * @throws IllegalArgumentException if the book has neither scores nor positions
   */
  public long score(CandidateBook book, int i) {
    if (book.hasScores()) {
      return book.score(i);
    }
    if (!book.hasPositions()) {
      throw new IllegalArgumentException(
          "the " + name().toLowerCase() + " score needs positions or supplied scores");
    }
    long pnl = book.pnl(i);
    return switch (this) {
      case BITMEX ->
          shaped(ratio(pnl, book.entryNotional(i)), ratio(book.notional(i), book.equity(i)));
      case BINANCE -> shaped(ratio(pnl, book.notional(i)), ratio(book.notional(i), book.equity(i)));
      case HYPERLIQUID ->
          times(
              ratio(book.notional(i), book.equity(i)),
              ratio(Math.max(pnl, 0), book.entryNotional(i)));
      case ETHEREAL -> ratio(book.notional(i), book.equity(i));
      case TRADOOR -> {
        long margin = book.equity(i) - pnl;
        yield shaped(ratio(pnl, margin), ratio(book.notional(i), margin));
      }
    };
  }

  /**
   * Orders two candidates with their scores: negative if {@code a} is deleveraged before {@code b}.
   * Higher score first; ties by ascending id, except for {@link #ETHEREAL}, whose chain continues
   * with higher PnL, lower balance, newer account.
   */
  public int compare(CandidateBook book, int a, long scoreA, int b, long scoreB) {
    int c = Long.compare(scoreB, scoreA);
    if (c != 0) {
      return c;
    }
    if (this == ETHEREAL && !book.hasScores()) {
      c = Long.compare(book.pnl(b), book.pnl(a));
      if (c == 0) {
        c = Long.compare(book.equity(a) - book.pnl(a), book.equity(b) - book.pnl(b));
      }
      if (c == 0) {
        c = Long.compare(book.id(b), book.id(a));
      }
      return c;
    }
    return Long.compare(book.id(a), book.id(b));
  }

  /** {@code pct * lev} when {@code pct > 0}, else {@code pct / lev}. */
  private static long shaped(long pct, long lev) {
    if (pct > 0) {
      return times(pct, lev);
    }
    if (pct == 0 || lev == Long.MAX_VALUE) {
      return 0;
    }
    return lev <= 0 ? Long.MIN_VALUE : Products.saturatingMulDiv(pct, Fixed.RATE_ONE, lev);
  }

  private static long times(long a, long b) {
    return Products.saturatingMulDiv(a, b, Fixed.RATE_ONE);
  }

  /** {@code a / b} at rate scale; over a non-positive {@code b} it is unbounded. */
  private static long ratio(long a, long b) {
    if (b <= 0) {
      return a > 0 ? Long.MAX_VALUE : a < 0 ? Long.MIN_VALUE : 0;
    }
    return Products.saturatingMulDiv(a, Fixed.RATE_ONE, b);
  }
}
