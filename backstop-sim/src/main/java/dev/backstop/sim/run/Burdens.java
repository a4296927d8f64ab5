package dev.backstop.sim.run;

import dev.backstop.core.num.Fixed;

/**
 * What the backstop took from each trader, round by round. A round is one backstop action: the
 * haircuts, offsetting fills or socialized losses it caused, closed by its {@code backstop_applied}
 * event.
 *
 * <p>In each round {@code t} a trader {@code i} hit has a capacity {@code u_{i,t}}: the seizable
 * capacity the haircut event reports, or else its positive PnL at the round's mark on the lots it
 * held. It gave {@code x_{i,t}}: the money taken, plus for deleveraging the share of its lots
 * closed times {@code u_{i,t}} (closing a share of a position realises that share of its PnL, as
 * the papers count a queue's fully closed position as a burden of 100%). Its burden in the round is
 * {@code m_{i,t} = x_{i,t} / u_{i,t}}, at most 1 (a socialized loss may charge more than the
 * capacity: all of it), 1 for a charge without capacity. The trader's burden is its largest {@code
 * m_{i,t}}: amounts of several rounds are never put over one round's capacity, which is how the
 * burden of Chitra, Thogiti, Trujillo Ramirez and Xu ("Autodeleveraging as Online Learning", arXiv
 * 2602.15182, {@code m_t = max_i x_{i,t} / u_{i,t}}) is defined. (Summing the rounds over one
 * round's capacity gave burdens of several hundred percent: a haircut does not close the position,
 * so the next round finds the same PnL to take from.)
 *
 * <p>A haircut lowers the position's PnL by what it took (the engine moves the amount into the
 * position's cost), so a later round cannot seize it again: a winner's capacity in a later round is
 * its PnL at that round's mark less every haircut it has had. A winner the last haircut emptied is
 * no winner of the next round, and a round that does not hit it is not unfair to it. (Without this,
 * pro rata showed most of its pairs inverted: every earlier round's winners, emptied, counted as
 * winners spared with a burden of 0.) A socialized loss is charged to collateral, not PnL, and
 * leaves the capacity alone.
 *
 * <p>Each burden is known to the rounding of one unit: one micro-dollar over the haircut capacity,
 * or one lot over the lots held; that is its tolerance, by which {@link Inversions} tells ties.
 *
 * <p>When a round closes, its monotonicity violations ({@link Monotonicity}) and ranking inversions
 * ({@link Inversions}: leverage against the round's burden) are counted over every winner of the
 * round, hit or not: every trader with a positive capacity at the round's mark, on the deleveraged
 * side for a deleveraging round. Per round, because a rule is fair or not in how it shares one
 * round's budget: over a whole path, a winner who became one only in a later, smaller round has a
 * smaller burden whatever the rule (wealth pro rata then showed a third of its pairs inverted).
 */
final class Burdens {

  /** One money unit in dollars: the rounding of every amount the engine moves. */
  static final double MICRO_DOLLAR = 1e-6;

  /** What the simulator knows of a trader when a round closes. */
  interface Traders {
    /** The trader's positive PnL in dollars on {@code heldLots} lots at the round's mark. */
    double capacity(int trader, long heldLots);

    /**
     * The trader's leverage, by which the risk-based rule would rank it: fixed for the run once the
     * first round has read it.
     */
    double leverage(int trader);
  }

  private final long[] side;
  private final long[] heldLots;
  private final double[] taken;
  private final double[] seized;
  private final double[] burden;
  private final boolean[] hit;
  private final Round round;
  private Winners winners;

  /**
   * Every trader by the reference leverage, descending (ties by index); made at the first round.
   */
  private int[] byLeverage;

  private double[] leverages;

  /** Which traders are winners of the round being measured ({@code == stamp}), and their index. */
  private final int[] winnerStamp;

  private final int[] winnerIndex;
  private int stamp;
  private long monotonicityViolations;
  private double monotonicityRateSum;
  private long roundsMeasured;
  private long inversions;
  private long concordant;

  /**
   * Whether each round sorts every winner (the definition, kept for the tests to compare with)
   * rather than reading the winners kept at the round's price ({@link WinnerIndex}).
   */
  private final boolean exhaustive;

  /** A round hitting more than one winner in this many is measured by sorting every winner. */
  private static final int DENSE_SHARE = 8;

  private final int denseShare;

  private WinnerIndex index;
  private Traders traders;

  /** Traders with these signed position sizes in lots (long > 0, short < 0). */
  Burdens(long[] lots) {
    this(lots, false);
  }

  /**
   * Traders with these signed position sizes; {@code exhaustive} measures each round by sorting
   * every winner, the definition {@link WinnerIndex} must equal.
   */
  Burdens(long[] lots, boolean exhaustive) {
    this(lots, exhaustive, DENSE_SHARE);
  }

  /**
   * As above; a round hitting more than one winner in {@code denseShare} is measured by sorting
   * every winner (0: never, for the tests of {@link WinnerIndex}).
   */
  Burdens(long[] lots, boolean exhaustive, int denseShare) {
    this.exhaustive = exhaustive;
    this.denseShare = denseShare;
    int n = lots.length;
    side = new long[n];
    heldLots = new long[n];
    for (int i = 0; i < n; i++) {
      side[i] = Long.signum(lots[i]);
      heldLots[i] = Math.abs(lots[i]);
    }
    taken = new double[n];
    seized = new double[n];
    burden = new double[n];
    hit = new boolean[n];
    round = new Round(n);
    winnerStamp = new int[n];
    winnerIndex = new int[n];
  }

  /**
   * Trader {@code i}'s position lost {@code lots} to a liquidation: filled by the book, taken over
   * by the fund or a vault, or deleveraged against winners.
   */
  void liquidated(int i, long lots) {
    heldLots[i] -= lots;
    if (index != null) {
      index.touch(i);
    }
  }

  /** The price moved: every trader's capacity may have (call before the events of a new price). */
  void priceMoved() {
    if (index != null) {
      index.priceMoved();
    }
  }

  /**
   * The round being read took from trader {@code i}: money units and lots of its position, with the
   * capacity the event reported in money units (-1: none reported, work it out from the position).
   */
  void take(int i, long money, long lots, long eventCapacity) {
    hit[i] = true;
    round.add(i, money, lots, eventCapacity);
  }

  /**
   * Closes the round: each hit trader's burden, then the round's monotonicity violations.
   *
   * @param deleveraging whether the round closed positions, so that its winners are the traders on
   *     the side it deleveraged; otherwise (haircut, socialization) every trader with profit
   * @param traders the capacities and leverages of the traders
   */
  void closeRound(boolean deleveraging, Traders traders) {
    int hits = round.size();
    if (hits == 0) {
      return;
    }
    long roundSide = 0;
    for (int k = 0; k < hits; k++) {
      int i = round.trader(k);
      long held = heldLots[i];
      long event = round.capacity(i);
      double u = event >= 0 ? Fixed.toDouble(event, Fixed.MONEY_DECIMALS) : capacity(traders, i);
      long closed = round.lots(i);
      double share = held > 0 ? Math.min(1, (double) closed / held) : 0;
      double x = Fixed.toDouble(round.money(i), Fixed.MONEY_DECIMALS) + share * u;
      double m = u > 0 ? Math.min(1, x / u) : (x > 0 ? 1 : 0);
      boolean byLots = closed > 0 && held > 0;
      double step = byLots ? 1.0 / held : (event > 0 ? 1.0 / event : 0);
      burden[i] = Math.max(burden[i], m);
      taken[i] += Math.max(0, x);
      round.result(i, u, x, m, step, byLots ? u / held : 0);
      roundSide = side[i];
    }
    this.traders = traders;
    if (exhaustive) {
      measureRound(deleveraging ? roundSide : 0, traders);
    } else {
      measureIndexed(deleveraging ? roundSide : 0);
    }
    for (int k = 0; k < hits; k++) {
      int i = round.trader(k);
      heldLots[i] -= round.lots(i);
      if (round.capacity(i) >= 0) {
        // a haircut: what it took is gone from the position's PnL
        seized[i] += Fixed.toDouble(round.money(i), Fixed.MONEY_DECIMALS);
      }
    }
    if (index != null) {
      for (int k = 0; k < hits; k++) {
        index.touch(round.trader(k));
      }
    }
    round.clear();
  }

  /**
   * The round's monotonicity violations and ranking inversions over its winners: every trader with
   * a positive capacity (on {@code roundSide} if not 0), a winner not hit keeping its capacity
   * whole with a burden of 0.
   */
  private void measureRound(long roundSide, Traders traders) {
    int n = heldLots.length;
    if (winners == null) {
      winners = new Winners(n);
    }
    Winners w = winners;
    int[] byLeverage = leverageOrder(traders);
    stamp++;
    int count = 0;
    int hitCount = 0;
    for (int i = 0; i < n; i++) {
      if (roundSide != 0 && side[i] != roundSide) {
        continue;
      }
      boolean inRound = round.contains(i);
      double c = inRound ? round.resultCapacity(i) : capacity(traders, i);
      if (c <= 0) {
        continue;
      }
      winnerStamp[i] = stamp;
      winnerIndex[i] = count;
      if (inRound) {
        w.hits[hitCount++] = count;
      }
      w.u[count] = c;
      w.left[count] = Math.max(0, c - (inRound ? round.resultTaken(i) : 0));
      w.slack[count] = MICRO_DOLLAR + (inRound ? round.resultLotValue(i) : 0);
      w.leverage[count] = traders.leverage(i);
      w.m[count] = inRound ? round.resultBurden(i) : 0;
      // A winner left out could have been given one unit: a lot, or a micro-dollar.
      w.step[count] =
          inRound ? round.resultStep(i) : roundSide != 0 ? 1.0 / heldLots[i] : MICRO_DOLLAR / c;
      count++;
    }
    // Few hits among many winners: only a hit's neighbours can break monotonicity, and only the
    // hits' burdens are not 0; the winners by leverage are the run's order, filtered.
    Monotonicity mono = Monotonicity.countAround(w.u, w.left, w.slack, count, w.hits, hitCount);
    if (mono.pairs() > 0) {
      monotonicityViolations += mono.violations();
      monotonicityRateSum += mono.rate();
      roundsMeasured++;
    }
    int[] order = new int[count];
    int o = 0;
    for (int i : byLeverage) {
      if (winnerStamp[i] == stamp) {
        order[o++] = winnerIndex[i];
      }
    }
    Inversions inv = Inversions.count(w.leverage, w.m, w.step, count, order);
    inversions += inv.inversions();
    concordant += inv.concordant();
  }

  /**
   * Every trader by leverage, descending (ties by index), with the leverages: read and ordered
   * once, since leverage is the reference point's, fixed for the run; shared by both ways of
   * measuring.
   */
  private int[] leverageOrder(Traders traders) {
    if (byLeverage == null) {
      int n = heldLots.length;
      leverages = new double[n];
      for (int i = 0; i < n; i++) {
        leverages[i] = traders.leverage(i);
      }
      byLeverage = IndexOrder.descending(leverages, n);
    }
    return byLeverage;
  }

  /**
   * {@link #measureRound}'s measures from the winners kept at this price: the cost of the round's
   * hits, not of every winner.
   */
  private void measureIndexed(long roundSide) {
    int n = heldLots.length;
    if (index == null) {
      int[] order = leverageOrder(traders); // fills leverages
      index = new WinnerIndex(side, leverages, order, i -> capacity(traders, i));
    }
    int hits = round.size();
    if ((long) hits * denseShare > index.winners(roundSide)) {
      // A round that hits a good share of the winners (pro rata hits them all): looking up each
      // hit's neighbours among the others would skip over hits; sorting them all is cheaper.
      measureRound(roundSide, traders);
      return;
    }
    WinnerIndex.Hit[] h = new WinnerIndex.Hit[hits];
    for (int k = 0; k < hits; k++) {
      int i = round.trader(k);
      double c = round.resultCapacity(i);
      h[k] =
          new WinnerIndex.Hit(
              i,
              c,
              Math.max(0, c - round.resultTaken(i)),
              MICRO_DOLLAR + round.resultLotValue(i),
              round.resultBurden(i),
              round.resultStep(i));
    }
    WinnerIndex.Measures measures =
        index.measure(
            roundSide,
            h,
            round::contains,
            i -> roundSide != 0 ? 1.0 / heldLots[i] : MICRO_DOLLAR / capacity(traders, i),
            MICRO_DOLLAR);
    Monotonicity mono = measures.monotonicity();
    if (mono.pairs() > 0) {
      monotonicityViolations += mono.violations();
      monotonicityRateSum += mono.rate();
      roundsMeasured++;
    }
    inversions += measures.inversions().inversions();
    concordant += measures.inversions().concordant();
  }

  /** Trader {@code i}'s capacity now: its PnL on the lots it holds less the haircuts it has had. */
  private double capacity(Traders traders, int i) {
    return Math.max(0, traders.capacity(i, heldLots[i]) - seized[i]);
  }

  /** Whether any round took from trader {@code i}. */
  boolean hit(int i) {
    return hit[i];
  }

  /** Lots trader {@code i} still holds. */
  long heldLots(int i) {
    return heldLots[i];
  }

  /** What every round took from trader {@code i} together, {@code sum_t x_{i,t}}, dollars. */
  double taken(int i) {
    return taken[i];
  }

  /** Trader {@code i}'s largest burden in any one round, {@code max_t m_{i,t}}, in [0, 1]. */
  double burden(int i) {
    return burden[i];
  }

  /** Ranking inversions summed over the rounds. */
  long inversions() {
    return inversions;
  }

  /** Inversions over comparable pairs, summed over the rounds; 0 without comparable pairs. */
  double inversionRate() {
    long comparable = inversions + concordant;
    return comparable == 0 ? 0 : (double) inversions / comparable;
  }

  /** Adjacent monotonicity violations summed over the rounds. */
  long monotonicityViolations() {
    return monotonicityViolations;
  }

  /** The mean over rounds with at least two winners of each round's violation rate; 0 if none. */
  double monotonicityRate() {
    return roundsMeasured == 0 ? 0 : monotonicityRateSum / roundsMeasured;
  }

  /**
   * What {@link #measureRound} knows of each winner of a round, in the order met; allocated at the
   * first round and reused by every later one, each filling the first entries.
   */
  private static final class Winners {
    final double[] u;
    final double[] left;
    final double[] slack;
    final double[] leverage;
    final double[] m;
    final double[] step;
    final int[] hits;

    Winners(int traders) {
      hits = new int[traders];
      u = new double[traders];
      left = new double[traders];
      slack = new double[traders];
      leverage = new double[traders];
      m = new double[traders];
      step = new double[traders];
    }
  }

  /**
   * The traders one round has hit so far, with what each gave (money units, lots) and the capacity
   * the event reported (-1 when the position gives it); then, once the round is closed, each one's
   * capacity, amount taken and the value of one lot in dollars. Arrays over all traders, reset for
   * the ones hit, so that a round costs what it touched.
   */
  private static final class Round {
    private final int[] hits;
    private final boolean[] in;
    private final long[] money;
    private final long[] lots;
    private final long[] capacity;
    private final double[] resultCapacity;
    private final double[] resultTaken;
    private final double[] resultBurden;
    private final double[] resultStep;
    private final double[] resultLotValue;
    private int size;

    Round(int traders) {
      hits = new int[traders];
      in = new boolean[traders];
      money = new long[traders];
      lots = new long[traders];
      capacity = new long[traders];
      resultCapacity = new double[traders];
      resultTaken = new double[traders];
      resultBurden = new double[traders];
      resultStep = new double[traders];
      resultLotValue = new double[traders];
    }

    void add(int i, long amount, long closed, long eventCapacity) {
      if (!in[i]) {
        in[i] = true;
        hits[size++] = i;
        capacity[i] = -1;
      }
      money[i] = Math.addExact(money[i], amount);
      lots[i] = Math.addExact(lots[i], closed);
      capacity[i] = Math.max(capacity[i], eventCapacity);
    }

    int size() {
      return size;
    }

    int trader(int k) {
      return hits[k];
    }

    boolean contains(int i) {
      return in[i];
    }

    long money(int i) {
      return money[i];
    }

    long lots(int i) {
      return lots[i];
    }

    long capacity(int i) {
      return capacity[i];
    }

    void result(int i, double u, double x, double burden, double step, double lotValue) {
      resultCapacity[i] = u;
      resultTaken[i] = x;
      resultBurden[i] = burden;
      resultStep[i] = step;
      resultLotValue[i] = lotValue;
    }

    double resultCapacity(int i) {
      return resultCapacity[i];
    }

    double resultTaken(int i) {
      return resultTaken[i];
    }

    double resultBurden(int i) {
      return resultBurden[i];
    }

    double resultStep(int i) {
      return resultStep[i];
    }

    double resultLotValue(int i) {
      return resultLotValue[i];
    }

    void clear() {
      for (int k = 0; k < size; k++) {
        int i = hits[k];
        in[i] = false;
        money[i] = 0;
        lots[i] = 0;
      }
      size = 0;
    }
  }
}
