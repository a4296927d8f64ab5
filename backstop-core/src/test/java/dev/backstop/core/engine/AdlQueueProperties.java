package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.testing.Ddmin;
import dev.backstop.core.testing.Tries;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The ADL queue kept between commands ({@code AdlQueue}) over streams made for it: every venue
 * preset whose deleveraging is a queue, an empty insurance fund so that bankruptcies deleverage,
 * mostly small ticks that stay inside the queue's band of marks, with deposits, withdrawals,
 * trades, funding rounds and refused commands between them, and jumps that leave the band. The
 * core's tests run with {@code backstop.verifyDeleveragingSides}, so every use of a queue checks
 * each bound against the ledger and each selection against the policy's allocation on the whole
 * side; a failure there is an internal rejection, which this property refuses. A failing stream is
 * shrunk ({@link Ddmin}) and reported with its seed.
 */
class AdlQueueProperties {

  private static final int LENGTH = 400;
  private static final int TRIES = 20;
  private static final String A = "A";
  private static final String B = "B";

  /** The presets whose bankruptcies deleverage by a queue. */
  static List<String> queuePresets() {
    List<String> out = new ArrayList<>();
    for (String name : MarketPresets.names()) {
      MarketConfig config = MarketPresets.get(name, "fund");
      if (config.backstop().resolution() instanceof BackstopSpec.Resolution.Deleverage d
          && d.policy().rankingScore() != null) {
        out.add(name);
      }
    }
    return out;
  }

  @Test
  void theKeptQueueIsTheLedgersQueueAfterEveryCommand(TestInfo test) {
    List<String> presets = queuePresets();
    assertThat(presets).contains("bitmex", "binance", "hyperliquid");
    long[] offsetting = new long[1];
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          for (String preset : presets) {
            List<Command> commands = generate(preset, seed);
            Ddmin.shrinkOnFailure(commands, stream -> offsetting[0] += run(preset, seed, stream));
          }
        });
    // The property is about deleveraging: the streams must deleverage, and often.
    System.out.println("deleveraging fills: " + offsetting[0]);
    assertThat(offsetting[0]).isGreaterThan(50L * presets.size());
  }

  /** What a sink throws to roll its command back. */
  private static final class AbandonedCommand extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Applies the stream; fails on an internal rejection; returns the deleveraging fills. */
  private static long run(String preset, long seed, List<Command> stream) {
    Engine engine = new Engine();
    long fills = 0;
    for (int i = 0; i < stream.size(); i++) {
      List<Event> events = new ArrayList<>();
      boolean abandoned = false;
      int[] seen = {0};
      int abandonAt = 1 + (i / 4) % 4;
      if (i % 4 == 0) {
        // Rolled back at its first to fourth deleveraging fill: what the queue read during the
        // command is undone, and the command, applied again, must meet the queue as the ledger is.
        try {
          engine.apply(
              stream.get(i),
              e -> {
                if (e instanceof Event.Offsetting && ++seen[0] == abandonAt) {
                  throw new AbandonedCommand();
                }
                events.add(e);
              });
        } catch (AbandonedCommand expected) {
          abandoned = true;
          events.clear();
        }
      }
      if (abandoned || i % 4 != 0) {
        events.addAll(engine.apply(stream.get(i)));
      }
      if (i % 8 == 7) {
        // The ranking's what-if on the queue's prefix is checked against the whole side's.
        try {
          engine.adlRanking(A);
        } catch (IllegalArgumentException unknownMarket) {
          // a shrunk stream that no longer creates the market
        }
      }
      for (Event e : events) {
        if (e instanceof Event.Rejected r && r.code() == RejectionCode.INTERNAL) {
          throw new AssertionError(
              preset + " seed " + seed + " command #" + i + " " + stream.get(i) + ": " + r,
              engine.lastInternalError());
        }
        if (e instanceof Event.Offsetting) {
          fills++;
        }
      }
    }
    return fills;
  }

  /** A stream for {@code preset}: two markets, 48 traders, ticks mostly inside 1%. */
  static List<Command> generate(String preset, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Command> out = new ArrayList<>();
    MarketConfig config = MarketPresets.get(preset, "fund");
    out.add(new Command.CreateMarket(A, config));
    out.add(new Command.CreateMarket(B, config));
    long[] marks = {1_000_000, 400_000}; // cents: 10,000 and 4,000
    out.add(price(A, marks[0]));
    out.add(price(B, marks[1]));
    out.add(new Command.Deposit("book", Decimal.parse("1000000000"), MarginRef.cross()));
    int traders = 48;
    for (int t = 0; t < traders; t++) {
      out.add(new Command.Deposit(name(t), money((20 + random.nextInt(400)) * 100L), margin(t, A)));
    }
    while (out.size() < LENGTH) {
      int draw = random.nextInt(100);
      int t = random.nextInt(traders);
      int m = random.nextInt(4) == 0 ? 1 : 0;
      String market = m == 0 ? A : B;
      if (draw < 30) {
        // a trade near the mark with the book, either way, levered up to about 50x
        long size = 1 + random.nextInt(200);
        boolean buy = random.nextBoolean();
        long px = marks[m] + (random.nextInt(21) - 10) * marks[m] / 1_000;
        String trader = name(t);
        MarginRef ref = m == 1 && t % 3 == 2 ? MarginRef.cross() : margin(t, market);
        out.add(
            new Command.Trade(
                market,
                buy ? trader : "book",
                buy ? "book" : trader,
                Decimal.ofUnits(size, 3),
                Decimal.ofUnits(px, 2),
                random.nextBoolean(),
                buy ? ref : MarginRef.cross(),
                buy ? MarginRef.cross() : ref));
      } else if (draw < 70) {
        // a small tick: inside the band of 1% for a while, sometimes past it
        int bps = random.nextInt(8) == 0 ? 80 : 25;
        long step = marks[m] * (random.nextInt(2 * bps + 1) - bps) / 10_000;
        marks[m] = Math.max(100, marks[m] + step);
        out.add(price(market, marks[m]));
      } else if (draw < 78) {
        // a jump
        long step = marks[m] * (random.nextInt(31) - 15) / 100;
        marks[m] = Math.max(100, marks[m] + step);
        out.add(price(market, marks[m]));
      } else if (draw < 86) {
        out.add(new Command.Deposit(name(t), money(random.nextInt(500) * 100L), margin(t, A)));
      } else if (draw < 92) {
        out.add(new Command.Withdraw(name(t), money(random.nextInt(800) * 100L), margin(t, A)));
      } else if (draw < 98) {
        // a funding round now and then, of up to 2% or up to 20%: a queue's bounds hold for one
        // funding index, and a payment of a fifth of the notional moves a score past any bound
        int cap = random.nextInt(3) == 0 ? 20_000 : 2_000;
        out.add(
            new Command.ApplyFunding(
                market, Decimal.ofUnits(random.nextInt(2 * cap + 1) - cap, 5)));
      } else {
        out.add(new Command.Deposit(name(t), money(-100), margin(t, A)));
      }
    }
    return out;
  }

  /** Traders 0 mod 3 trade A isolated, the others cross. */
  private static MarginRef margin(int trader, String market) {
    return trader % 3 == 0 ? MarginRef.isolated(market) : MarginRef.cross();
  }

  private static String name(int t) {
    return "t" + t;
  }

  private static Command price(String market, long cents) {
    return new Command.SetPrice(market, Decimal.ofUnits(cents, 2), null, null);
  }

  private static Decimal money(long cents) {
    return Decimal.ofUnits(cents, 2);
  }
}
