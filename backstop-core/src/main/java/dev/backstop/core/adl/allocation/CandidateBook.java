package dev.backstop.core.adl.allocation;

import dev.backstop.core.num.Fixed;
import java.util.Arrays;

/**
 * The candidates of one deleveraging round, as parallel primitive arrays (struct of arrays): per
 * candidate an id, its PnL and equity in money units, and where known its position (size in lots,
 * mark and entry price in money units per lot), its leverage and an externally supplied ranking
 * score (both at {@link Fixed#RATE_DECIMALS}).
 *
 * <p>The capacity of a candidate is its positive PnL, {@code u_i = w_i = max(PnL_i, 0)}: only
 * profit can be seized (Chitra, "Autodeleveraging: Impossibilities and Optimization", arXiv
 * 2512.01112). Prices are per lot so that a notional is an exact number of money units, as the
 * market scales guarantee (see {@code dev.backstop.core.num}).
 *
 * <p>Either every candidate has a position or none has; the same holds for scores. Ids are unique:
 * every tie between candidates is broken by ascending id.
 */
public final class CandidateBook {

  private final int count;
  private final long[] ids;
  private final long[] pnl;
  private final long[] equity;
  private final long[] capacity;
  private final long[] size;
  private final long[] markPrice;
  private final long[] entryPrice;
  private final long[] leverage;
  private final long[] score;
  private final boolean hasPositions;
  private final boolean hasScores;

  private static void checkPosition(long id, long sizeLots, long markPrice, long entryPrice) {
    if (sizeLots <= 0 || markPrice <= 0 || entryPrice < 0) {
      throw new IllegalArgumentException(
          "candidate "
              + id
              + ": size and mark must be positive and entry not negative (size "
              + sizeLots
              + ", mark "
              + markPrice
              + ", entry "
              + entryPrice
              + ")");
    }
    try {
      Math.multiplyExact(sizeLots, Math.max(markPrice, entryPrice));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("candidate " + id + ": notional out of range", e);
    }
  }

  private CandidateBook(Builder b) {
    this.count = b.count;
    this.ids = Arrays.copyOf(b.ids, count);
    this.pnl = Arrays.copyOf(b.pnl, count);
    this.equity = Arrays.copyOf(b.equity, count);
    this.size = Arrays.copyOf(b.size, count);
    this.markPrice = Arrays.copyOf(b.markPrice, count);
    this.entryPrice = Arrays.copyOf(b.entryPrice, count);
    this.score = Arrays.copyOf(b.score, count);
    this.hasPositions = count > 0 && b.positions == count;
    this.hasScores = count > 0 && b.scores == count;
    this.capacity = new long[count];
    this.leverage = new long[count];
    for (int i = 0; i < count; i++) {
      capacity[i] = Math.max(pnl[i], 0);
      leverage[i] = b.leverage[i];
      if (leverage[i] == 0 && hasPositions && equity[i] > 0) {
        leverage[i] =
            Products.saturatingMulDiv(
                Math.multiplyExact(size[i], markPrice[i]), Fixed.RATE_ONE, equity[i]);
      }
    }
  }

  private CandidateBook(CandidateBook from, int[] picks) {
    this.count = picks.length;
    // An empty subset keeps its book's kind, so that a size allocation of nothing still runs.
    this.hasPositions = from.hasPositions;
    this.hasScores = from.hasScores;
    this.ids = pick(from.ids, picks);
    this.pnl = pick(from.pnl, picks);
    this.equity = pick(from.equity, picks);
    this.capacity = pick(from.capacity, picks);
    this.size = pick(from.size, picks);
    this.markPrice = pick(from.markPrice, picks);
    this.entryPrice = pick(from.entryPrice, picks);
    this.leverage = pick(from.leverage, picks);
    this.score = pick(from.score, picks);
  }

  private static long[] pick(long[] values, int[] picks) {
    long[] out = new long[picks.length];
    for (int k = 0; k < picks.length; k++) {
      out[k] = values[picks[k]];
    }
    return out;
  }

  /**
   * The book of the candidates at {@code picks}, in that order (each at most once): candidate
   * {@code k} of the result is candidate {@code picks[k]} of this book.
   */
  public CandidateBook subset(int[] picks) {
    return new CandidateBook(this, picks);
  }

  /**
   * Every candidate by {@code scores} (one a candidate) descending, ties by ascending id: the
   * default order of a policy's ranking ({@link AllocationPolicy#compare}), as candidate indexes.
   */
  public int[] byScoreThenId(long[] scores) {
    return Indexes.byScoreThenId(scores, ids, count);
  }

  /** A builder for a book of about {@code expected} candidates. */
  public static Builder builder(int expected) {
    return new Builder(expected);
  }

  /** Number of candidates. */
  public int count() {
    return count;
  }

  /** The id of candidate {@code i}. */
  public long id(int i) {
    return ids[i];
  }

  /** PnL of candidate {@code i}, money units, signed. */
  public long pnl(int i) {
    return pnl[i];
  }

  /** Equity of candidate {@code i}, money units, signed. */
  public long equity(int i) {
    return equity[i];
  }

  /** Capacity {@code u_i = max(PnL_i, 0)} of candidate {@code i}, money units. */
  public long capacity(int i) {
    return capacity[i];
  }

  /** Whether every candidate has a position (size and prices). */
  public boolean hasPositions() {
    return hasPositions;
  }

  /** Position size of candidate {@code i} in lots (absolute), 0 without positions. */
  public long size(int i) {
    return size[i];
  }

  /** Mark (closing) price of candidate {@code i}, money units per lot; 0 without positions. */
  public long markPrice(int i) {
    return markPrice[i];
  }

  /** Entry price of candidate {@code i}, money units per lot; 0 without positions. */
  public long entryPrice(int i) {
    return entryPrice[i];
  }

  /** Notional at the mark, {@code size * markPrice}, money units; 0 without positions. */
  public long notional(int i) {
    return Math.multiplyExact(size[i], markPrice[i]);
  }

  /** Notional at entry, {@code size * entryPrice}, money units; 0 without positions. */
  public long entryNotional(int i) {
    return Math.multiplyExact(size[i], entryPrice[i]);
  }

  /**
   * Leverage of candidate {@code i} at rate scale: as given, else {@code notional / equity}
   * (rounded down) when the book has positions and the equity is positive, else 0 (unknown).
   */
  public long leverage(int i) {
    return leverage[i];
  }

  /** Whether every candidate has a supplied ranking score. */
  public boolean hasScores() {
    return hasScores;
  }

  /** Supplied ranking score of candidate {@code i} at rate scale (higher is deleveraged first). */
  public long score(int i) {
    return score[i];
  }

  /** Collects candidates one at a time; options such as leverage apply to the last one added. */
  public static final class Builder {
    private int count;
    private long[] ids;
    private long[] pnl;
    private long[] equity;
    private long[] size;
    private long[] markPrice;
    private long[] entryPrice;
    private long[] leverage;
    private long[] score;
    private boolean[] scored;
    private int positions;
    private int scores;

    private Builder(int expected) {
      int n = Math.max(expected, 4);
      ids = new long[n];
      pnl = new long[n];
      equity = new long[n];
      size = new long[n];
      markPrice = new long[n];
      entryPrice = new long[n];
      leverage = new long[n];
      score = new long[n];
      scored = new boolean[n];
    }

    /** Adds a candidate known only by its PnL and equity (money units). */
    public Builder add(long id, long pnl, long equity) {
      if (count == ids.length) {
        grow();
      }
      ids[count] = id;
      this.pnl[count] = pnl;
      this.equity[count] = equity;
      count++;
      return this;
    }

    /**
     * Adds a candidate with its position: size in lots (absolute, positive), the mark price in
     * money units per lot (positive) and the entry price per lot ({@code >= 0}: a position's cost
     * per lot rounds down to 0 on a market with a tiny tick, and reductions of a position round its
     * remaining cost down; the scores then read an unbounded PnL over entry notional).
     */
    public Builder addPosition(
        long id, long pnl, long equity, long sizeLots, long markPrice, long entryPrice) {
      checkPosition(id, sizeLots, markPrice, entryPrice);
      add(id, pnl, equity);
      size[count - 1] = sizeLots;
      this.markPrice[count - 1] = markPrice;
      this.entryPrice[count - 1] = entryPrice;
      positions++;
      return this;
    }

    /** Sets the leverage (rate scale, positive) of the last candidate added. */
    public Builder leverage(long rate) {
      int i = last();
      if (rate <= 0) {
        throw new IllegalArgumentException("candidate " + ids[i] + ": leverage must be positive");
      }
      leverage[i] = rate;
      return this;
    }

    /** Sets the supplied ranking score (rate scale) of the last candidate added. */
    public Builder score(long rate) {
      int i = last();
      if (!scored[i]) {
        scored[i] = true;
        scores++;
      }
      score[i] = rate;
      return this;
    }

    /**
     * Builds the book.
     *
     * @throws IllegalArgumentException if ids repeat, or only some candidates have positions or
     *     scores
     */
    public CandidateBook build() {
      if (positions != 0 && positions != count) {
        throw new IllegalArgumentException("either every candidate has a position or none has");
      }
      if (scores != 0 && scores != count) {
        throw new IllegalArgumentException("either every candidate has a score or none has");
      }
      if (!ascending()) {
        long[] sortedIds = Arrays.copyOf(ids, count);
        Arrays.sort(sortedIds);
        for (int i = 1; i < count; i++) {
          if (sortedIds[i] == sortedIds[i - 1]) {
            throw new IllegalArgumentException("duplicate candidate id " + sortedIds[i]);
          }
        }
      }
      return new CandidateBook(this);
    }

    /** Whether the ids are strictly ascending (then none repeats, and no sort is needed). */
    private boolean ascending() {
      for (int i = 1; i < count; i++) {
        if (ids[i] <= ids[i - 1]) {
          return false;
        }
      }
      return true;
    }

    private int last() {
      if (count == 0) {
        throw new IllegalStateException("no candidate added yet");
      }
      return count - 1;
    }

    private void grow() {
      int n = Math.multiplyExact(ids.length, 2);
      ids = Arrays.copyOf(ids, n);
      pnl = Arrays.copyOf(pnl, n);
      equity = Arrays.copyOf(equity, n);
      size = Arrays.copyOf(size, n);
      markPrice = Arrays.copyOf(markPrice, n);
      entryPrice = Arrays.copyOf(entryPrice, n);
      leverage = Arrays.copyOf(leverage, n);
      score = Arrays.copyOf(score, n);
      scored = Arrays.copyOf(scored, n);
    }
  }
}
