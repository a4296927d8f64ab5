package dev.backstop.bench;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import java.util.List;

/**
 * The populations the benchmarks measure, built the same way for the engine and for the plain
 * arrays of the baselines. Account {@code i} is long 0.01 BTC at 100,000 (1,000 of notional) on
 * BitMEX's preset, against the order book's account {@code book}; its collateral is between 20 and
 * 1,000 (1x to 50x), so no quiet tick between 100,000 and 100,050 liquidates anyone. The first
 * {@code k} accounts of a liquidation population hold only 12, which a tick to 99,000 liquidates. A
 * cross population also holds 0.25 ETH at 4,000 in the same cross margin account.
 */
final class Fixtures {
  static final String BTC = "BTC-PERP";
  static final String ETH = "ETH-PERP";
  static final MarginRef CROSS = MarginRef.cross();

  /** Prices and sizes in the baselines' fixed point: cents and ten-thousandths. */
  static final long BTC_PRICE = 100_000_00L;

  static final long BTC_SIZE = 100L;
  static final long ETH_PRICE = 4_000_00L;
  static final long ETH_SIZE = 2_500L;

  /** BitMEX's maintenance margin rate, 0.35%, in parts per million. */
  static final long MMR_PPM = 3_500L;

  /** A liquidation population's weak collateral, dollars. */
  static final long WEAK = 12;

  private Fixtures() {}

  static String name(int i) {
    return "a" + i;
  }

  /** The collateral of account {@code i}, whole dollars. */
  static long collateral(int i, int weak) {
    if (i < weak) {
      return WEAK;
    }
    return 20 + (i * 7_919L) % 981;
  }

  /** An engine with {@code n} accounts in BTC-PERP (and ETH-PERP when {@code cross}). */
  static Engine engine(int n, boolean cross, int weak) {
    return engine(n, cross, weak, "1000000");
  }

  /** The same, with an insurance fund of {@code fund} dollars (none when {@code "0"}). */
  static Engine engine(int n, boolean cross, int weak, String fund) {
    return engine(n, cross, weak, fund, "bitmex");
  }

  /** The same under another venue preset's market configuration. */
  static Engine engine(int n, boolean cross, int weak, String fund, String preset) {
    Engine engine = new Engine();
    MarketConfig config = MarketPresets.get(preset, MarketConfig.DEFAULT_INSURANCE_FUND);
    ok(engine, new Command.CreateMarket(BTC, config));
    ok(engine, new Command.SetPrice(BTC, Decimal.parse("100000"), null, null));
    if (cross) {
      ok(engine, new Command.CreateMarket(ETH, config));
      ok(engine, new Command.SetPrice(ETH, Decimal.parse("4000"), null, null));
    }
    ok(engine, new Command.Deposit("book", Decimal.parse("100000000000"), CROSS));
    if (!fund.equals("0")) {
      ok(engine, new Command.FundInsurance(BTC, Decimal.parse(fund)));
    }
    for (int i = 0; i < n; i++) {
      open(engine, i, weak, cross);
    }
    return engine;
  }

  /** Deposits account {@code i}'s collateral and opens its position(s). */
  static void open(Engine engine, int i, int weak, boolean cross) {
    long c = collateral(i, weak) * (cross ? 2 : 1);
    String a = name(i);
    ok(engine, new Command.Deposit(a, Decimal.parse(Long.toString(c)), CROSS));
    ok(engine, trade(BTC, a, "book", "0.01", "100000"));
    if (cross) {
      ok(engine, trade(ETH, a, "book", "0.25", "4000"));
    }
  }

  /** A fill, the seller (book) taking. */
  static Command.Trade trade(String market, String buyer, String seller, String size, String px) {
    return new Command.Trade(
        market, buyer, seller, Decimal.parse(size), Decimal.parse(px), false, CROSS, CROSS);
  }

  static Command.SetPrice price(String market, String mark) {
    return new Command.SetPrice(market, Decimal.parse(mark), null, null);
  }

  /** Applies and fails on a rejection: a benchmark of rejections would measure nothing. */
  static List<Event> ok(Engine engine, Command command) {
    List<Event> events = engine.apply(command);
    if (!events.isEmpty() && events.get(0) instanceof Event.Rejected r) {
      throw new IllegalStateException(command + " rejected: " + r.reason());
    }
    return events;
  }

  /** Counts the liquidations among events. */
  static int liquidations(List<Event> events) {
    // One liquidation order per liquidated position; its fills may span several of the book's
    // levels (one liquidated event each), so the orders are what to count.
    int count = 0;
    for (Event e : events) {
      if (e instanceof Event.LiquidationOrder o && o.unfilledSize().signum() == 0) {
        count++;
      }
    }
    return count;
  }

  /** Funded traders of the everyday mix ({@link MixBench}, {@link RunBench}). */
  static final int TRADERS = 1_000;

  /**
   * One command of the everyday mix: a trade of 0.01 at 100,000 from {@code seller} to {@code
   * buyer}, a deposit of 1.00 into {@code buyer}, or a quiet tick to 100,050 ({@code high}) or
   * 100,000; traders by number.
   */
  record MixStep(char kind, int buyer, int seller, boolean high) {}

  /**
   * The mix's fixed cycle, drawn once with a fixed seed: 70% trades between two traders drawn at
   * random, 25% deposits, 5% ticks alternating between 100,000 and 100,050.
   */
  static MixStep[] mix(int length) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(20261202L);
    MixStep[] steps = new MixStep[length];
    boolean high = false;
    for (int k = 0; k < length; k++) {
      int draw = random.nextInt(100);
      if (draw < 70) {
        int buyer = random.nextInt(TRADERS);
        int seller = (buyer + 1 + random.nextInt(TRADERS - 1)) % TRADERS;
        steps[k] = new MixStep('t', buyer, seller, false);
      } else if (draw < 95) {
        steps[k] = new MixStep('d', random.nextInt(TRADERS), -1, false);
      } else {
        high = !high;
        steps[k] = new MixStep('p', -1, -1, high);
      }
    }
    return steps;
  }

  /** Funds the mix's traders in the engine, 1,000,000,000 each. */
  static void fundTraders(Engine engine) {
    for (int t = 0; t < TRADERS; t++) {
      ok(engine, new Command.Deposit("t" + t, Decimal.parse("1000000000"), CROSS));
    }
  }

  /**
   * A fill of 0.01 at 100,000 in the baselines' maps ({@code {cash, size, cost}} in cents and
   * ten-thousandths): size and cost of both sides and the seller's taker fee (0.075%).
   */
  static long fillOnMaps(long[] buyer, long[] seller) {
    long notional = BTC_SIZE * BTC_PRICE / 10_000;
    buyer[1] += BTC_SIZE;
    buyer[2] += notional;
    seller[1] -= BTC_SIZE;
    seller[2] -= notional;
    seller[0] -= notional * 750 / 1_000_000;
    return buyer[1] + seller[0];
  }

  /** The same population as plain arrays: one position per account and market. */
  static final class Arrays {
    final long[] cash;
    final long[] size;
    final long[] entry;
    final long[] size2;
    final long[] entry2;

    Arrays(int n, boolean cross, int weak) {
      cash = new long[n];
      size = new long[n];
      entry = new long[n];
      size2 = new long[cross ? n : 0];
      entry2 = new long[cross ? n : 0];
      for (int i = 0; i < n; i++) {
        cash[i] = collateral(i, weak) * (cross ? 2 : 1) * 100;
        size[i] = BTC_SIZE;
        entry[i] = BTC_PRICE;
        if (cross) {
          size2[i] = ETH_SIZE;
          entry2[i] = ETH_PRICE;
        }
      }
    }

    /**
     * The BitMEX-shaped ADL score of every account at BTC mark {@code mark} (profit over collateral
     * times notional over collateral, in ppm) into {@code scores}, then sorted: what a deleveraging
     * that ranks the whole side from scratch does.
     */
    long sortedScores(long mark, long[] scores) {
      for (int i = 0; i < scores.length; i++) {
        long pnl = size[i] * (mark - entry[i]) / 10_000;
        long notional = size[i] * mark / 10_000;
        long equity = cash[i] + pnl;
        scores[i] = pnl * 1_000_000 / equity * notional / equity;
      }
      java.util.Arrays.sort(scores);
      return scores[0];
    }

    /**
     * Equity less maintenance margin of account {@code i} in cents at BTC mark {@code mark}, the
     * second market at its entry price; sizes in ten-thousandths.
     */
    long excess(int i, long mark) {
      long e = cash[i] + size[i] * (mark - entry[i]) / 10_000;
      long mm = size[i] * mark / 10_000 * MMR_PPM / 1_000_000;
      if (size2.length > 0) {
        mm += size2[i] * entry2[i] / 10_000 * MMR_PPM / 1_000_000;
      }
      return e - mm;
    }
  }

  /**
   * Before a deleveraging tick (not timed): the clock on ten minutes so that the book's depth has
   * come back, the mark at 101,000, and each account a deleveraging closed put back as it was, so
   * that every invocation meets the same population: long 0.01 at 100,000 again, and what the fill
   * paid it (0.01 times the fill price less 100,000) withdrawn.
   */
  static long beforeDeleveraging(Engine engine, long clock, List<Event.Offsetting> closed) {
    long next = clock + 600_000;
    ok(engine, new Command.AdvanceTime(next));
    ok(engine, price(BTC, "101000"));
    for (Event.Offsetting o : closed) {
      ok(engine, trade(BTC, o.account(), "book", "0.01", "100000"));
      java.math.BigDecimal gain =
          new java.math.BigDecimal(o.price().toString())
              .subtract(java.math.BigDecimal.valueOf(100_000))
              .multiply(new java.math.BigDecimal("0.01"));
      if (gain.signum() > 0) {
        ok(engine, new Command.Withdraw(o.account(), Decimal.parse(gain.toPlainString()), CROSS));
      }
    }
    closed.clear();
    return next;
  }

  /** The offsetting fills among a tick's events, added to {@code closed}. */
  static int offsettingFills(List<Event> events, List<Event.Offsetting> closed) {
    int fills = 0;
    for (Event e : events) {
      if (e instanceof Event.Offsetting o) {
        closed.add(o);
        fills++;
      }
    }
    return fills;
  }
}
