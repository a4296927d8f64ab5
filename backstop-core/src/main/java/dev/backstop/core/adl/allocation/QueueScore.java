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
    return score(book.pnl(i), book.equity(i), book.notional(i), book.entryNotional(i));
  }

  /**
   * The score of a position from its figures: PnL {@code P}, equity {@code E}, notional at the mark
   * {@code N} and at entry {@code N0}, money units (what {@link #score(CandidateBook, int)} reads
   * from a book's row).
   */
  public long score(long pnl, long equity, long notional, long entryNotional) {
    return combine(gain(pnl, equity, notional, entryNotional), leverage(pnl, equity, notional));
  }

  /**
   * An upper bound of the score of a position of one market whose equity follows that market's mark
   * alone ({@code E = K + size * mark}, {@code K} fixed), over every mark between two marks {@code
   * a <= b} at which it is profitable, from its figures at the two marks (the entry notional does
   * not move), {@code longs} its side.
   *
   * <p>Always valid: each score is a monotone combination of a gain and a leverage that are each
   * monotone in the mark over the interval (the PnL and the notional are linear in it, {@code N /
   * E} is monotone wherever {@code E > 0} and unbounded where not, and {@code E - P} is fixed), and
   * the roundings are floors, so the score of the two ends' greatest gain with their greatest
   * leverage bounds every score between them. Where neither end's gain is positive the bound is 0,
   * above any score with a gain of 0 or less.
   *
   * <p>Tighter where the score itself is monotone over the interval: then the score at the better
   * end, rounded up at every step, bounds it. With the margin {@code M = E - P} (fixed) not
   * negative: {@link #BINANCE}'s {@code P / E} rises with the mark for a long and falls for a short
   * (its derivative has the sign of {@code M}, or of {@code -M}); {@link #BITMEX}'s and {@link
   * #HYPERLIQUID}'s {@code P * N / (N0 * E)} rises for a long (with {@code x = N}: the derivative's
   * numerator {@code x^2 + 2Kx - cost*K} is positive where {@code x > cost}, given {@code K + cost
   * = M >= 0}); for a short the numerator {@code x^2 - 2K'x + |cost|*K'} ({@code K' = E + x}) is
   * convex in {@code x}, so it is not positive over the interval if it is not at its ends, and then
   * the score falls as the mark rises.
   */
  public long bound(
      boolean longs,
      long pnlA,
      long equityA,
      long notionalA,
      long pnlB,
      long equityB,
      long notionalB,
      long entryNotional) {
    long gain =
        Math.max(
            gain(pnlA, equityA, notionalA, entryNotional),
            gain(pnlB, equityB, notionalB, entryNotional));
    long leverage =
        Math.max(leverage(pnlA, equityA, notionalA), leverage(pnlB, equityB, notionalB));
    // a gain of 0 or less scores 0 or less: then 0 bounds it
    long loose = Math.max(0, combine(gain, leverage));
    if (loose <= 0 || !monotone(longs, pnlA, equityA, notionalA, pnlB, equityB, notionalB)) {
      return loose;
    }
    // the better end: the higher mark for a long, the lower for a short
    long pnl = longs ? pnlB : pnlA;
    long equity = longs ? equityB : equityA;
    long notional = longs ? notionalB : notionalA;
    long denominator = this == BINANCE ? notional : entryNotional;
    if (pnl <= 0 || denominator <= 0) {
      return loose;
    }
    long tight = ceilingTimes(ceilingRatio(pnl, denominator), ceilingRatio(notional, equity));
    return Math.min(loose, tight);
  }

  /**
   * Whether this score is monotone between the two ends, rising with the mark for a long and
   * falling for a short (see {@link #bound}); false when not known to be.
   */
  private boolean monotone(
      boolean longs,
      long pnlA,
      long equityA,
      long notionalA,
      long pnlB,
      long equityB,
      long notionalB) {
    if (this == ETHEREAL || this == TRADOOR || equityA <= 0 || equityB <= 0) {
      return false;
    }
    if (equityA < pnlA) {
      // a negative margin E - P
      return false;
    }
    if (this == BINANCE || longs) {
      return true;
    }
    // a short: |cost| = P + N (the same at both ends), K' = E + N
    try {
      long cost = Math.addExact(pnlA, notionalA);
      return !risesAt(notionalA, Math.addExact(equityA, notionalA), cost)
          && !risesAt(notionalB, Math.addExact(equityB, notionalB), cost);
    } catch (ArithmeticException e) {
      return false;
    }
  }

  /** Whether {@code x^2 - 2Kx + cost*K} is positive, exactly (false when out of range). */
  private static boolean risesAt(long x, long k, long cost) {
    java.math.BigInteger bx = java.math.BigInteger.valueOf(x);
    java.math.BigInteger bk = java.math.BigInteger.valueOf(k);
    java.math.BigInteger q =
        bx.multiply(bx)
            .subtract(bx.multiply(bk).shiftLeft(1))
            .add(java.math.BigInteger.valueOf(cost).multiply(bk));
    return q.signum() > 0;
  }

  /** {@code a / b} at rate scale rounded up, {@code a, b > 0}; saturates. */
  private static long ceilingRatio(long a, long b) {
    if (b <= 0) {
      return Long.MAX_VALUE;
    }
    try {
      return Fixed.mulDiv(a, Fixed.RATE_ONE, b, java.math.RoundingMode.CEILING);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {@code a * b / RATE_ONE} rounded up, {@code a, b >= 0}; saturates. */
  private static long ceilingTimes(long a, long b) {
    try {
      return Fixed.mulDiv(a, b, Fixed.RATE_ONE, java.math.RoundingMode.CEILING);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The profit factor of the score (unused by {@link #ETHEREAL}). */
  private long gain(long pnl, long equity, long notional, long entryNotional) {
    return switch (this) {
      case BITMEX -> ratio(pnl, entryNotional);
      case BINANCE -> ratio(pnl, notional);
      case HYPERLIQUID -> ratio(Math.max(pnl, 0), entryNotional);
      case ETHEREAL -> 0;
      case TRADOOR -> ratio(pnl, equity - pnl);
    };
  }

  /** The leverage factor of the score ({@link #TRADOOR}: over the margin {@code E - P}). */
  private long leverage(long pnl, long equity, long notional) {
    return this == TRADOOR ? ratio(notional, equity - pnl) : ratio(notional, equity);
  }

  private long combine(long gain, long leverage) {
    return switch (this) {
      case BITMEX, BINANCE, TRADOOR -> shaped(gain, leverage);
      case HYPERLIQUID -> times(leverage, gain);
      case ETHEREAL -> leverage;
    };
  }

  /**
   * Orders two candidates with their scores: negative if {@code a} is deleveraged before {@code b}.
   * Higher score first; ties by ascending id, except for {@link #ETHEREAL}, whose chain continues
   * with higher PnL, lower balance, newer account.
   */
  public int compare(CandidateBook book, int a, long scoreA, int b, long scoreB) {
    if (book.hasScores()) {
      int c = Long.compare(scoreB, scoreA);
      return c != 0 ? c : Long.compare(book.id(a), book.id(b));
    }
    return compare(
        book.id(a),
        scoreA,
        book.pnl(a),
        book.equity(a),
        book.id(b),
        scoreB,
        book.pnl(b),
        book.equity(b));
  }

  /**
   * Every candidate in the order of {@link #compare(CandidateBook, int, long, int, long)} on the
   * given scores, as candidate indexes: the default order's sort where this score breaks ties by id
   * (every score but Ethereal's, and any book with supplied scores), else a merge sort by the
   * comparison.
   */
  public int[] ranking(CandidateBook book, long[] scores) {
    if (this != ETHEREAL || book.hasScores()) {
      return book.byScoreThenId(scores);
    }
    return Indexes.sorted(book.count(), (a, b) -> compare(book, a, scores[a], b, scores[b]));
  }

  /**
   * {@link #compare(CandidateBook, int, long, int, long)} of two positions from their figures: id,
   * score, PnL and equity.
   */
  public int compare(
      long idA,
      long scoreA,
      long pnlA,
      long equityA,
      long idB,
      long scoreB,
      long pnlB,
      long equityB) {
    int c = Long.compare(scoreB, scoreA);
    if (c != 0) {
      return c;
    }
    if (this == ETHEREAL) {
      c = Long.compare(pnlB, pnlA);
      if (c == 0) {
        c = Long.compare(equityA - pnlA, equityB - pnlB);
      }
      if (c == 0) {
        c = Long.compare(idB, idA);
      }
      return c;
    }
    return Long.compare(idA, idB);
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
