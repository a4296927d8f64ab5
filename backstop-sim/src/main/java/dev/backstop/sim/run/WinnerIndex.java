package dev.backstop.sim.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;

/**
 * The winners of the rounds at one price, kept so that a round's fairness measures cost what the
 * round hit rather than every winner: the measures of {@link Burdens} compare each hit with its
 * neighbours in capacity order (monotonicity) and count the pairs ordered one way by leverage and
 * the other by burden (inversions); a winner the round did not hit has burden 0, keeps its whole
 * capacity, and takes part only through how many winners sit above or below a leverage, and which
 * winners are a hit's neighbours.
 *
 * <p>At the first round after the price moved ({@link #priceMoved}) every trader's capacity is read
 * once, the winners of each side sorted by capacity, and a Fenwick tree per side counts them by
 * position in the run's leverage order (fixed for the run). A trader whose capacity changes at the
 * same price ({@link #touch}: a liquidation closed some of its lots, or a round took from it)
 * leaves its place in the sorted array and joins a small ordered set; the tree follows it. Ties go
 * by trader index everywhere, as the full sorts of {@link Monotonicity} and {@link Inversions}
 * break them, and the results are theirs to the last pair ({@code WinnerIndexProperties} checks).
 */
final class WinnerIndex {

  private static final int GROUPS = 3;

  private final long[] side;
  private final int n;
  private final IntToDoubleFunction capacity;

  // The run's leverage order: position of each trader, and the leverage at each position.
  private final int[] levPos;
  private final double[] levSorted;

  // What is known at this price (valid while built).
  private boolean built;

  /** Current capacity of each trader; indexes n and n + 1 are the probes of a search. */
  private final double[] cap;

  private final boolean[] winner;
  private final int[][] order = new int[GROUPS][];
  private final double[][] orderCap = new double[GROUPS][];
  private final boolean[] stale;
  private final boolean[] inMoved;
  private final Fenwick[] count = new Fenwick[GROUPS];

  /** Winners per side at the last price read. */
  private final long[] lastCount = new long[GROUPS];

  private final List<TreeSet<Integer>> moved = new ArrayList<>();
  private int probeIndex;
  private int secondProbeIndex;

  /** Traders touched since the last build. */
  private int touched;

  /** The traders of the round being measured. */
  private int[] roundHits = new int[0];

  /**
   * The winners of traders on {@code side}, with their {@code leverage} fixed for the run and
   * {@code byLeverage} its order (descending, ties by index), and their {@code capacity} at the
   * current price.
   */
  WinnerIndex(long[] side, double[] leverage, int[] byLeverage, IntToDoubleFunction capacity) {
    this.side = side;
    this.n = side.length;
    this.capacity = capacity;
    levPos = new int[n];
    levSorted = new double[n];
    for (int p = 0; p < n; p++) {
      levPos[byLeverage[p]] = p;
      levSorted[p] = leverage[byLeverage[p]];
    }
    cap = new double[n + 2];
    winner = new boolean[n];
    stale = new boolean[n];
    inMoved = new boolean[n];
    for (int g = 0; g < GROUPS; g++) {
      moved.add(new TreeSet<>(this::compare));
      count[g] = new Fenwick(n);
      lastCount[g] = n;
    }
  }

  static int group(long side) {
    return side > 0 ? 0 : side < 0 ? 1 : 2;
  }

  /** The price moved: every capacity may have. */
  void priceMoved() {
    built = false;
  }

  /** Trader {@code i}'s capacity may have changed at this price. */
  void touch(int i) {
    if (!built) {
      return;
    }
    int g = group(side[i]);
    stale[i] = true;
    if (inMoved[i]) {
      moved.get(g).remove(i);
      inMoved[i] = false;
    }
    if (winner[i]) {
      count[g].add(levPos[i], -1);
    }
    cap[i] = capacity.applyAsDouble(i);
    winner[i] = cap[i] > 0;
    if (winner[i]) {
      count[g].add(levPos[i], 1);
      moved.get(g).add(i);
      inMoved[i] = true;
    }
    if (++touched > Math.max(64, n / 16)) {
      // Most of the side has moved (a pro rata round hits every winner): reading it afresh at the
      // next round is cheaper than keeping a large ordered set.
      built = false;
    }
  }

  /**
   * Winners of the round's side (every side for 0) by their own capacity at this price, the hits of
   * the round among them.
   */
  long winners(long roundSide) {
    long total = 0;
    for (int g = 0; g < GROUPS; g++) {
      if (roundSide == 0 || g == group(roundSide)) {
        // at this price if read, else at the last price read (n before any): an estimate is
        // enough to choose how to measure, and reading the side for it would cost a sort
        total += built ? count[g].total() : lastCount[g];
      }
    }
    return total;
  }

  private void build() {
    int[] sizes = new int[GROUPS];
    for (int i = 0; i < n; i++) {
      cap[i] = capacity.applyAsDouble(i);
      winner[i] = cap[i] > 0;
      stale[i] = false;
      inMoved[i] = false;
      if (winner[i]) {
        sizes[group(side[i])]++;
      }
    }
    for (int g = 0; g < GROUPS; g++) {
      int[] members = new int[sizes[g]];
      double[] keys = new double[sizes[g]];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (winner[i] && group(side[i]) == g) {
          members[k] = i;
          keys[k++] = cap[i];
        }
      }
      int[] sorted = IndexOrder.descending(keys, k);
      order[g] = new int[k];
      orderCap[g] = new double[k];
      for (int p = 0; p < k; p++) {
        order[g][p] = members[sorted[p]];
        orderCap[g][p] = keys[sorted[p]];
      }
      moved.get(g).clear();
      count[g].clear();
    }
    touched = 0;
    for (int i = 0; i < n; i++) {
      if (winner[i]) {
        count[group(side[i])].add(levPos[i], 1);
      }
    }
    for (int g = 0; g < GROUPS; g++) {
      lastCount[g] = count[g].total();
    }
    built = true;
  }

  /** Whether trader {@code a} comes before {@code b} by capacity descending, ties by index. */
  private int compare(int a, int b) {
    int c = Double.compare(cap[b], cap[a]);
    if (c != 0) {
      return c;
    }
    return Integer.compare(index(a), index(b));
  }

  /** A trader's index, or a probe's. */
  private int index(int a) {
    return a == n ? probeIndex : a == n + 1 ? secondProbeIndex : a;
  }

  /** A round's hits: trader, and its round figures (capacity, kept, tolerance, burden, step). */
  record Hit(int trader, double u, double left, double slack, double m, double step) {}

  /** The two measures of a round. */
  record Measures(Monotonicity monotonicity, Inversions inversions) {}

  /**
   * The measures of a round whose winners are the traders of {@code roundSide} (every side if 0)
   * with a positive capacity: the hits at their round figures, every other winner at its capacity,
   * kept whole, with burden 0 and the tolerances {@link Burdens} gives it ({@code microDollar} and
   * {@code step}).
   *
   * @param inRound whether a trader is one of the hits
   * @param otherStep the burden tolerance of a winner not hit
   */
  Measures measure(
      long roundSide,
      Hit[] hits,
      IntPredicate inRound,
      IntToDoubleFunction otherStep,
      double microDollar) {
    if (!built) {
      build();
    }
    roundHits = new int[hits.length];
    for (int k = 0; k < hits.length; k++) {
      roundHits[k] = hits[k].trader();
    }
    boolean[] relevant = new boolean[GROUPS];
    if (roundSide == 0) {
      Arrays.fill(relevant, true);
    } else {
      relevant[group(roundSide)] = true;
    }
    // The hits that are winners of the round, by trader index, then by capacity.
    Hit[] win =
        Arrays.stream(hits)
            .filter(h -> relevant[group(side[h.trader()])] && h.u() > 0)
            .sorted((a, b) -> Integer.compare(a.trader(), b.trader()))
            .toArray(Hit[]::new);
    int h = win.length;
    long others = 0;
    for (int g = 0; g < GROUPS; g++) {
      if (relevant[g]) {
        others += count[g].total();
      }
    }
    for (Hit x : hits) {
      if (relevant[group(side[x.trader()])] && winner[x.trader()]) {
        others--;
      }
    }
    long w = others + h;
    if (w < 2) {
      return new Measures(new Monotonicity(0, 0), new Inversions(0, 0));
    }
    return new Measures(
        monotonicity(win, w, relevant, inRound, microDollar),
        inversions(win, relevant, inRound, otherStep));
  }

  // ---------------------------------------------------------------- monotonicity

  private Monotonicity monotonicity(
      Hit[] win, long w, boolean[] relevant, IntPredicate inRound, double micro) {
    int h = win.length;
    double[] keys = new double[h];
    for (int k = 0; k < h; k++) {
      keys[k] = win[k].u();
    }
    int[] sorted = IndexOrder.descending(keys, h);
    Hit[] hs = new Hit[h];
    for (int k = 0; k < h; k++) {
      hs[k] = win[sorted[k]];
    }
    // where each hit's key falls in each side's sorted array
    int[][] at = new int[GROUPS][];
    for (int g = 0; g < GROUPS; g++) {
      if (relevant[g]) {
        at[g] = new int[h];
        for (int k = 0; k < h; k++) {
          at[g][k] = insertion(g, hs[k]);
        }
      }
    }
    long violations = 0;
    for (int k = 0; k < h; k++) {
      Hit x = hs[k];
      Hit previousHit = k > 0 ? hs[k - 1] : null;
      Hit nextHit = k + 1 < h ? hs[k + 1] : null;
      // Only the others between two neighbouring hits can be a hit's neighbour: each side's
      // search stays inside that gap, so a round costs its hits, not the stretch of hits.
      int before = -1;
      int after = -1;
      for (int g = 0; g < GROUPS; g++) {
        if (!relevant[g]) {
          continue;
        }
        before =
            closer(
                before,
                lastOther(g, k > 0 ? at[g][k - 1] : 0, at[g][k], x.trader(), inRound),
                true);
        before = closer(before, movedBetween(g, previousHit, x, inRound, true), true);
        after =
            closer(
                after,
                firstOther(
                    g, at[g][k], nextHit != null ? at[g][k + 1] : order[g].length, x, inRound),
                false);
        after = closer(after, movedBetween(g, x, nextHit, inRound, false), false);
      }
      // the predecessor: the other between the previous hit and this one, else the previous hit
      if (before != -1) {
        if (violates(cap[before], cap[before], micro, x.u(), x.left(), x.slack())) {
          violations++;
        }
      } else if (previousHit != null) {
        if (violates(
            previousHit.u(), previousHit.left(), previousHit.slack(), x.u(), x.left(), x.slack())) {
          violations++;
        }
      }
      // the successor, counted here only when it is not a hit (the next hit counts its own)
      if (after != -1 && violates(x.u(), x.left(), x.slack(), cap[after], cap[after], micro)) {
        violations++;
      }
    }
    return new Monotonicity(violations, w - 1);
  }

  /** Whether an entry of capacity {@code u} and index {@code i} comes before winner {@code j}. */
  private boolean precedes(double u, int i, int j) {
    int c = Double.compare(cap[j], u);
    return c < 0 || (c == 0 && i < j);
  }

  /** Of two winners (-1: none), the one nearer the probe: the later if before, else the earlier. */
  private int closer(int a, int b, boolean before) {
    if (a == -1) {
      return b;
    }
    if (b == -1) {
      return a;
    }
    boolean aFirst = precedes(cap[a], a, b);
    return before == aFirst ? b : a;
  }

  /** The first position of side {@code g}'s sorted array not before hit {@code x}'s key. */
  private int insertion(int g, Hit x) {
    int[] o = order[g];
    double[] c = orderCap[g];
    int lo = 0;
    int hi = o.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = Double.compare(x.u(), c[mid]);
      boolean midFirst = cmp < 0 || (cmp == 0 && o[mid] < x.trader());
      if (midFirst) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The last other winner of side {@code g}'s array at positions {@code [from, to)}, or -1. */
  private int lastOther(int g, int from, int to, int self, IntPredicate inRound) {
    int[] o = order[g];
    for (int p = to - 1; p >= from; p--) {
      int t = o[p];
      if (!stale[t] && !inRound.test(t) && t != self) {
        return t;
      }
    }
    return -1;
  }

  /** The first other winner of side {@code g}'s array at positions {@code [from, to)}, or -1. */
  private int firstOther(int g, int from, int to, Hit x, IntPredicate inRound) {
    int[] o = order[g];
    for (int p = from; p < to; p++) {
      int t = o[p];
      if (!stale[t] && !inRound.test(t) && t != x.trader()) {
        return t;
      }
    }
    return -1;
  }

  /**
   * The other winner of side {@code g}'s moved set between two hits' keys (null: the end), the last
   * one ({@code last}) or the first; -1 if none.
   */
  private int movedBetween(int g, Hit low, Hit high, IntPredicate inRound, boolean last) {
    TreeSet<Integer> set = moved.get(g);
    if (set.isEmpty()) {
      return -1;
    }
    java.util.NavigableSet<Integer> gap;
    if (low != null) {
      cap[n] = low.u();
      probeIndex = low.trader();
    }
    if (high != null) {
      cap[n + 1] = high.u();
      secondProbeIndex = high.trader();
    }
    if (low != null && high != null) {
      gap = set.subSet(n, false, n + 1, false);
    } else if (low != null) {
      gap = set.tailSet(n, false);
    } else if (high != null) {
      gap = set.headSet(n + 1, false);
    } else {
      gap = set;
    }
    for (Integer t : last ? gap.descendingSet() : gap) {
      if (!inRound.test(t)) {
        return t;
      }
    }
    return -1;
  }

  private static boolean violates(
      double u1, double left1, double slack1, double u2, double left2, double slack2) {
    double slack = slack1 + slack2;
    boolean equal = u1 - u2 <= slack;
    double kept = left1 - left2;
    return kept < -slack || (equal && kept > slack);
  }

  // ---------------------------------------------------------------- inversions

  private Inversions inversions(
      Hit[] win, boolean[] relevant, IntPredicate inRound, IntToDoubleFunction otherStep) {
    int h = win.length;
    // The zeros: every winner not hit, and the hits of burden 0; the first and last by index.
    int firstOther = -1;
    for (int i = 0; i < n && firstOther == -1; i++) {
      if (isOther(i, relevant, inRound)) {
        firstOther = i;
      }
    }
    int lastOther = -1;
    for (int i = n - 1; i >= 0 && lastOther == -1; i--) {
      if (isOther(i, relevant, inRound)) {
        lastOther = i;
      }
    }
    // Entries 0..h-1 are the hits; entry h stands for every other winner (burden 0).
    int firstZero = firstOther;
    int lastZero = lastOther;
    double firstZeroTol = firstOther == -1 ? 0 : otherStep.applyAsDouble(firstOther);
    double lastZeroTol = lastOther == -1 ? 0 : otherStep.applyAsDouble(lastOther);
    double[] m = new double[h];
    for (int k = 0; k < h; k++) {
      Hit x = win[k];
      m[k] = x.m();
      if (Double.compare(x.m(), 0.0) == 0) {
        if (firstZero == -1 || x.trader() < firstZero) {
          firstZero = x.trader();
          firstZeroTol = x.step();
        }
        if (lastZero == -1 || x.trader() > lastZero) {
          lastZero = x.trader();
          lastZeroTol = x.step();
        }
      }
    }
    // Ranks: the burdens ascending (ties by index), a new rank where a gap exceeds the tolerances.
    int[] byBurden = Inversions.zerosFirst(m, h);
    int[] rank = new int[h];
    int zeroRank = 0;
    int current = 0;
    double prevBurden = 0;
    double prevTol = 0;
    boolean any = false;
    boolean zerosDone = firstZero == -1;
    for (int idx = 0; idx <= h; idx++) {
      // walk the hits in burden order; the zeros (others and zero hits) sit between the
      // negative and the positive burdens
      if (!zerosDone && (idx == h || Double.compare(m[byBurden[idx]], 0.0) >= 0)) {
        // the zero group: from the first zero to the last, no gap among them
        if (!any) {
          current = 1;
        } else if (0.0 - prevBurden > firstZeroTol + prevTol) {
          current++;
        }
        any = true;
        zeroRank = current;
        prevBurden = 0;
        prevTol = lastZeroTol;
        zerosDone = true;
      }
      if (idx == h) {
        break;
      }
      int k = byBurden[idx];
      if (Double.compare(m[k], 0.0) == 0) {
        rank[k] = zeroRank;
        continue;
      }
      Hit x = win[k];
      if (!any) {
        current = 1;
      } else if (m[k] - prevBurden > x.step() + prevTol) {
        current++;
      }
      any = true;
      rank[k] = current;
      prevBurden = m[k];
      prevTol = x.step();
    }
    // P: the hits ranked apart from the zeros' rank; every other entry has the zeros' rank.
    int p = 0;
    for (int k = 0; k < h; k++) {
      if (firstZero == -1 || rank[k] != zeroRank) {
        p++;
      }
    }
    int[] pIndex = new int[p];
    double[] pLev = new double[p];
    int[] pRank = new int[p];
    p = 0;
    // counts of the entries of the zeros' rank that are hits, and of hits the trees count
    double[] rankedHitsLev = new double[h];
    int rankedHits = 0;
    for (int k = 0; k < h; k++) {
      if (firstZero == -1 || rank[k] != zeroRank) {
        pIndex[p] = k;
        pLev[p] = levSorted[levPos[win[k].trader()]];
        pRank[p++] = rank[k];
      } else {
        rankedHitsLev[rankedHits++] = levSorted[levPos[win[k].trader()]];
      }
    }
    Inversions among = Inversions.byRank(pLev, pRank, IndexOrder.descending(pLev, p), p);
    long inversions = among.inversions();
    long concordant = among.concordant();
    if (firstZero == -1) {
      return new Inversions(inversions, concordant);
    }
    double[] zeroHits = Arrays.copyOf(rankedHitsLev, rankedHits);
    Arrays.sort(zeroHits);
    double[] treeHits = treeCountedHits(relevant);
    for (int q = 0; q < p; q++) {
      double l = pLev[q];
      long above = othersAbove(l, relevant) - countAbove(treeHits, l) + countAbove(zeroHits, l);
      long below = othersBelow(l, relevant) - countBelow(treeHits, l) + countBelow(zeroHits, l);
      if (pRank[q] > zeroRank) {
        inversions += above;
        concordant += below;
      } else {
        concordant += above;
        inversions += below;
      }
    }
    return new Inversions(inversions, concordant);
  }

  private boolean isOther(int i, boolean[] relevant, IntPredicate inRound) {
    return winner[i] && relevant[group(side[i])] && !inRound.test(i);
  }

  /**
   * The leverages, sorted, of the round's hits that the trees count (a winner by its own capacity,
   * on a relevant side), whether or not the round counts them as winners.
   */
  private double[] treeCountedHits(boolean[] relevant) {
    double[] out = new double[roundHits.length];
    int k = 0;
    for (int t : roundHits) {
      if (winner[t] && relevant[group(side[t])]) {
        out[k++] = levSorted[levPos[t]];
      }
    }
    double[] sorted = Arrays.copyOf(out, k);
    Arrays.sort(sorted);
    return sorted;
  }

  /** Winners the trees count with a leverage above {@code l} (strictly), on the relevant sides. */
  private long othersAbove(double l, boolean[] relevant) {
    int p = firstPosition(l, false);
    long total = 0;
    for (int g = 0; g < GROUPS; g++) {
      if (relevant[g]) {
        total += count[g].prefix(p);
      }
    }
    return total;
  }

  /** Winners the trees count with a leverage below {@code l} (strictly), on the relevant sides. */
  private long othersBelow(double l, boolean[] relevant) {
    int p = firstPosition(l, true);
    long total = 0;
    for (int g = 0; g < GROUPS; g++) {
      if (relevant[g]) {
        total += count[g].total() - count[g].prefix(p);
      }
    }
    return total;
  }

  /**
   * The first position of the leverage order whose leverage is not above {@code l} (or, with {@code
   * below}, is below it).
   */
  private int firstPosition(double l, boolean below) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = Double.compare(levSorted[mid], l);
      if (below ? c >= 0 : c > 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Entries of an ascending array above {@code l}, strictly. */
  private static long countAbove(double[] sorted, double l) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Double.compare(sorted[mid], l) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return sorted.length - lo;
  }

  /** Entries of an ascending array below {@code l}, strictly. */
  private static long countBelow(double[] sorted, double l) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Double.compare(sorted[mid], l) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Counts by position, with prefix sums. */
  private static final class Fenwick {
    private final int[] tree;
    private long total;

    Fenwick(int n) {
      tree = new int[n + 1];
    }

    void clear() {
      Arrays.fill(tree, 0);
      total = 0;
    }

    void add(int position, int delta) {
      for (int x = position + 1; x < tree.length; x += x & -x) {
        tree[x] += delta;
      }
      total += delta;
    }

    /** Entries at positions below {@code p}. */
    long prefix(int p) {
      long sum = 0;
      for (int x = p; x > 0; x -= x & -x) {
        sum += tree[x];
      }
      return sum;
    }

    long total() {
      return total;
    }
  }
}
