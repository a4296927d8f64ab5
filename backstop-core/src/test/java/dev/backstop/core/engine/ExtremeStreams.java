package dev.backstop.core.engine;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random command streams with the richer mix of the reliability audit (issue 16), beside the crash
 * streams of {@link RandomStreams}: two to four markets of a preset each in one engine (half the
 * streams with a Variational Omni market and settlement pools with its provider), marks that move
 * by up to 90% in one step either way or jump by orders of magnitude, positions of one lot beside
 * ones near the edge of the fixed-point range (notional close to {@code Long.MAX_VALUE}, where the
 * engine must refuse with {@code overflow}, never fail inside), deposits and fund top-ups near that
 * edge too, funding from a hundred-millionth to nearly 100%, prices whose oracle time is older than
 * the market's last (stale) or equal to it, long gaps with no price at all, order-book depth from
 * one micro-dollar to billions, free-margin requests, options in the pools (strikes from one tick
 * to a hundred times the mark, volatilities from a millionth to 1000%, expiries from a millisecond
 * to millennia away, premiums from the model's to the edge of the range, sizes near the edge), and
 * bad commands.
 *
 * <p>A stream is a pure function of (seed, length).
 */
final class ExtremeStreams {

  private static final long USD = Fixed.pow10(Fixed.MONEY_DECIMALS);

  /** A generated stream and the seed it came from. */
  record Stream(long seed, List<Command> commands) {
    @Override
    public String toString() {
      return "ExtremeStream[seed " + seed + ", " + commands.size() + " commands]";
    }
  }

  private final SplittableRandom random;
  private final List<Command> out = new ArrayList<>();
  private final List<String> markets = new ArrayList<>();
  private final List<MarketConfig> configs = new ArrayList<>();
  private final List<Long> marks = new ArrayList<>();
  private final List<Long> priceTimes = new ArrayList<>();
  private final List<String> accounts = new ArrayList<>();
  private final List<Long> deposits = new ArrayList<>();
  private final List<String> pools = new ArrayList<>();
  private final List<String> poolUsers = new ArrayList<>();
  private final List<Command.Trade> trades = new ArrayList<>();
  private final List<String> options = new ArrayList<>();
  private final List<long[]> optionTerms = new ArrayList<>();
  private String poolProvider;

  /** The latest oracle time used, and the engine's clock (the latest {@code AdvanceTime}). */
  private long time;

  private long clock;

  /**
   * The options' own generator: option commands are interleaved without drawing from {@link
   * #random}, so the rest of a stream is what it would be without them.
   */
  private final SplittableRandom optionRandom;

  private ExtremeStreams(long seed) {
    this.random = new SplittableRandom(seed);
    this.optionRandom = new SplittableRandom(seed ^ 0x6f7074696f6e73L);
  }

  /** A stream of about {@code length} commands. */
  static Stream generate(long seed, int length) {
    ExtremeStreams g = new ExtremeStreams(seed);
    g.setUp();
    while (g.out.size() < length) {
      g.step();
    }
    return new Stream(seed, List.copyOf(g.out));
  }

  // ---------------------------------------------------------------- set-up

  private void setUp() {
    List<String> presets = MarketPresets.names();
    int marketCount = 2 + random.nextInt(3);
    boolean withPools = random.nextBoolean();
    boolean sharedFund = random.nextBoolean();
    Set<String> liquidityAccounts = new LinkedHashSet<>();
    for (int i = 0; i < marketCount; i++) {
      String name = "X" + i;
      String venue = i == 0 && withPools ? "omni" : presets.get(random.nextInt(presets.size()));
      MarketConfig config = MarketPresets.get(venue, sharedFund ? "fund" : "fund-" + name);
      markets.add(name);
      configs.add(config);
      liquidityAccounts.add(liquidityAccount(config));
      if (venue.equals("omni")) {
        poolProvider = liquidityAccount(config);
      }
      out.add(new Command.CreateMarket(name, config));
      // From a cent to a million dollars: cheap and dear markets side by side.
      long mark = Math.max(1, Math.round(Math.pow(10, random.nextDouble(-2, 6)) * tick(i)));
      marks.add(mark);
      priceTimes.add(0L);
      out.add(price(i, mark, time));
    }
    for (String liquidity : liquidityAccounts) {
      out.add(new Command.Deposit(liquidity, money(dollars(10_000, 100_000_000)), cross()));
    }
    int accountCount = 4 + random.nextInt(17);
    for (int i = 0; i < accountCount; i++) {
      String name = "x" + i;
      accounts.add(name);
      long amount = random.nextInt(10) == 0 ? dollars(1, 10) : dollars(50, 5_000_000);
      deposits.add(amount);
      out.add(new Command.Deposit(name, money(amount), cross()));
    }
    for (int i = 0; i < marketCount; i++) {
      out.add(new Command.FundInsurance(markets.get(i), money(dollars(1, 1_000_000))));
    }
    if (poolProvider != null) {
      for (String user : accounts) {
        if (random.nextBoolean()) {
          String pool = "p-" + user;
          pools.add(pool);
          poolUsers.add(user);
          out.add(new Command.CreatePool(pool, user, poolProvider));
          out.add(new Command.Deposit(user, money(dollars(10, 200_000)), MarginRef.pool(pool)));
          out.add(
              new Command.Deposit(poolProvider, money(dollars(10, 200_000)), MarginRef.pool(pool)));
        }
      }
      if (!pools.isEmpty()) {
        listOptions();
      }
    }
  }

  /** One to three options on the Omni market: {kind (1 call), strike, expiry, volatility}. */
  private void listOptions() {
    int count = 1 + optionRandom.nextInt(3);
    for (int i = 0; i < count; i++) {
      long mark = marks.get(0);
      long strike =
          switch (optionRandom.nextInt(4)) {
            case 0 -> 1;
            case 1 -> Math.max(1, Math.round(mark * optionRandom.nextDouble(1, 100)));
            default -> Math.max(1, Math.round(mark * optionRandom.nextDouble(0.5, 1.5)));
          };
      long expiry =
          switch (optionRandom.nextInt(4)) {
            case 0 -> clock + 1;
            case 1 -> clock + optionRandom.nextLong(1L << 40, 1L << 55); // decades to a millennium
            default -> clock + optionRandom.nextLong(60_000, 60L * 86_400_000L);
          };
      long vol =
          optionRandom.nextInt(5) == 0
              ? 1 + optionRandom.nextInt(100)
              : optionRandom.nextLong(1_000_000, 1_000_000_001);
      boolean call = optionRandom.nextBoolean();
      String name = "XO" + i;
      options.add(name);
      optionTerms.add(new long[] {call ? 1 : 0, strike, expiry, vol});
      out.add(
          new Command.CreateOption(
              name,
              markets.get(0),
              call
                  ? dev.backstop.core.option.OptionKind.CALL
                  : dev.backstop.core.option.OptionKind.PUT,
              Decimal.ofUnits(strike, configs.get(0).priceDecimals()),
              expiry,
              Decimal.ofUnits(vol, Fixed.RATE_DECIMALS)));
    }
  }

  /**
   * An option command: a pool trade (model premium, one tick, or near the edge; one lot, near the
   * edge, or levered), a volatility from a hundred-millionth to just beyond 1000%, or an expiry.
   */
  private void optionStep() {
    int o = optionRandom.nextInt(options.size());
    long[] terms = optionTerms.get(o);
    int roll = optionRandom.nextInt(10);
    if (roll < 6) {
      int i = optionRandom.nextInt(pools.size());
      MarketConfig config = configs.get(0);
      String user = poolUsers.get(i);
      long model =
          dev.backstop.core.option.OptionPricing.premium(
              terms[0] == 1
                  ? dev.backstop.core.option.OptionKind.CALL
                  : dev.backstop.core.option.OptionKind.PUT,
              marks.get(0),
              terms[1],
              terms[2] - clock,
              terms[3],
              java.math.RoundingMode.CEILING);
      long premium =
          switch (optionRandom.nextInt(6)) {
            case 0 -> 1;
            case 1 -> Long.MAX_VALUE / (1 + optionRandom.nextInt(1_000));
            default -> Math.max(1, model);
          };
      long lots =
          optionLots(config, deposits.get(accounts.indexOf(user)) / 4, Math.max(1, premium));
      boolean userBuys = optionRandom.nextBoolean();
      out.add(
          new Command.OptionTrade(
              options.get(o),
              userBuys ? user : poolProvider,
              userBuys ? poolProvider : user,
              Decimal.ofUnits(lots, config.sizeDecimals()),
              Decimal.ofUnits(premium, config.priceDecimals()),
              userBuys,
              pools.get(i)));
    } else if (roll < 8) {
      long vol =
          switch (optionRandom.nextInt(3)) {
            case 0 -> 1;
            case 1 -> 1_000_000_000 + optionRandom.nextInt(2); // 1000%, and just beyond: refused
            default -> optionRandom.nextLong(1_000_000, 300_000_000);
          };
      if (vol <= 1_000_000_000) {
        terms[3] = vol;
      }
      out.add(new Command.SetVolatility(options.get(o), Decimal.ofUnits(vol, Fixed.RATE_DECIMALS)));
    } else {
      out.add(new Command.ExpireOption(options.get(o)));
    }
  }

  /** Lots of an option trade: one, near the edge of the range, or capital times a leverage. */
  private long optionLots(MarketConfig config, long capital, long premium) {
    long unit = config.notionalUnit();
    long perLot = premium > Long.MAX_VALUE / unit ? Long.MAX_VALUE : premium * unit;
    return switch (optionRandom.nextInt(6)) {
      case 0 -> 1;
      case 1 -> Math.max(1, Long.MAX_VALUE / perLot + optionRandom.nextInt(2));
      default -> Math.max(1, (long) (capital * optionRandom.nextDouble(0.1, 20) / perLot));
    };
  }

  // ---------------------------------------------------------------- one step

  private void step() {
    if (!options.isEmpty() && optionRandom.nextInt(100) < 12) {
      optionStep();
      return;
    }
    int roll = random.nextInt(100);
    if (roll < 24) {
      trade();
    } else if (roll < 32 && !pools.isEmpty()) {
      poolTrade();
    } else if (roll < 56) {
      priceMove();
    } else if (roll < 62) {
      deposit();
    } else if (roll < 66) {
      withdraw();
    } else if (roll < 72) {
      funding();
    } else if (roll < 77) {
      advanceTime();
    } else if (roll < 80) {
      long amount = random.nextInt(8) == 0 ? nearEdge() : dollars(1, 100_000);
      out.add(new Command.FundInsurance(market(), money(amount)));
    } else if (roll < 84) {
      depth();
    } else if (roll < 87 && poolProvider != null) {
      out.add(new Command.FreeLpMargin(poolProvider, money(dollars(1, 1_000_000))));
    } else if (roll < 93) {
      stalePrice();
    } else {
      out.add(badCommand());
    }
  }

  private void trade() {
    if (!trades.isEmpty() && random.nextInt(4) == 0) {
      unwind(trades.get(random.nextInt(trades.size())));
      return;
    }
    int m = random.nextInt(markets.size());
    MarketConfig config = configs.get(m);
    int b = random.nextInt(accounts.size());
    int s = random.nextInt(accounts.size());
    String liquidity = liquidityAccount(config);
    boolean withLiquidity = b == s || random.nextInt(4) == 0;
    String buyer = accounts.get(b);
    String seller = withLiquidity ? liquidity : accounts.get(s);
    if (withLiquidity && random.nextBoolean()) {
      String t = buyer;
      buyer = seller;
      seller = t;
    }
    long ticks = nearMark(m);
    long lots = size(config, deposits.get(b), ticks);
    MarginRef buyerMargin = random.nextInt(6) == 0 ? MarginRef.isolated(markets.get(m)) : cross();
    MarginRef sellerMargin = random.nextInt(6) == 0 ? MarginRef.isolated(markets.get(m)) : cross();
    if (buyerMargin.kind() == MarginRef.Kind.ISOLATED) {
      out.add(new Command.Deposit(buyer, money(deposits.get(b) / 3 + 1), buyerMargin));
    }
    Command.Trade trade =
        new Command.Trade(
            markets.get(m),
            buyer,
            seller,
            Decimal.ofUnits(lots, config.sizeDecimals()),
            Decimal.ofUnits(ticks, config.priceDecimals()),
            random.nextBoolean(),
            buyerMargin,
            sellerMargin);
    trades.add(trade);
    out.add(trade);
  }

  /** An earlier trade reversed at today's price: a reducing trade, often at a large loss. */
  private void unwind(Command.Trade earlier) {
    int m = markets.indexOf(earlier.market());
    out.add(
        new Command.Trade(
            earlier.market(),
            earlier.seller(),
            earlier.buyer(),
            earlier.size(),
            Decimal.ofUnits(nearMark(m), configs.get(m).priceDecimals()),
            random.nextBoolean(),
            earlier.sellerMargin(),
            earlier.buyerMargin()));
  }

  private void poolTrade() {
    int i = random.nextInt(pools.size());
    // pools live on the Omni market (the first), but a trade on another market is refused cleanly
    int m = random.nextInt(4) == 0 ? random.nextInt(markets.size()) : 0;
    MarketConfig config = configs.get(m);
    String user = poolUsers.get(i);
    MarginRef pool = MarginRef.pool(pools.get(i));
    long ticks = nearMark(m);
    long lots = size(config, deposits.get(accounts.indexOf(user)) / 2, ticks);
    boolean userBuys = random.nextBoolean();
    Command.Trade trade =
        new Command.Trade(
            markets.get(m),
            userBuys ? user : poolProvider,
            userBuys ? poolProvider : user,
            Decimal.ofUnits(lots, config.sizeDecimals()),
            Decimal.ofUnits(ticks, config.priceDecimals()),
            userBuys,
            pool,
            pool);
    trades.add(trade);
    out.add(trade);
  }

  /**
   * Lots for a trade: one lot (15%), a size whose notional is near the fixed-point edge (10%), or
   * capital times a leverage up to a bit beyond the market's maximum.
   */
  private long size(MarketConfig config, long capital, long ticks) {
    int kind = random.nextInt(20);
    long unit = config.notionalUnit();
    long perLot = ticks > Long.MAX_VALUE / unit ? Long.MAX_VALUE : ticks * unit;
    if (kind < 3) {
      return 1;
    }
    if (kind < 5) {
      long edge = Math.max(1, Long.MAX_VALUE / perLot);
      return switch (random.nextInt(4)) {
        case 0 -> edge;
        case 1 -> Math.max(1, edge / (2 + random.nextInt(1_000)));
        case 2 -> edge == Long.MAX_VALUE ? edge : edge + 1;
        default -> Long.MAX_VALUE / (1 + random.nextInt(10));
      };
    }
    double u = random.nextDouble();
    double leverage = 0.5 + config.tiers().maxLeverage() * 1.2 * u * u;
    return Math.max(1, (long) (capital * leverage / perLot));
  }

  private void priceMove() {
    int m = random.nextInt(markets.size());
    long mark = marks.get(m);
    int kind = random.nextInt(20);
    double factor =
        switch (kind) {
          case 0, 1 -> 1 - random.nextDouble(0.85, 0.9000001); // down 85-90% in one step
          case 2, 3 -> 1 + random.nextDouble(0.85, 0.9000001); // up 85-90%
          case 4 -> 1 - random.nextDouble(0.2, 0.6);
          case 5 -> 1 + random.nextDouble(0.2, 0.6);
          case 6 -> Math.pow(10, random.nextInt(1, 7)); // orders of magnitude, towards the edge
          case 7 -> Math.pow(10, -random.nextInt(1, 4));
          default -> 1 + random.nextDouble(-0.02, 0.02);
        };
    double next = mark * factor;
    long ticks = next >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, Math.round(next));
    if (kind == 0) {
      out.add(
          Command.Quote.depth(
              markets.get(m), liquidityAccount(configs.get(m)), money(dollars(1, 1_000_000))));
    }
    time += 1 + random.nextInt(2_000);
    time = Math.max(time, clock);
    out.add(price(m, ticks, time));
    marks.set(m, ticks);
    priceTimes.set(m, time);
    if (kind <= 3 && random.nextBoolean()) {
      // back part of the way, in the same second
      long back = Math.max(1, ticks + Math.round((mark - ticks) * random.nextDouble(0.1, 1.0)));
      out.add(price(m, back, time));
      marks.set(m, back);
    }
  }

  /** A price older than the market's last one (refused as stale), or as old (accepted). */
  private void stalePrice() {
    int m = random.nextInt(markets.size());
    long last = priceTimes.get(m);
    long at =
        random.nextBoolean() && last > 0
            ? last - 1 - random.nextInt((int) Math.min(last, 10_000))
            : last;
    long ticks = Math.max(1, Math.round(marks.get(m) * random.nextDouble(0.5, 1.5)));
    out.add(price(m, ticks, at));
  }

  private Command price(int m, long mark, long at) {
    int decimals = configs.get(m).priceDecimals();
    Decimal index =
        random.nextBoolean()
            ? null
            : Decimal.ofUnits(Math.max(1, mark + random.nextLong(-10, 11)), decimals);
    return new Command.SetPrice(markets.get(m), Decimal.ofUnits(mark, decimals), index, at);
  }

  private void funding() {
    long rate =
        switch (random.nextInt(5)) {
          case 0 -> random.nextBoolean() ? 1 : -1; // a hundred-millionth
          case 1 -> random.nextLong(-99_999_999, 100_000_000); // up to nearly 100%
          case 2 -> random.nextBoolean() ? Fixed.RATE_ONE : -Fixed.RATE_ONE; // refused
          default -> random.nextLong(-1_000_000, 1_000_001); // up to 1%
        };
    out.add(new Command.ApplyFunding(market(), Decimal.ofUnits(rate, Fixed.RATE_DECIMALS)));
  }

  /** A step of the clock: seconds, or days with no price in between (every mark goes stale). */
  private void advanceTime() {
    long step =
        random.nextInt(4) == 0
            ? random.nextLong(86_400_000L, 30 * 86_400_000L)
            : random.nextLong(1, 60_000);
    clock = Math.max(clock, time) + step;
    time = clock;
    out.add(new Command.AdvanceTime(clock));
  }

  private void depth() {
    long amount =
        switch (random.nextInt(3)) {
          case 0 -> 1; // one micro-dollar: the ladder's levels hold nearly nothing
          case 1 -> nearEdge();
          default -> dollars(1_000, 50_000_000);
        };
    String market = market();
    out.add(
        Command.Quote.depth(
            market,
            liquidityAccount(configs.get(markets.indexOf(market))),
            Decimal.ofUnits(amount, Fixed.MONEY_DECIMALS)));
  }

  /** The book's maker of an order-book market, the provider of an LP market. */
  private static String liquidityAccount(MarketConfig config) {
    return switch (config.liquidity()) {
      case dev.backstop.core.market.LiquiditySpec.LpCounterparty lp -> lp.account();
      case dev.backstop.core.market.LiquiditySpec.OrderBook book -> book.account();
    };
  }

  private void deposit() {
    int a = random.nextInt(accounts.size());
    long amount = random.nextInt(10) == 0 ? nearEdge() : dollars(1, 1_000_000);
    MarginRef margin = cross();
    int poolIndex = poolUsers.indexOf(accounts.get(a));
    if (poolIndex >= 0 && random.nextBoolean()) {
      margin = MarginRef.pool(pools.get(poolIndex));
      if (random.nextBoolean()) {
        out.add(new Command.Deposit(poolProvider, money(amount), margin));
        return;
      }
    }
    deposits.set(a, Math.min(Long.MAX_VALUE / 4, deposits.get(a) + amount));
    out.add(new Command.Deposit(accounts.get(a), money(amount), margin));
  }

  private void withdraw() {
    int a = random.nextInt(accounts.size());
    long amount = random.nextInt(6) == 0 ? 1 : dollars(1, Math.max(2, deposits.get(a) / USD));
    MarginRef margin = cross();
    int poolIndex = poolUsers.indexOf(accounts.get(a));
    if (poolIndex >= 0 && random.nextInt(3) == 0) {
      margin = MarginRef.pool(pools.get(poolIndex));
    }
    out.add(new Command.Withdraw(accounts.get(a), money(amount), margin));
  }

  /** A command the engine must refuse. */
  private Command badCommand() {
    String market = market();
    String a = accounts.get(random.nextInt(accounts.size()));
    String b = accounts.get(random.nextInt(accounts.size()));
    Decimal one = Decimal.of(1);
    MarginRef cross = cross();
    return switch (random.nextInt(8)) {
      case 0 -> new Command.Trade(market, "nobody", b, one, one, true, cross, cross);
      case 1 -> new Command.Trade(market, a, b, Decimal.ZERO, one, true, cross, cross);
      case 2 -> new Command.SetPrice(market, Decimal.ZERO, null, time);
      case 3 -> new Command.Withdraw(a, money(Long.MAX_VALUE), cross);
      case 4 -> new Command.AdvanceTime(clock - 1);
      case 5 -> new Command.Deposit(a, Decimal.of(-1), cross);
      case 6 -> new Command.CreatePool("p-" + a, a, a);
      default -> new Command.FreeLpMargin("nobody", one);
    };
  }

  // ---------------------------------------------------------------- numbers

  private String market() {
    return markets.get(random.nextInt(markets.size()));
  }

  private long tick(int m) {
    return Fixed.pow10(configs.get(m).priceDecimals());
  }

  /** Within 0.5% of mark, on the tick. */
  private long nearMark(int m) {
    long mark = marks.get(m);
    long spread = Math.max(1, mark / 200);
    long low = Math.max(1, mark - spread);
    long high = mark > Long.MAX_VALUE - spread ? Long.MAX_VALUE : mark + spread;
    return random.nextLong(low, high) + (random.nextBoolean() ? 0 : 1);
  }

  /** An amount of money units within a factor of a thousand of {@code Long.MAX_VALUE}. */
  private long nearEdge() {
    return Long.MAX_VALUE / (1 + random.nextInt(1_000));
  }

  /** Log-uniform whole dollars in [low, high), money units. */
  private long dollars(long low, long high) {
    double d = Math.exp(random.nextDouble(Math.log(low), Math.log(high)));
    return Math.max(low, (long) d) * USD;
  }

  private static Decimal money(long units) {
    return Decimal.ofUnits(units, Fixed.MONEY_DECIMALS);
  }

  private static MarginRef cross() {
    return MarginRef.cross();
  }
}
