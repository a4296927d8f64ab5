package dev.backstop.sim.scenario;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Fixed;
import dev.backstop.sim.csv.CsvReader;
import dev.backstop.sim.io.FileErrors;
import dev.backstop.sim.num.Units;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The traders of a scenario, in the market's own units: each has a deposit (money units), a signed
 * position (lots) and an entry price (ticks). Every policy's run opens exactly these positions,
 * each trader taking from the makers at its entry price while the mark is the path's first price,
 * so every run starts from the same book.
 */
public final class Population {

  /** The columns of a population file, in the documented order. */
  private static final List<String> CSV_COLUMNS =
      List.of("account", "side", "size", "entry_price", "collateral");

  private final String[] names;
  private final long[] deposits;
  private final long[] lots;
  private final long[] entries;

  private Population(String[] names, long[] deposits, long[] lots, long[] entries) {
    this.names = names;
    this.deposits = deposits;
    this.lots = lots;
    this.entries = entries;
  }

  /** The number of traders. */
  public int size() {
    return names.length;
  }

  /** The trader's account name. */
  public String name(int i) {
    return names[i];
  }

  /** The deposit, money units. */
  public long deposit(int i) {
    return deposits[i];
  }

  /** The signed position, lots: {@code long > 0}, {@code short < 0}. */
  public long lots(int i) {
    return lots[i];
  }

  /** The entry price, ticks. */
  public long entry(int i) {
    return entries[i];
  }

  /**
   * Draws a seeded synthetic population for a market whose first mark is {@code startTicks}.
   *
   * <p>Per trader: equity at the start {@code Q} (log-normal), leverage {@code L} (log-normal,
   * capped at 95% of the largest leverage that the market's initial margin allows for the resulting
   * notional once the taker fee is paid), side (long with probability {@code longShare}), entry
   * {@code E = start * exp(N(mean, sigma))}. Size {@code q = L * Q / start} in whole lots (at least
   * one); the entry is pulled towards the start until the unrealized profit at the start is at most
   * {@code maxProfitShare * Q}; the deposit is {@code Q - q * (start - E)}, rounded up to the cent,
   * so the trader's equity at the start is {@code Q}.
   */
  public static Population synthetic(
      Scenario.SyntheticPopulation spec, MarketConfig market, long startTicks, long seed) {
    int n = spec.accounts();
    SplittableRandom random = new SplittableRandom(seed);
    String[] names = new String[n];
    long[] deposits = new long[n];
    long[] lots = new long[n];
    long[] entries = new long[n];
    long unit = market.notionalUnit();
    long lotValueAtStart = Math.multiplyExact(startTicks, unit); // money per lot at the start
    long cent = Fixed.pow10(Fixed.MONEY_DECIMALS - 2);
    int width = Integer.toString(n - 1).length();
    for (int i = 0; i < n; i++) {
      names[i] = "t" + pad(i, width);
      double equity = draw(random, spec.equity());
      double leverage = draw(random, spec.leverage());
      boolean isLong = random.nextDouble() < spec.longShare();
      double offset = spec.entry().mean() + spec.entry().sigma() * random.nextGaussian();
      long equityUnits = Math.max(cent, Math.round(equity * Fixed.pow10(Fixed.MONEY_DECIMALS)));
      long notional = Math.round(equityUnits * leverage);
      // Cap the leverage below the tier's initial-margin limit for this notional.
      long limit = market.tiers().tierFor(Math.max(1, notional)).maxLeverage();
      double fee = (double) market.takerFeeRate() / Fixed.RATE_ONE;
      double cap = 0.95 / (1.0 / limit + fee);
      if (leverage > cap) {
        notional = Math.round(equityUnits * cap);
      }
      long q = Math.max(1, notional / lotValueAtStart);
      long entry = Math.max(1, Math.round(startTicks * Math.exp(offset)));
      // Profit at the start in money units: q * (start - entry) * unit for a long.
      long maxProfit = (long) (spec.maxProfitShare() * equityUnits);
      long profitPerTick = Math.multiplyExact(q, unit);
      long gainTicks = isLong ? startTicks - entry : entry - startTicks;
      if (gainTicks > 0 && (double) gainTicks * profitPerTick > maxProfit) {
        long allowed = maxProfit / profitPerTick;
        entry = isLong ? startTicks - allowed : startTicks + allowed;
        gainTicks = allowed;
      }
      long profit = Math.multiplyExact(gainTicks, profitPerTick);
      long deposit = Math.subtractExact(equityUnits, profit);
      deposits[i] = Math.max(cent, Fixed.divide(deposit, cent, RoundingMode.CEILING) * cent);
      lots[i] = isLong ? q : -q;
      entries[i] = entry;
    }
    return new Population(names, deposits, lots, entries);
  }

  /**
   * Reads a population file: CSV with the header {@code account,side,size,entry_price,collateral}
   * (side {@code long} or {@code short}; size, entry price and collateral positive decimals in the
   * market's units; collateral is the deposit). Extra columns are ignored, blank lines skipped.
   *
   * @throws ScenarioException naming the file, line and column at fault
   */
  public static Population csv(Path file, MarketConfig market) {
    List<String> names = new ArrayList<>();
    List<long[]> rows = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      CsvReader<ScenarioException> csv =
          CsvReader.of(in, file.toString(), ScenarioException::new).skippingBlankLines();
      csv.readHeader();
      csv.require(CSV_COLUMNS);
      int account = csv.column("account");
      int side = csv.column("side");
      int size = csv.column("size");
      int entry = csv.column("entry_price");
      int collateral = csv.column("collateral");
      for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
        String where = row.where();
        String name = row.get(account).trim();
        if (name.isEmpty() || !seen.add(name)) {
          throw new ScenarioException(where + ", column account: empty or repeated '" + name + "'");
        }
        String s = row.get(side).trim();
        if (!s.equals("long") && !s.equals("short")) {
          throw new ScenarioException(where + ", column side: '" + s + "' is not long or short");
        }
        long q = units(row.get(size), market.sizeDecimals(), where, "size");
        long e = units(row.get(entry), market.priceDecimals(), where, "entry_price");
        long c = units(row.get(collateral), Fixed.MONEY_DECIMALS, where, "collateral");
        names.add(name);
        rows.add(new long[] {c, s.equals("long") ? q : -q, e});
      }
    } catch (IOException e) {
      throw new ScenarioException("population.csv " + FileErrors.describe(file, e), e);
    }
    if (rows.size() < 2) {
      throw new ScenarioException(file + ": a population needs at least two traders");
    }
    int n = rows.size();
    long[] deposits = new long[n];
    long[] lots = new long[n];
    long[] entries = new long[n];
    for (int i = 0; i < n; i++) {
      deposits[i] = rows.get(i)[0];
      lots[i] = rows.get(i)[1];
      entries[i] = rows.get(i)[2];
    }
    return new Population(names.toArray(String[]::new), deposits, lots, entries);
  }

  private static long units(String text, int decimals, String where, String column) {
    try {
      long v = Units.units(text, decimals);
      if (v <= 0) {
        throw new IllegalArgumentException("must be positive");
      }
      return v;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ScenarioException(
          where + ", column " + column + ": '" + text + "': " + e.getMessage());
    }
  }

  private static double draw(SplittableRandom random, Scenario.LogNormal d) {
    double v = d.median() * Math.exp(d.sigma() * random.nextGaussian());
    return Math.min(d.max(), Math.max(d.min(), v));
  }

  private static String pad(int i, int width) {
    String s = Integer.toString(i);
    return "0".repeat(width - s.length()) + s;
  }
}
