package dev.backstop.core.adl.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.num.Fixed;
import dev.backstop.core.testing.Gen;
import dev.backstop.core.testing.Tries;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class AllocationProperties {

  private static final int TRIES = 1_000;

  /** One position of a random book: long or short, prices in money units per lot. */
  record Row(boolean isLong, long size, long mark, long entry, long collateral, long score) {
    long pnl() {
      return (isLong ? 1 : -1) * size * (mark - entry);
    }
  }

  /** A book of 1 to 40 rows. */
  private static List<Row> rows(Gen gen) {
    return gen.lists(
        1,
        40,
        g ->
            new Row(
                g.booleans(),
                g.longs(1, 1_000_000),
                g.longs(1, 10_000_000),
                g.longs(1, 10_000_000),
                g.longs(-1_000_000_000L, 1_000_000_000_000L),
                g.longs(-3, 3)));
  }

  /** A target as a fraction of the total, in millionths. */
  private static long permille(Gen gen) {
    return gen.longs(0, 1_000_000);
  }

  /**
   * Builds the rows in the given order with ids that do not follow it, so that order independence
   * tests the id tie-break.
   */
  private static CandidateBook book(List<Row> rows, boolean reversed, boolean scores) {
    CandidateBook.Builder b = CandidateBook.builder(rows.size());
    for (int k = 0; k < rows.size(); k++) {
      int i = reversed ? rows.size() - 1 - k : k;
      Row r = rows.get(i);
      b.addPosition(
          (i * 7919L) % 10_007, r.pnl(), r.collateral() + r.pnl(), r.size(), r.mark(), r.entry());
      if (scores) {
        b.score(r.score());
      }
    }
    return b.build();
  }

  private static List<AllocationPolicy> policies(long seed) {
    return List.of(
        new QueuePolicy(QueueScore.BITMEX),
        new QueuePolicy(QueueScore.BINANCE),
        new QueuePolicy(QueueScore.HYPERLIQUID),
        new QueuePolicy(QueueScore.TRADOOR),
        new QueueFullPolicy(QueueScore.HYPERLIQUID),
        new ProRataPolicy(),
        new ContractProRataPolicy(),
        new RiskAwareProRataPolicy(),
        new RiskAwareProRataPolicy(RiskAwareProRataPolicy.RiskWeight.LEVERAGE_SQUARED),
        new MinMaxBurdenPolicy(),
        new WaterFillingPolicy(),
        new RandomPolicy(seed));
  }

  private static long limit(CandidateBook book, AllocationMode mode, int i) {
    return mode == AllocationMode.BUDGET ? book.capacity(i) : book.size(i);
  }

  /**
   * RAP needs a leverage for every candidate with capacity (equity must be positive for that), and
   * leverages whose squares fit in a long: at most 10,000 here.
   */
  private static boolean applicable(AllocationPolicy p, CandidateBook book, AllocationMode mode) {
    if (!p.supports(mode)) {
      return false;
    }
    if (p instanceof RiskAwareProRataPolicy) {
      for (int i = 0; i < book.count(); i++) {
        long leverage = book.leverage(i);
        if (book.capacity(i) > 0 && (leverage <= 0 || leverage > 10_000 * Fixed.RATE_ONE)) {
          return false;
        }
      }
    }
    return true;
  }

  /** What one try draws: a book's rows, whether it has scores, a target share, a policy seed. */
  private record Draw(List<Row> rows, boolean scores, long permille, long policySeed) {
    static Draw of(long seed) {
      Gen gen = new Gen(seed);
      return new Draw(
          AllocationProperties.rows(gen),
          gen.booleans(),
          AllocationProperties.permille(gen),
          gen.longs());
    }
  }

  /** What all candidates of a book can give in a mode. */
  private static long total(CandidateBook book, AllocationMode mode) {
    long total = 0;
    for (int i = 0; i < book.count(); i++) {
      total += limit(book, mode, i);
    }
    return total;
  }

  /** {@code perMillion} parts per million of {@code total}, rounded down. */
  private static long share(long total, long perMillion) {
    return Fixed.mulDiv(total, perMillion, 1_000_000, java.math.RoundingMode.FLOOR);
  }

  @Test
  void everyPolicyStaysWithinLimitsAndMeetsTheTarget(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Draw draw = Draw.of(seed);
          CandidateBook book = book(draw.rows(), false, draw.scores());
          for (AllocationMode mode : AllocationMode.values()) {
            long total = total(book, mode);
            // Targets from 0 to twice the total, so both the reachable and the short cases occur.
            long target = share(total, 2 * draw.permille());
            for (AllocationPolicy p : policies(draw.policySeed())) {
              if (!applicable(p, book, mode)) {
                continue;
              }
              Allocation a = Allocator.allocate(p, book, mode, target);
              long sum = 0;
              for (int i = 0; i < book.count(); i++) {
                long given = mode == AllocationMode.BUDGET ? a.amount(i) : a.sizeClosed(i);
                assertThat(given).as(p.name()).isBetween(0L, limit(book, mode, i));
                assertThat(a.amount(i)).isBetween(0L, book.capacity(i));
                assertThat(a.sizeClosed(i)).isBetween(0L, book.size(i));
                assertThat(a.burden(i)).isBetween(0L, Fixed.RATE_ONE);
                sum += given;
              }
              assertThat(a.taken()).isEqualTo(sum);
              long reachable = Math.min(target, total);
              if (p.mayOvershoot()) {
                assertThat(sum).isGreaterThanOrEqualTo(reachable);
                assertThat(a.overshoot()).isEqualTo(Math.max(sum - target, 0));
              } else {
                assertThat(sum).as(p.name() + " " + mode).isEqualTo(reachable);
                assertThat(a.overshoot()).isZero();
              }
            }
          }
        });
  }

  @Test
  void allocationsAreDeterministicAndIndependentOfTheBookOrder(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Draw draw = Draw.of(seed);
          CandidateBook book = book(draw.rows(), false, draw.scores());
          CandidateBook reversed = book(draw.rows(), true, draw.scores());
          int n = book.count();
          for (AllocationMode mode : AllocationMode.values()) {
            long total = total(book, mode);
            long target = share(total, draw.permille());
            List<AllocationPolicy> first = policies(draw.policySeed());
            List<AllocationPolicy> second = policies(draw.policySeed());
            for (int p = 0; p < first.size(); p++) {
              if (!applicable(first.get(p), book, mode)) {
                continue;
              }
              Allocation a = Allocator.allocate(first.get(p), book, mode, target);
              Allocation again = Allocator.allocate(second.get(p), book, mode, target);
              Allocation mirrored = Allocator.allocate(second.get(p), reversed, mode, target);
              for (int i = 0; i < n; i++) {
                int j = n - 1 - i;
                assertThat(again.amount(i)).isEqualTo(a.amount(i));
                assertThat(again.sizeClosed(i)).isEqualTo(a.sizeClosed(i));
                assertThat(mirrored.amount(j)).as(a.policy()).isEqualTo(a.amount(i));
                assertThat(mirrored.sizeClosed(j)).isEqualTo(a.sizeClosed(i));
                assertThat(mirrored.burden(j)).isEqualTo(a.burden(i));
              }
            }
          }
        });
  }

  /**
   * A queue's leaders are the whole story: allocating on the book cut to them gives every leader
   * what it gets from the whole book, in the same rank order, and every other candidate nothing.
   */
  @Test
  void aQueueTouchesOnlyItsLeaders(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Draw draw = Draw.of(seed);
          CandidateBook book = book(draw.rows(), false, draw.scores());
          // Up to a fifth of the side: a queue selects its leaders below a quarter, sorts above.
          long total = total(book, AllocationMode.SIZE);
          long target = share(total, draw.permille() / 5);
          int leading = 0;
          for (AllocationPolicy p : policies(draw.policySeed())) {
            int[] leaders = p.leaders(book, target);
            if (leaders == null) {
              continue;
            }
            leading++;
            CandidateBook cut = book.subset(leaders);
            Allocation whole = Allocator.allocate(p, book, AllocationMode.SIZE, target);
            Allocation part = Allocator.allocate(p, cut, AllocationMode.SIZE, target);
            boolean[] leader = new boolean[book.count()];
            for (int k = 0; k < leaders.length; k++) {
              leader[leaders[k]] = true;
              assertThat(part.sizeClosed(k)).as(p.spec()).isEqualTo(whole.sizeClosed(leaders[k]));
              assertThat(part.amount(k)).isEqualTo(whole.amount(leaders[k]));
            }
            for (int i = 0; i < book.count(); i++) {
              if (!leader[i]) {
                assertThat(whole.sizeClosed(i)).as(p.spec() + " outside the leaders").isZero();
              }
            }
            int[] ranked = p.rankOrder(book, whole);
            int[] rankedCut = p.rankOrder(cut, part);
            assertThat(rankedCut.length).isEqualTo(ranked.length);
            for (int r = 0; r < ranked.length; r++) {
              assertThat(leaders[rankedCut[r]]).isEqualTo(ranked[r]);
            }
          }
          assertThat(leading)
              .as("queue policies with leaders")
              .isEqualTo(target < total / 4 ? 5 : 0);
        });
  }

  /**
   * Sybil resistance, the property Chitra (arXiv 2512.01112) proves of capped pro rata: splitting a
   * winner into two accounts of the same leverage whose capacities add up to its own leaves every
   * haircut fraction unchanged. In integers each candidate gives its exact share rounded down or
   * up, so every other candidate's amount moves by at most one money unit, and the two parts
   * together give what the whole gave up to two. Checked for every policy that claims the property:
   * wealth pro rata and risk-aware pro rata with both weights.
   */
  @Test
  void splittingAWinnerInTwoChangesNoHaircut(TestInfo test) {
    List<AllocationPolicy> resistant =
        List.of(
            new ProRataPolicy(),
            new RiskAwareProRataPolicy(),
            new RiskAwareProRataPolicy(RiskAwareProRataPolicy.RiskWeight.LEVERAGE_SQUARED));
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Gen gen = new Gen(seed);
          int n = gen.ints(1, 40);
          long[] pnl = new long[n];
          long[] leverage = new long[n];
          for (int i = 0; i < n; i++) {
            pnl[i] =
                i == 0
                    ? gen.longs(2, 1_000_000_000_000L)
                    : gen.longs(-1_000_000_000L, 1_000_000_000_000L);
            leverage[i] = gen.longs(1, 10_000 * Fixed.RATE_ONE);
          }
          int k = gen.ints(0, n - 1);
          if (pnl[k] < 2) {
            k = 0;
          }
          long part = gen.longs(1, pnl[k] - 1);
          CandidateBook.Builder whole = CandidateBook.builder(n);
          CandidateBook.Builder split = CandidateBook.builder(n + 1);
          for (int i = 0; i < n; i++) {
            whole.add(i + 1, pnl[i], Math.abs(pnl[i]) + 1).leverage(leverage[i]);
            long given = i == k ? part : pnl[i];
            split.add(i + 1, given, Math.abs(given) + 1).leverage(leverage[i]);
          }
          split.add(n + 1, pnl[k] - part, pnl[k] - part + 1).leverage(leverage[k]);
          CandidateBook before = whole.build();
          CandidateBook after = split.build();
          long target = share(total(before, AllocationMode.BUDGET), permille(gen));
          for (AllocationPolicy p : resistant) {
            Allocation a = Allocator.allocate(p, before, AllocationMode.BUDGET, target);
            Allocation b = Allocator.allocate(p, after, AllocationMode.BUDGET, target);
            for (int i = 0; i < n; i++) {
              long gave = i == k ? b.amount(i) + b.amount(n) : b.amount(i);
              assertThat(Math.abs(gave - a.amount(i)))
                  .as("%s, candidate %d (split: %d)", p.spec(), i + 1, k + 1)
                  .isLessThanOrEqualTo(i == k ? 2L : 1L);
            }
          }
        });
  }

  /**
   * Water-filling's Sybil resistance (Campbell, Hey, Moallemi, Nutz, arXiv 2603.15963: the
   * risk-based rule is Sybil-resistant): splitting an account of {@code q} lots and equity {@code e
   * * q} into two of the same leverage ({@code q1} and {@code q2} lots, equities {@code e * q1} and
   * {@code e * q2}) leaves the water level where it was, up to one step of the rate grid. In whole
   * lots each account keeps {@code floor(eta * E / p)}, and the parts' floors fall short of the
   * whole's by at most one lot, so every other account's cut moves by at most one lot and the
   * parts' together by at most two.
   */
  @Test
  void splittingAnAccountInTwoLeavesTheWaterLevel(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Gen gen = new Gen(seed);
          int n = gen.ints(1, 30);
          long[] size = new long[n];
          long[] equityPerLot = new long[n];
          long[] mark = new long[n];
          for (int i = 0; i < n; i++) {
            size[i] = i == 0 ? gen.longs(2, 100_000) : gen.longs(1, 100_000);
            mark[i] = gen.longs(1, 1_000_000);
            // leverage mark / equityPerLot between 1/1000 and 1000
            equityPerLot[i] = Math.max(1, mark[i] * gen.longs(1, 1_000_000) / 1_000);
          }
          int k = gen.ints(0, n - 1);
          if (size[k] < 2) {
            k = 0;
          }
          long part = gen.longs(1, size[k] - 1);
          CandidateBook.Builder whole = CandidateBook.builder(n);
          CandidateBook.Builder split = CandidateBook.builder(n + 1);
          for (int i = 0; i < n; i++) {
            whole.addPosition(i + 1, size[i], equityPerLot[i] * size[i], size[i], mark[i], 0);
            long lots = i == k ? part : size[i];
            split.addPosition(i + 1, lots, equityPerLot[i] * lots, lots, mark[i], 0);
          }
          long rest = size[k] - part;
          split.addPosition(n + 1, rest, equityPerLot[k] * rest, rest, mark[k], 0);
          CandidateBook before = whole.build();
          CandidateBook after = split.build();
          long target = share(total(before, AllocationMode.SIZE), permille(gen));
          WaterFillingPolicy p = new WaterFillingPolicy();
          Allocation a = Allocator.allocate(p, before, AllocationMode.SIZE, target);
          Allocation b = Allocator.allocate(p, after, AllocationMode.SIZE, target);
          for (int i = 0; i < n; i++) {
            long cut = i == k ? b.sizeClosed(i) + b.sizeClosed(n) : b.sizeClosed(i);
            assertThat(Math.abs(cut - a.sizeClosed(i)))
                .as("candidate %d (split: %d)", i + 1, k + 1)
                .isLessThanOrEqualTo(i == k ? 2L : 1L);
          }
        });
  }

  @Test
  void minMaxHasTheSmallestLargestBurden(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Draw draw = Draw.of(seed);
          CandidateBook book = book(draw.rows(), false, false);
          for (AllocationMode mode : AllocationMode.values()) {
            long total = total(book, mode);
            long target = share(total, draw.permille());
            Allocation minMax = Allocator.allocate(new MinMaxBurdenPolicy(), book, mode, target);
            for (AllocationPolicy p : policies(draw.policySeed())) {
              if (applicable(p, book, mode) && !p.mayOvershoot()) {
                Allocation other = Allocator.allocate(p, book, mode, target);
                BigInteger[] mine = largestShare(book, mode, minMax);
                BigInteger[] theirs = largestShare(book, mode, other);
                assertThat(mine[0].multiply(theirs[1]))
                    .as(p.name())
                    .isLessThanOrEqualTo(theirs[0].multiply(mine[1]));
              }
            }
          }
        });
  }

  /** {@code max_i given_i / limit_i} exactly, as a fraction compared by cross-multiplying. */
  private static BigInteger[] largestShare(CandidateBook book, AllocationMode mode, Allocation a) {
    BigInteger[] best = {BigInteger.ZERO, BigInteger.ONE};
    for (int i = 0; i < book.count(); i++) {
      long limit = limit(book, mode, i);
      if (limit == 0) {
        continue;
      }
      long given = mode == AllocationMode.BUDGET ? a.amount(i) : a.sizeClosed(i);
      BigInteger num = BigInteger.valueOf(given);
      BigInteger den = BigInteger.valueOf(limit);
      if (num.multiply(best[1]).compareTo(best[0].multiply(den)) > 0) {
        best = new BigInteger[] {num, den};
      }
    }
    return best;
  }

  @Test
  void waterFillingLeavesNoHigherLeverageThanAnyOtherSplit(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Draw draw = Draw.of(seed);
          CandidateBook.Builder b = CandidateBook.builder(draw.rows().size());
          for (int i = 0; i < draw.rows().size(); i++) {
            Row r = draw.rows().get(i);
            // Positive equity and leverage at most 1000, well inside the rate scale's range.
            long equity =
                Math.abs(r.collateral()) + Math.abs(r.pnl()) + r.size() * r.mark() / 1000 + 1;
            b.addPosition(i, r.pnl(), equity, r.size(), r.mark(), r.entry());
          }
          CandidateBook book = b.build();
          long target = share(total(book, AllocationMode.SIZE), draw.permille());
          Allocation wf =
              Allocator.allocate(new WaterFillingPolicy(), book, AllocationMode.SIZE, target);
          for (AllocationPolicy p : policies(draw.policySeed())) {
            if (p.supports(AllocationMode.SIZE) && !p.mayOvershoot()) {
              Allocation other = Allocator.allocate(p, book, AllocationMode.SIZE, target);
              // The level is exact on the 10^-8 grid, so compare leverages rounded up to that grid.
              assertThat(largestLeverage(book, wf))
                  .as(p.name())
                  .isLessThanOrEqualTo(largestLeverage(book, other));
            }
          }
        });
  }

  private static BigInteger largestLeverage(CandidateBook book, Allocation a) {
    BigInteger max = BigInteger.ZERO;
    for (int i = 0; i < book.count(); i++) {
      BigInteger keptNotional =
          BigInteger.valueOf(book.size(i) - a.sizeClosed(i))
              .multiply(BigInteger.valueOf(book.markPrice(i)))
              .multiply(BigInteger.valueOf(Fixed.RATE_ONE));
      BigInteger equity = BigInteger.valueOf(book.equity(i));
      // Ceiling division: the leverage rounded up to the rate grid.
      max = max.max(keptNotional.add(equity).subtract(BigInteger.ONE).divide(equity));
    }
    return max;
  }
}
