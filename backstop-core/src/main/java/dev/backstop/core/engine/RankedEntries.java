package dev.backstop.core.engine;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The entries of an {@link AdlRanking}, longs then shorts by rank, held as primitive arrays and
 * turned into {@link AdlRanking.Entry} records only when read: ranking a million positions costs
 * the ranking, not a million records, and a caller that reads one account's place pays for one.
 * Immutable: every value is copied out of the state when the ranking is made.
 */
final class RankedEntries extends AbstractList<AdlRanking.Entry> implements RandomAccess {

  /** One side's entries in rank order. */
  static final class Side {
    final boolean longs;
    final String[] account;
    final String[] margin;
    final long[] size;
    final long[] pnl;
    final long[] score;
    final long[] sizeIfNow;
    final long[] amountIfNow;

    Side(boolean longs, int n) {
      this.longs = longs;
      account = new String[n];
      margin = new String[n];
      size = new long[n];
      pnl = new long[n];
      score = new long[n];
      sizeIfNow = new long[n];
      amountIfNow = new long[n];
    }

    int count() {
      return account.length;
    }
  }

  private final MarketConfig config;
  private final Side longs;
  private final Side shorts;

  RankedEntries(MarketConfig config, Side longs, Side shorts) {
    this.config = config;
    this.longs = longs;
    this.shorts = shorts;
  }

  @Override
  public int size() {
    return longs.count() + shorts.count();
  }

  @Override
  public AdlRanking.Entry get(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(index);
    }
    Side s = index < longs.count() ? longs : shorts;
    int r = s == longs ? index : index - longs.count();
    int n = s.count();
    return new AdlRanking.Entry(
        s.account[r],
        s.margin[r],
        s.longs ? "long" : "short",
        config.size(s.size[r]),
        Decimal.money(s.pnl[r]),
        r + 1,
        Decimal.rate(s.score[r]),
        4 - (int) ((5L * r) / n),
        config.size(s.sizeIfNow[r]),
        Decimal.money(s.amountIfNow[r]));
  }
}
