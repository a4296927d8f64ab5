package dev.backstop.core.engine;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.core.option.OptionKind;
import dev.backstop.core.option.OptionPricing;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random command streams that drive a venue through crashes: one to three markets of one preset (or
 * of a preset each, in the {@link #MIXED} streams), 5-40 accounts with random deposits, an
 * insurance fund that is sometimes small enough to run dry, highly levered trades near mark (many
 * refused by the initial-margin check, many filled), reversals of earlier trades, isolated margin,
 * settlement pools with the liquidity provider (Variational Omni) and options traded in them (calls
 * and puts near the money, RFQ trades near the model premium, volatility updates, time passing
 * their expiry, expiries early and due), funding, time, withdrawals, price paths with jumps,
 * crashes of 10-60% and rebounds, and deliberately bad commands.
 *
 * <p>A stream is a pure function of (preset, seed, length), so a failing property names everything
 * needed to replay it.
 */
final class RandomStreams {

  private static final long USD = Fixed.pow10(Fixed.MONEY_DECIMALS);

  /** A generated stream and what it was generated from. */
  record Stream(String preset, long seed, List<Command> commands) {
    @Override
    public String toString() {
      return "Stream[" + preset + ", seed " + seed + ", " + commands.size() + " commands]";
    }
  }

  private final SplittableRandom random;
  private final String preset;
  private final List<Command> out = new ArrayList<>();
  private final List<String> markets = new ArrayList<>();
  private final List<MarketConfig> configs = new ArrayList<>();
  private final List<Long> marks = new ArrayList<>();
  private final List<String> accounts = new ArrayList<>();
  private final List<String> makers = new ArrayList<>();
  private final List<Long> deposits = new ArrayList<>();
  private final List<String> pools = new ArrayList<>();
  private final List<String> poolUsers = new ArrayList<>();
  private final String provider;

  /** The options listed in the pools' markets: what the generator needs to quote them. */
  private record Listed(String name, int market, OptionKind kind, long strike, long expiry) {}

  private final List<Listed> options = new ArrayList<>();

  /** Each listed option's volatility, rate units. */
  private final List<Long> vols = new ArrayList<>();

  /** Trades generated so far (trades or not), for unwinding later. */
  private final List<Command.Trade> trades = new ArrayList<>();

  /** The latest oracle time used. */
  private long time;

  /** The engine's clock: the latest {@code AdvanceTime}. */
  private long clock;

  /**
   * The name of a stream whose markets each take a preset of their own, drawn from every preset:
   * several venues' rules in one engine, sharing accounts, funds and the settlement pools'
   * provider.
   */
  static final String MIXED = "mixed";

  /** Every preset, then the mixed streams: what the properties run for each seed. */
  static List<String> presets() {
    List<String> all = new ArrayList<>(MarketPresets.names());
    all.add(MIXED);
    return all;
  }

  private RandomStreams(String preset, long seed) {
    this.random = new SplittableRandom(seed);
    this.preset = preset;
    this.provider =
        switch (MarketPresets.get(preset.equals(MIXED) ? "omni" : preset, "fund").liquidity()) {
          case LiquiditySpec.LpCounterparty lp -> lp.account();
          case LiquiditySpec.OrderBook book -> book.account();
        };
  }

  /** A stream of about {@code length} commands for a preset. */
  static Stream generate(String preset, long seed, int length) {
    RandomStreams g = new RandomStreams(preset, seed);
    g.setUp();
    while (g.out.size() < length) {
      g.step();
    }
    return new Stream(preset, seed, List.copyOf(g.out));
  }

  // ---------------------------------------------------------------- set-up

  private void setUp() {
    int marketCount = 1 + random.nextInt(3);
    boolean sharedFund = random.nextBoolean();
    for (int i = 0; i < marketCount; i++) {
      String name = "M" + i;
      String venue =
          preset.equals(MIXED)
              ? MarketPresets.names().get(random.nextInt(MarketPresets.names().size()))
              : preset;
      MarketConfig config = MarketPresets.get(venue, sharedFund ? "fund" : "fund-" + name);
      markets.add(name);
      configs.add(config);
      out.add(new Command.CreateMarket(name, config));
      // Start between 1 and 100000 (in dollars), so low-priced and high-priced markets both occur.
      long startDollars = (long) Math.pow(10, random.nextDouble(0, 5));
      long mark = Math.max(1, startDollars * Fixed.pow10(config.priceDecimals()));
      marks.add(mark);
      out.add(price(i, mark));
    }
    // The liquidity account has collateral too, so its equity is not just its PnL.
    out.add(new Command.Deposit(provider, money(dollars(10_000, 10_000_000)), MarginRef.cross()));
    // Makers of their own, resting ladders in the order-book markets (a rollback to check on LP
    // markets), and a liquidator vault with capital where a preset has one.
    for (int k = 0; k < 2; k++) {
      String maker = "mm" + k;
      makers.add(maker);
      out.add(new Command.Deposit(maker, money(dollars(1_000, 5_000_000)), MarginRef.cross()));
      for (int i = 0; i < marketCount; i++) {
        out.add(Command.Quote.depth(markets.get(i), maker, money(dollars(1_000, 5_000_000))));
      }
    }
    if (random.nextBoolean()) {
      out.add(
          new Command.Deposit(
              MarketPresets.HYPERLIQUID_VAULT,
              money(dollars(1_000, 5_000_000)),
              MarginRef.cross()));
    }
    int accountCount = 5 + random.nextInt(36);
    for (int i = 0; i < accountCount; i++) {
      String name = "a" + i;
      accounts.add(name);
      long amount = dollars(50, 50_000);
      deposits.add(amount);
      out.add(new Command.Deposit(name, money(amount), MarginRef.cross()));
    }
    for (int i = 0; i < marketCount; i++) {
      boolean small = random.nextInt(4) == 0;
      long amount = small ? dollars(1, 100) : dollars(1_000, 1_000_000);
      out.add(new Command.FundInsurance(markets.get(i), money(amount)));
    }
    if (provider.equals("olp")) {
      for (String user : accounts) {
        if (random.nextInt(3) > 0) {
          String pool = "pool-" + user;
          pools.add(pool);
          poolUsers.add(user);
          out.add(new Command.CreatePool(pool, user, provider));
          out.add(new Command.Deposit(user, money(dollars(50, 20_000)), MarginRef.pool(pool)));
          out.add(new Command.Deposit(provider, money(dollars(50, 50_000)), MarginRef.pool(pool)));
        }
      }
      if (!pools.isEmpty()) {
        listOptions();
      }
    }
  }

  /** One to four calls and puts within 20% of the money, expiring in a minute to 30 days. */
  private void listOptions() {
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      int m = random.nextInt(markets.size());
      OptionKind kind = random.nextBoolean() ? OptionKind.CALL : OptionKind.PUT;
      long strike = Math.max(1, Math.round(marks.get(m) * random.nextDouble(0.8, 1.2)));
      long expiry = clock + random.nextLong(60_000, 30L * 24 * 3_600_000);
      long vol = random.nextLong(10_000_000, 150_000_000);
      String name = "O" + i;
      options.add(new Listed(name, m, kind, strike, expiry));
      vols.add(vol);
      out.add(
          new Command.CreateOption(
              name,
              markets.get(m),
              kind,
              Decimal.ofUnits(strike, configs.get(m).priceDecimals()),
              expiry,
              Decimal.ofUnits(vol, Fixed.RATE_DECIMALS)));
    }
  }

  /**
   * An option command: most often an RFQ trade in a pool near the model premium (some outside the
   * band, some beyond the margin), else a volatility update, the clock moved past an expiry, or an
   * expiry (refused before its time).
   */
  private void optionStep() {
    int o = random.nextInt(options.size());
    Listed listed = options.get(o);
    int roll = random.nextInt(100);
    if (roll < 60) {
      optionTrade(listed, vols.get(o));
    } else if (roll < 80) {
      long vol = Math.max(1_000_000, Math.round(vols.get(o) * random.nextDouble(0.6, 1.6)));
      vols.set(o, vol);
      out.add(new Command.SetVolatility(listed.name(), Decimal.ofUnits(vol, Fixed.RATE_DECIMALS)));
    } else if (roll < 90) {
      time = Math.max(time, listed.expiry()) + random.nextInt(1_000);
      clock = time;
      out.add(new Command.AdvanceTime(clock));
    } else {
      out.add(new Command.ExpireOption(listed.name()));
    }
  }

  private void optionTrade(Listed listed, long vol) {
    int i = random.nextInt(pools.size());
    MarketConfig config = configs.get(listed.market());
    String user = poolUsers.get(i);
    long mark = marks.get(listed.market());
    // The model premium at a volatility within about +/-12% of the option's: mostly in the band.
    long quoted = Math.max(1, Math.round(vol * random.nextDouble(0.88, 1.12)));
    long premium =
        Math.max(
            1,
            OptionPricing.premium(
                listed.kind(),
                mark,
                listed.strike(),
                listed.expiry() - clock,
                quoted,
                java.math.RoundingMode.CEILING));
    long lots = levered(config, deposits.get(accounts.indexOf(user)) / 4, mark);
    boolean userBuys = random.nextBoolean();
    out.add(
        new Command.OptionTrade(
            listed.name(),
            userBuys ? user : provider,
            userBuys ? provider : user,
            Decimal.ofUnits(lots, config.sizeDecimals()),
            Decimal.ofUnits(premium, config.priceDecimals()),
            userBuys,
            pools.get(i)));
  }

  // ---------------------------------------------------------------- one step

  private void step() {
    if (!options.isEmpty() && random.nextInt(100) < 15) {
      optionStep();
      return;
    }
    int roll = random.nextInt(100);
    if (roll < 30) {
      trade();
    } else if (roll < 38 && !pools.isEmpty()) {
      poolTrade();
    } else if (roll < 62) {
      priceMove();
    } else if (roll < 69) {
      deposit();
    } else if (roll < 74) {
      withdraw();
    } else if (roll < 79) {
      int m = random.nextInt(markets.size());
      long rate = random.nextLong(-1_000_000, 1_000_001); // up to 1% either way
      out.add(new Command.ApplyFunding(markets.get(m), Decimal.ofUnits(rate, 8)));
    } else if (roll < 84) {
      time += random.nextLong(1, 3_600_000);
      clock = time;
      out.add(new Command.AdvanceTime(clock));
    } else if (roll < 87) {
      int m = random.nextInt(markets.size());
      out.add(new Command.FundInsurance(markets.get(m), money(dollars(1, 10_000))));
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
    boolean withProvider = b == s || random.nextInt(5) == 0;
    String buyer = accounts.get(b);
    String seller = withProvider ? provider : accounts.get(s);
    long capital = deposits.get(b);
    if (withProvider && random.nextBoolean()) {
      String t = buyer;
      buyer = seller;
      seller = t;
    }
    long ticks = nearMark(m);
    long lots = levered(config, capital, ticks);
    MarginRef buyerMargin = randomMargin(m);
    MarginRef sellerMargin = randomMargin(m);
    if (buyerMargin.kind() == MarginRef.Kind.ISOLATED) {
      // An isolated position needs its own collateral first.
      out.add(new Command.Deposit(buyer, money(capital / 4 + 1), buyerMargin));
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

  /**
   * The reverse of an earlier trade at today's price near mark: a reducing trade that can realize a
   * loss beyond what the account has left.
   */
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
    int m = random.nextInt(markets.size());
    MarketConfig config = configs.get(m);
    String user = poolUsers.get(i);
    MarginRef pool = MarginRef.pool(pools.get(i));
    long ticks = nearMark(m);
    long lots = levered(config, deposits.get(accounts.indexOf(user)) / 2, ticks);
    boolean userBuys = random.nextBoolean();
    Command.Trade trade =
        new Command.Trade(
            markets.get(m),
            userBuys ? user : provider,
            userBuys ? provider : user,
            Decimal.ofUnits(lots, config.sizeDecimals()),
            Decimal.ofUnits(ticks, config.priceDecimals()),
            userBuys,
            pool,
            pool);
    trades.add(trade);
    out.add(trade);
  }

  private MarginRef randomMargin(int m) {
    return random.nextInt(6) == 0 ? MarginRef.isolated(markets.get(m)) : MarginRef.cross();
  }

  /** Within 0.5% of mark, on the tick. */
  private long nearMark(int m) {
    long mark = marks.get(m);
    long spread = Math.max(1, mark / 200);
    return Math.max(1, mark + random.nextLong(-spread, spread + 1));
  }

  /** Lots for a notional of capital times a leverage up to a bit beyond the market's maximum. */
  private long levered(MarketConfig config, long capital, long ticks) {
    // Skewed towards moderate leverage; about one trade in ten asks for more than the maximum.
    double u = random.nextDouble();
    double leverage = 0.5 + config.tiers().maxLeverage() * 1.2 * u * u;
    double notional = capital * leverage;
    long perLot = Math.multiplyExact(ticks, config.notionalUnit());
    return Math.max(1, (long) (notional / perLot));
  }

  private void priceMove() {
    int m = random.nextInt(markets.size());
    long mark = marks.get(m);
    int kind = random.nextInt(20);
    double factor;
    if (kind == 0) {
      factor = 1 - random.nextDouble(0.10, 0.60); // crash
    } else if (kind == 1) {
      factor = 1 + random.nextDouble(0.10, 0.60); // squeeze
    } else if (kind <= 4) {
      factor = 1 + random.nextDouble(-0.08, 0.08); // jump
    } else if (kind <= 12) {
      factor = 1 + random.nextDouble(-0.01, 0.01); // drift
    } else {
      factor = 1 + random.nextDouble(-0.002, 0.002); // tick, to stop near the margin boundaries
    }
    long next = Math.max(1, Math.round(mark * factor));
    if (kind == 0) {
      // Crashes thin the book (LP-counterparty markets reject this: a rollback to check).
      String maker = makers.get(random.nextInt(makers.size()));
      out.add(
          Command.Quote.depth(
              markets.get(m),
              maker,
              money(random.nextInt(4) == 0 ? 0 : dollars(1_000, 2_000_000))));
    }
    marks.set(m, next);
    out.add(price(m, next));
    if (kind <= 1 && random.nextBoolean()) {
      // Rebound part of the way back.
      long rebound = Math.max(1, next + Math.round((mark - next) * random.nextDouble(0.2, 0.9)));
      marks.set(m, rebound);
      out.add(price(m, rebound));
    }
  }

  private Command price(int m, long mark) {
    time += random.nextInt(1_000);
    int decimals = configs.get(m).priceDecimals();
    Decimal index =
        random.nextBoolean()
            ? null
            : Decimal.ofUnits(Math.max(1, mark + random.nextLong(-10, 11)), decimals);
    return new Command.SetPrice(markets.get(m), Decimal.ofUnits(mark, decimals), index, time);
  }

  private void deposit() {
    int a = random.nextInt(accounts.size());
    long amount = dollars(10, 20_000);
    deposits.set(a, deposits.get(a) + amount);
    MarginRef margin = MarginRef.cross();
    int poolIndex = poolUsers.indexOf(accounts.get(a));
    if (poolIndex >= 0 && random.nextBoolean()) {
      margin = MarginRef.pool(pools.get(poolIndex));
      if (random.nextBoolean()) {
        out.add(new Command.Deposit(provider, money(amount), margin));
        return;
      }
    }
    out.add(new Command.Deposit(accounts.get(a), money(amount), margin));
  }

  private void withdraw() {
    int a = random.nextInt(accounts.size());
    long amount = dollars(1, Math.max(2, deposits.get(a) / USD));
    out.add(new Command.Withdraw(accounts.get(a), money(amount), MarginRef.cross()));
  }

  /** A command the engine must refuse. */
  private Command badCommand() {
    String market = markets.get(random.nextInt(markets.size()));
    String a = accounts.get(random.nextInt(accounts.size()));
    String b = accounts.get(random.nextInt(accounts.size()));
    Decimal one = Decimal.of(1);
    MarginRef cross = MarginRef.cross();
    return switch (random.nextInt(12)) {
      case 0 -> new Command.Trade(market, "nobody", b, one, one, true, cross, cross);
      case 1 -> new Command.SetPrice("no-market", one, null, time);
      case 2 -> new Command.CreateMarket(market, configs.get(0));
      case 3 -> new Command.Trade(market, a, b, Decimal.ZERO, one, true, cross, cross);
      case 4 -> new Command.Trade(market, a, a, one, one, true, cross, cross);
      case 5 -> new Command.SetPrice(market, Decimal.of(-5), null, time);
      case 6 -> new Command.Deposit(a, Decimal.ZERO, cross);
      case 7 -> new Command.Withdraw(a, Decimal.of(9_000_000_000_000L), cross);
      case 8 -> new Command.SetPrice(market, one, null, -1L);
      case 9 -> new Command.AdvanceTime(clock - 1 - random.nextInt(1_000));
      case 10 -> new Command.ApplyFunding(market, one);
      default -> new Command.Deposit(a, one, MarginRef.pool("no-pool"));
    };
  }

  // ---------------------------------------------------------------- numbers

  /** Log-uniform whole dollars in [low, high), money units. */
  private long dollars(long low, long high) {
    double d = Math.exp(random.nextDouble(Math.log(low), Math.log(high)));
    return Math.max(low, (long) d) * USD;
  }

  private static Decimal money(long units) {
    return Decimal.ofUnits(units, Fixed.MONEY_DECIMALS);
  }
}
