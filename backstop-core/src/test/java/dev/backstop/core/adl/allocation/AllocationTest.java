package dev.backstop.core.adl.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.num.Fixed;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AllocationTest {

  private static long money(String decimal) {
    return Fixed.parse(decimal, Fixed.MONEY_DECIMALS);
  }

  private static long rate(String decimal) {
    return Fixed.parse(decimal, Fixed.RATE_DECIMALS);
  }

  private static long[] column(Allocation a, IntToLongFunction f) {
    return IntStream.range(0, a.count()).mapToLong(f).toArray();
  }

  private static long[] money(String... decimals) {
    long[] out = new long[decimals.length];
    for (int i = 0; i < decimals.length; i++) {
      out[i] = money(decimals[i]);
    }
    return out;
  }

  // Chitra, "Autodeleveraging: Impossibilities and Optimization" (arXiv 2512.01112), worked
  // example: e = (10, 5, 1, -3, -12), c = (2, 1, 0.5, 0, 0), so PnL = e - c and w = (8, 4, 0.5, 0,
  // 0).
  private static final String[] EQUITY = {"10", "5", "1", "-3", "-12"};
  private static final String[] CASH = {"2", "1", "0.5", "0", "0"};

  private static CandidateBook chitraBook(boolean queueScores) {
    // Supplied scores rank account 2 first, then 1, then 3.
    long[] scores = {rate("2"), rate("3"), rate("1"), rate("0"), rate("0")};
    CandidateBook.Builder b = CandidateBook.builder(5);
    for (int i = 0; i < 5; i++) {
      long equity = money(EQUITY[i]);
      b.add(i + 1, equity - money(CASH[i]), equity);
      if (queueScores) {
        b.score(scores[i]);
      }
    }
    return b.build();
  }

  private static long chitraBudget(CandidateBook book) {
    long deficit = 0;
    long capacity = 0;
    for (int i = 0; i < book.count(); i++) {
      deficit += Math.max(-book.equity(i), 0);
      capacity += book.capacity(i);
    }
    assertThat(deficit).isEqualTo(money("15"));
    assertThat(capacity).isEqualTo(money("12.5"));
    return deficit / 2; // theta = 1/2
  }

  private static long[] equitiesAfter(CandidateBook book, Allocation a) {
    return IntStream.range(0, book.count()).mapToLong(i -> book.equity(i) - a.amount(i)).toArray();
  }

  @Test
  void chitraQueueTakesAccountTwoFullyThenAccountOnePartly() {
    CandidateBook book = chitraBook(true);
    long budget = chitraBudget(book);
    assertThat(budget).isEqualTo(money("7.5"));

    Allocation a =
        Allocator.allocate(new QueuePolicy(QueueScore.BITMEX), book, AllocationMode.BUDGET, budget);

    assertThat(column(a, a::amount)).containsExactly(money("3.5", "4", "0", "0", "0"));
    assertThat(equitiesAfter(book, a)).containsExactly(money("6.5", "1", "1", "-3", "-12"));
    assertThat(a.taken()).isEqualTo(budget);
    assertThat(a.overshoot()).isZero();
    assertThat(a.accountsHit()).isEqualTo(2);
    assertThat(a.maxBurden()).isEqualTo(Fixed.RATE_ONE); // account 2 gives all its PnL
    assertThat(a.burden(0)).isEqualTo(rate("0.4375")); // 3.5 / 8
  }

  @Test
  void chitraWealthProRataCutsEveryWinnerBySixtyPercent() {
    CandidateBook book = chitraBook(false);
    long budget = chitraBudget(book);

    Allocation a = Allocator.allocate(new ProRataPolicy(), book, AllocationMode.BUDGET, budget);

    assertThat(column(a, a::amount)).containsExactly(money("4.8", "2.4", "0.3", "0", "0"));
    assertThat(equitiesAfter(book, a)).containsExactly(money("5.2", "2.6", "0.7", "-3", "-12"));
    assertThat(column(a, a::burden)).containsExactly(rate("0.6"), rate("0.6"), rate("0.6"), 0, 0);
    assertThat(a.maxBurden()).isEqualTo(rate("0.6"));
    assertThat(a.accountsHit()).isEqualTo(3);
    assertThat(a.residual()).isZero();
  }

  @Test
  void minMaxEqualsProRataOnTheContinuousCase() {
    CandidateBook book = chitraBook(false);
    long budget = chitraBudget(book);

    Allocation minMax =
        Allocator.allocate(new MinMaxBurdenPolicy(), book, AllocationMode.BUDGET, budget);
    Allocation proRata =
        Allocator.allocate(new ProRataPolicy(), book, AllocationMode.BUDGET, budget);

    assertThat(column(minMax, minMax::amount)).containsExactly(column(proRata, proRata::amount));
    assertThat(minMax.maxBurden()).isEqualTo(rate("0.6"));
  }

  @Test
  void queueFullClosesWholePositionsAndReportsTheOvershoot() {
    CandidateBook book = chitraBook(true);

    Allocation a =
        Allocator.allocate(
            new QueueFullPolicy(QueueScore.BITMEX), book, AllocationMode.BUDGET, money("7.5"));

    // Account 2 (4) is not enough, account 1 (8) is closed fully too: 12 taken for 7.5.
    assertThat(column(a, a::amount)).containsExactly(money("8", "4", "0", "0", "0"));
    assertThat(a.taken()).isEqualTo(money("12"));
    assertThat(a.overshoot()).isEqualTo(money("4.5"));
  }

  @Test
  void integerMinMaxGivesTheRemainderWhereTheBurdenStaysLowest() {
    // Capacities 1000, 1, 1 micro-units, budget 500: both start from floor(h u) = (499, 0, 0) with
    // one
    // unit left. Pro rata (largest remainder) gives it to account 2 (burden 1); min-max to account
    // 1
    // (burden 500/1000 = 0.5, against 1/1 for the others).
    CandidateBook book =
        CandidateBook.builder(3).add(1, 1000, 1000).add(2, 1, 1).add(3, 1, 1).build();

    Allocation proRata = Allocator.allocate(new ProRataPolicy(), book, AllocationMode.BUDGET, 500);
    Allocation minMax =
        Allocator.allocate(new MinMaxBurdenPolicy(), book, AllocationMode.BUDGET, 500);

    assertThat(column(proRata, proRata::amount)).containsExactly(499, 1, 0);
    assertThat(proRata.maxBurden()).isEqualTo(Fixed.RATE_ONE);
    assertThat(column(minMax, minMax::amount)).containsExactly(500, 0, 0);
    assertThat(minMax.maxBurden()).isEqualTo(rate("0.5"));
  }

  @Test
  void riskAwareProRataWeighsByLeverageAndCapsAtCapacity() {
    // u = (10, 10), leverage (1, 3): h = tau * (1, 3), x = 10 h. Budget 8: tau = 0.2, x = (2, 6).
    // Budget 16: tau = 0.4 would give h = 1.2 to account 2, so it is capped at 10 and account 1
    // gives 6.
    CandidateBook book =
        CandidateBook.builder(2)
            .add(1, money("10"), money("20"))
            .leverage(rate("1"))
            .add(2, money("10"), money("20"))
            .leverage(rate("3"))
            .build();
    RiskAwareProRataPolicy rap = new RiskAwareProRataPolicy();

    Allocation small = Allocator.allocate(rap, book, AllocationMode.BUDGET, money("8"));
    Allocation large = Allocator.allocate(rap, book, AllocationMode.BUDGET, money("16"));

    assertThat(column(small, small::amount)).containsExactly(money("2", "6"));
    assertThat(column(large, large::amount)).containsExactly(money("6", "10"));
    // g(l) = l: weights (1, 9), budget 5: x = (0.5, 4.5).
    Allocation squared =
        Allocator.allocate(
            new RiskAwareProRataPolicy(RiskAwareProRataPolicy.RiskWeight.LEVERAGE_SQUARED),
            book,
            AllocationMode.BUDGET,
            money("5"));
    assertThat(column(squared, squared::amount)).containsExactly(money("0.5", "4.5"));
  }

  /**
   * The haircut of RAP is a fraction of the capacity, {@code h_i = min(1, tau * lambda_i)}, {@code
   * x_i = h_i * w_i} (Chitra, arXiv 2512.01112, corrected text, section "Risk-aware Policies
   * (RAP)"). Two winners of equal leverage 2 with PnL 100 and 10, budget 11: equal leverage gives
   * equal fractions, {@code h = 11 / 110 = 0.1}, so {@code x = (10, 1)}. Split the first into two
   * accounts of PnL 50 at the same leverage: {@code h} stays 0.1 and they give 5 each, 10 in all,
   * as before. (Capping an amount, {@code x_i = min(w_i, tau * lambda_i)}, gave (5.5, 5.5), and
   * after the split 11/3 to each of the three: the first winner's two accounts then gave 7.33.)
   */
  @Test
  void riskAwareProRataCutsAFractionOfCapacitySoASplitChangesNothing() {
    RiskAwareProRataPolicy rap = new RiskAwareProRataPolicy();
    CandidateBook whole =
        CandidateBook.builder(2)
            .add(1, money("100"), money("200"))
            .leverage(rate("2"))
            .add(2, money("10"), money("20"))
            .leverage(rate("2"))
            .build();
    CandidateBook split =
        CandidateBook.builder(3)
            .add(1, money("50"), money("100"))
            .leverage(rate("2"))
            .add(2, money("10"), money("20"))
            .leverage(rate("2"))
            .add(3, money("50"), money("100"))
            .leverage(rate("2"))
            .build();

    Allocation before = Allocator.allocate(rap, whole, AllocationMode.BUDGET, money("11"));
    Allocation after = Allocator.allocate(rap, split, AllocationMode.BUDGET, money("11"));

    assertThat(column(before, before::amount)).containsExactly(money("10", "1"));
    assertThat(column(after, after::amount)).containsExactly(money("5", "1", "5"));
    assertThat(column(before, before::burden)).containsExactly(rate("0.1"), rate("0.1"));
  }

  /**
   * Unequal leverage and capacity: {@code w = (100, 10)}, {@code lambda = (1, 4)}, so {@code h =
   * tau * (1, 4)} and {@code x = tau * (100, 40)}. Budget 28: {@code tau = 28 / 140 = 0.2}, {@code
   * h = (0.2, 0.8)}, {@code x = (20, 8)}. Budget 45: {@code tau * 4 >= 1} for the second (45 * 4 =
   * 180 >= 140), so it gives its whole 10; the first gives the remaining 35 ({@code tau = 0.35},
   * and 0.35 * 4 = 1.4 >= 1 confirms the cap).
   */
  @Test
  void riskAwareProRataCapsTheFractionAtOne() {
    CandidateBook book =
        CandidateBook.builder(2)
            .add(1, money("100"), money("100"))
            .leverage(rate("1"))
            .add(2, money("10"), money("2.5"))
            .leverage(rate("4"))
            .build();
    RiskAwareProRataPolicy rap = new RiskAwareProRataPolicy();

    Allocation small = Allocator.allocate(rap, book, AllocationMode.BUDGET, money("28"));
    Allocation large = Allocator.allocate(rap, book, AllocationMode.BUDGET, money("45"));

    assertThat(column(small, small::amount)).containsExactly(money("20", "8"));
    assertThat(column(small, small::burden)).containsExactly(rate("0.2"), rate("0.8"));
    assertThat(column(large, large::amount)).containsExactly(money("35", "10"));
    assertThat(large.maxBurden()).isEqualTo(Fixed.RATE_ONE);
  }

  @Test
  void riskAwareProRataNeedsLeverage() {
    assertThatThrownBy(
            () ->
                Allocator.allocate(
                    new RiskAwareProRataPolicy(), chitraBook(false), AllocationMode.BUDGET, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leverage of candidate 1");
  }

  /**
   * Ethereal's strict chain (MECHANISMS.md): effective leverage, then uPnL, then the lowest
   * balance, then the newest account. Candidates 1 to 4 hold 10 lots at 10 (notional 100): 1 has
   * equity 50 (leverage 2, ranks first); 2, 3, 4 have equity 100 (leverage 1). 2 and 3 have PnL 20,
   * 4 has 10, so 4 comes last; 2 and 3 tie on PnL and on balance (80), so the newer, 3, comes
   * before 2.
   */
  @Test
  void etherealBreaksTiesByPnlThenBalanceThenNewestAccount() {
    long price = money("10");
    CandidateBook book =
        CandidateBook.builder(4)
            .addPosition(1, money("20"), money("50"), 10, price, money("8"))
            .addPosition(2, money("20"), money("100"), 10, price, money("8"))
            .addPosition(3, money("20"), money("100"), 10, price, money("8"))
            .addPosition(4, money("10"), money("100"), 10, price, money("9"))
            .build();
    Allocation a =
        Allocator.allocate(new QueuePolicy(QueueScore.ETHEREAL), book, AllocationMode.SIZE, 25);
    assertThat(column(a, a::sizeClosed)).containsExactly(10, 5, 10, 0);
  }

  /**
   * Three longs at mark 10 (one lot = one contract = 10 money), entry 8:
   *
   * <pre>
   *   A: 10 lots, equity 20 -> leverage 100/20 = 5
   *   B:  6 lots, equity 30 -> leverage  60/30 = 2
   *   C:  4 lots, equity 40 -> leverage  40/40 = 1
   * </pre>
   *
   * Q = 6: A is cut alone down to B's leverage: keeps 2 * 20 / 10 = 4 lots, x = (6, 0, 0), then A
   * and B are both at leverage 2. Q = 11: A keeps eta * 2 lots, B eta * 3, C min(4, eta * 4);
   * cutting 11 of 20 leaves 9 = 2 eta + 3 eta + 4 at eta = 1: x = (8, 3, 0), all three at the
   * common leverage 1 (2 * 10 / 20 = 3 * 10 / 30 = 4 * 10 / 40 = 1). Q = 10 has no integer common
   * level: keeping 10 lots needs eta = 4/3 (A keeps floor(8/3) = 2, B 4, C 4), so x = (8, 2, 0)
   * with leverages (1, 4/3, 1); any other split leaves someone above 4/3.
   */
  @Test
  void waterFillingCutsTheMostLeveredDownToACommonLeverage() {
    long price = money("10");
    long entry = money("8");
    CandidateBook book =
        CandidateBook.builder(3)
            .addPosition(1, 10 * (price - entry), money("20"), 10, price, entry)
            .addPosition(2, 6 * (price - entry), money("30"), 6, price, entry)
            .addPosition(3, 4 * (price - entry), money("40"), 4, price, entry)
            .build();
    WaterFillingPolicy policy = new WaterFillingPolicy();

    Allocation six = Allocator.allocate(policy, book, AllocationMode.SIZE, 6);
    Allocation eleven = Allocator.allocate(policy, book, AllocationMode.SIZE, 11);
    Allocation ten = Allocator.allocate(policy, book, AllocationMode.SIZE, 10);

    assertThat(column(six, six::sizeClosed)).containsExactly(6, 0, 0);
    assertThat(column(eleven, eleven::sizeClosed)).containsExactly(8, 3, 0);
    assertThat(column(ten, ten::sizeClosed)).containsExactly(8, 2, 0);
    // Closing 8 of 10 lots claws 80% of A's PnL of 20: 16.
    assertThat(ten.amount(0)).isEqualTo(money("16"));
    assertThat(ten.burden(0)).isEqualTo(rate("0.8"));
  }

  @Test
  void waterFillingCutsAccountsWithoutEquityFirst() {
    long price = money("10");
    CandidateBook book =
        CandidateBook.builder(2)
            .addPosition(1, money("5"), money("50"), 10, price, price - money("0.5"))
            .addPosition(2, money("5"), money("-1"), 10, price, price - money("0.5"))
            .build();

    Allocation a = Allocator.allocate(new WaterFillingPolicy(), book, AllocationMode.SIZE, 12);

    assertThat(column(a, a::sizeClosed)).containsExactly(2, 10);
  }

  @Test
  void contractProRataSharesWholeLotsBySize() {
    long price = money("10");
    CandidateBook book =
        CandidateBook.builder(3)
            .addPosition(1, money("1"), money("50"), 5, price, price - 1)
            .addPosition(2, money("1"), money("50"), 3, price, price - 1)
            .addPosition(3, money("1"), money("50"), 2, price, price - 1)
            .build();

    // 7 of 10 lots: exact shares 3.5, 2.1, 1.4 -> floors (3, 2, 1), one lot left to the largest
    // fraction (account 1).
    Allocation a = Allocator.allocate(new ContractProRataPolicy(), book, AllocationMode.SIZE, 7);

    assertThat(column(a, a::sizeClosed)).containsExactly(4, 2, 1);
    // Amounts round up: account 2 closes 2 of 3 lots of a PnL of 1: ceil(0.666666..) micro-units.
    assertThat(a.amount(1)).isEqualTo(666_667);
  }

  @Test
  void randomIsReproducibleFromItsSeedAndStopsAtTheIterationLimit() {
    CandidateBook.Builder b = CandidateBook.builder(50);
    for (int i = 0; i < 50; i++) {
      b.add(i, money("1"), money("10"));
    }
    CandidateBook book = b.build();

    Allocation first = Allocator.allocate(new RandomPolicy(42), book, AllocationMode.BUDGET, 3);
    Allocation again = Allocator.allocate(new RandomPolicy(42), book, AllocationMode.BUDGET, 3);
    Allocation limited =
        Allocator.allocate(new RandomPolicy(42, 2), book, AllocationMode.BUDGET, money("5"));

    assertThat(column(first, first::amount)).containsExactly(column(again, again::amount));
    assertThat(first.accountsHit()).isEqualTo(1);
    assertThat(limited.taken()).isEqualTo(money("2"));
    assertThat(limited.residual()).isEqualTo(money("3"));
  }

  @Test
  void rejectsWhatAPolicyOrBookCannotDo() {
    CandidateBook book = chitraBook(false);
    assertThatThrownBy(
            () -> Allocator.allocate(new WaterFillingPolicy(), book, AllocationMode.BUDGET, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not allocate by budget");
    assertThatThrownBy(
            () ->
                Allocator.allocate(
                    new QueuePolicy(QueueScore.BITMEX), book, AllocationMode.SIZE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a book with positions");
    assertThatThrownBy(
            () ->
                Allocator.allocate(
                    new QueuePolicy(QueueScore.BINANCE), book, AllocationMode.BUDGET, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs positions or supplied scores");
    assertThatThrownBy(() -> CandidateBook.builder(2).add(1, 0, 0).add(1, 0, 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate candidate id 1");
  }

  @Test
  void queueScoresFollowTheVenueFormulas() {
    // Long 1 contract, entry 100, mark 120, equity 40: PnL 20, N = 120, N0 = 100, margin 20.
    CandidateBook winner =
        CandidateBook.builder(1)
            .addPosition(1, money("20"), money("40"), 1, money("120"), money("100"))
            .build();
    // BitMEX: PnL% 0.2 * EffLev 3 = 0.6; Binance: (20/120 = 0.16666666) * 3 = 0.49999998;
    // Hyperliquid: 3 * 0.2 = 0.6; Tradoor: (20/20 = 1) * (120/20 = 6) = 6.
    assertThat(QueueScore.BITMEX.score(winner, 0)).isEqualTo(rate("0.6"));
    assertThat(QueueScore.BINANCE.score(winner, 0)).isEqualTo(rate("0.49999998"));
    assertThat(QueueScore.HYPERLIQUID.score(winner, 0)).isEqualTo(rate("0.6"));
    assertThat(QueueScore.TRADOOR.score(winner, 0)).isEqualTo(rate("6"));
    // Long 1 contract, entry 100, mark 80, equity 40: PnL -20, EffLev 80/40 = 2.
    CandidateBook loser =
        CandidateBook.builder(1)
            .addPosition(1, money("-20"), money("40"), 1, money("80"), money("100"))
            .build();
    assertThat(QueueScore.BITMEX.score(loser, 0)).isEqualTo(rate("-0.1")); // -0.2 / 2
    assertThat(QueueScore.HYPERLIQUID.score(loser, 0)).isZero();
  }

  /**
   * On a market with a tiny tick a position's cost per lot rounds down to 0 (and a reduction rounds
   * the remaining cost down): such a candidate is valid, and a score over its entry notional is
   * unbounded rather than a crash in the middle of a deleveraging ("candidate 7: size and prices
   * must be positive" before).
   */
  @Test
  void aCandidateWhoseEntryPriceRoundedToZeroIsRanked() {
    CandidateBook book =
        CandidateBook.builder(2)
            .addPosition(1, 9, 20, 9_830_326, 1, 0)
            .addPosition(2, 5, 20, 10, 1, 1)
            .build();
    assertThat(book.entryNotional(0)).isZero();
    assertThat(QueueScore.BITMEX.score(book, 0)).isEqualTo(Long.MAX_VALUE);
    Allocation a =
        Allocator.allocate(new QueuePolicy(QueueScore.BITMEX), book, AllocationMode.SIZE, 3);
    assertThat(a.sizeClosed(0)).isEqualTo(3);
    assertThat(a.sizeClosed(1)).isZero();
  }

  /**
   * dYdX v4 visits candidates cyclically by id from a random start; the ranks of its fills are the
   * places in that visit. With four candidates and a start at the last one, a two-lot target is
   * taken from candidate 4 and then 1: ranks 4 before 1, not id order.
   */
  @Test
  void theRandomPolicyRanksByItsVisitNotByTheIds() {
    long seed = 0;
    while (Long.remainderUnsigned(dev.backstop.core.num.SplitMix64.mix(seed), 4) != 3) {
      seed++;
    }
    CandidateBook.Builder b = CandidateBook.builder(4);
    for (int id = 1; id <= 4; id++) {
      b.addPosition(id, money("1"), money("10"), 1, money("100"), money("99"));
    }
    CandidateBook book = b.build();
    RandomPolicy random = new RandomPolicy(seed);
    Allocation a = Allocator.allocate(random, book, AllocationMode.SIZE, 2);
    int[] order = random.rankOrder(book, a);
    assertThat(order).hasSize(2);
    assertThat(book.id(order[0])).isEqualTo(4);
    assertThat(book.id(order[1])).isEqualTo(1);
  }
}
