package dev.backstop.core.engine;

import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.core.option.OptionPricing;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the {@link EngineState} view of the ledger for output and checks. */
final class StateView {

  private StateView() {}

  static EngineState build(Ledger ledger, OptionLedger options, Risk risk, long hash) {
    List<EngineState.MarginAccount> accounts = new ArrayList<>(ledger.marginAccountCount());
    for (int c = 0; c < ledger.marginAccountCount(); c++) {
      accounts.add(account(ledger, options, risk, c));
    }
    List<EngineState.Fund> funds = new ArrayList<>();
    for (int f = 0; f < ledger.fundCount(); f++) {
      funds.add(new EngineState.Fund(ledger.fundName(f), Decimal.money(ledger.fundBalance(f))));
    }
    List<EngineState.Market> markets = new ArrayList<>();
    for (int id = 0; id < ledger.marketCount(); id++) {
      markets.add(market(ledger, risk, ledger.market(id)));
    }
    return new EngineState(
        List.copyOf(accounts),
        List.copyOf(funds),
        List.copyOf(markets),
        Decimal.money(ledger.global(Ledger.G_FEES)),
        Decimal.money(ledger.global(Ledger.G_BAD_DEBT)),
        Decimal.money(ledger.global(Ledger.G_DEPOSITED)),
        Decimal.money(ledger.global(Ledger.G_WITHDRAWN)),
        Decimal.money(ledger.global(Ledger.G_INSURANCE_FUNDED)),
        ledger.global(Ledger.G_TIME),
        hash,
        options(ledger, options),
        optionPositions(ledger, options, risk));
  }

  private static List<EngineState.Option> options(Ledger ledger, OptionLedger options) {
    long now = ledger.global(Ledger.G_TIME);
    long[] open = new long[options.count()];
    for (int c : options.holders()) {
      for (Map.Entry<Integer, long[]> e : options.positionsOf(c).entrySet()) {
        if (e.getValue()[0] > 0) {
          open[e.getKey()] = Math.addExact(open[e.getKey()], e.getValue()[0]);
        }
      }
    }
    List<EngineState.Option> out = new ArrayList<>(options.count());
    for (int id = 0; id < options.count(); id++) {
      OptionLedger.Option o = options.option(id);
      MarketState u = ledger.market(o.underlying);
      boolean priced = u.mark != 0;
      long t = o.expiry - now;
      out.add(
          new EngineState.Option(
              o.name,
              u.name,
              WireName.of(o.kind),
              u.config.price(o.strike),
              o.expiry,
              Decimal.rate(o.volatility),
              priced ? u.config.price(options.mark(o, now)) : null,
              priced
                  ? Options.eight(OptionPricing.delta(o.kind, u.mark, o.strike, t, o.volatility))
                  : null,
              priced
                  ? Options.priceUnits(
                      u, OptionPricing.vegaPerPoint(u.mark, o.strike, t, o.volatility))
                  : null,
              u.config.size(open[id]),
              o.settled ? u.config.price(o.settlementPrice) : null));
    }
    return List.copyOf(out);
  }

  private static List<EngineState.OptionPosition> optionPositions(
      Ledger ledger, OptionLedger options, Risk risk) {
    long now = ledger.global(Ledger.G_TIME);
    List<EngineState.OptionPosition> out = new ArrayList<>();
    for (int c : options.holders()) {
      for (Map.Entry<Integer, long[]> e : options.positionsOf(c).entrySet()) {
        OptionLedger.Option o = options.option(e.getKey());
        MarketState u = ledger.market(o.underlying);
        long size = e.getValue()[0];
        double units = size / (double) Fixed.pow10(u.config.sizeDecimals());
        long t = o.expiry - now;
        double delta = OptionPricing.delta(o.kind, u.mark, o.strike, t, o.volatility);
        double vegaTicks = OptionPricing.vegaPerPoint(u.mark, o.strike, t, o.volatility);
        double vegaMoney = size * vegaTicks * u.config.notionalUnit();
        out.add(
            new EngineState.OptionPosition(
                ledger.accountName(ledger.owner(c)),
                ledger.marginRef(c).toString(),
                o.name,
                u.config.size(size),
                Engine.entryPrice(u, size, e.getValue()[1]),
                Decimal.money(risk.optionRisk().unrealized(o, e.getValue())),
                Options.eight(units * delta),
                Decimal.money(Math.round(vegaMoney))));
      }
    }
    return List.copyOf(out);
  }

  private static EngineState.MarginAccount account(
      Ledger ledger, OptionLedger options, Risk risk, int c) {
    List<EngineState.Position> positions = new ArrayList<>();
    for (int p : ledger.positions(c).toIntArray()) {
      MarketState m = ledger.market(ledger.posMarket(p));
      long size = ledger.posSize(p);
      long trigger = risk.triggerPrice(p);
      positions.add(
          new EngineState.Position(
              m.name,
              m.config.size(size),
              Engine.entryPrice(m, size, ledger.posCost(p)),
              Decimal.money(risk.unrealized(p)),
              Decimal.money(-risk.funding(p)),
              trigger == Long.MIN_VALUE ? null : m.config.price(trigger),
              m.config.price(risk.bankruptcyPrice(p))));
    }
    long equity = risk.equity(c);
    long maintenance = risk.maintenanceMargin(c);
    return new EngineState.MarginAccount(
        ledger.accountName(ledger.owner(c)),
        ledger.marginRef(c).toString(),
        Decimal.money(ledger.cash(c)),
        Decimal.money(equity),
        Decimal.money(maintenance),
        Decimal.money(risk.initialMargin(c)),
        (positions.isEmpty() && !options.holds(c)) || equity <= 0
            ? null
            : Decimal.rate(marginRatio(maintenance, equity)),
        ledger.role(ledger.owner(c)).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        List.copyOf(positions));
  }

  /** A market's prices and open interest (long size equals short size). */
  private static EngineState.Market market(Ledger ledger, Risk risk, MarketState m) {
    long longs = 0;
    long shorts = 0;
    long fundingPool = m.fundingPool;
    var it = m.holders.iterator();
    while (it.hasNext()) {
      int p = it.nextValue();
      long size = ledger.posSize(p);
      fundingPool = Math.addExact(fundingPool, risk.funding(p));
      if (size > 0) {
        longs = Math.addExact(longs, size);
      } else {
        shorts = Math.addExact(shorts, -size);
      }
    }
    long bids = 0;
    long asks = 0;
    long now = ledger.global(Ledger.G_TIME);
    for (Quote q : m.quotes) {
      long left = Math.max(0, q.total() - q.consumedAt(now, m.config.book().halfLifeMillis()));
      if (q.bid) {
        bids = Math.addExact(bids, left);
      } else {
        asks = Math.addExact(asks, left);
      }
    }
    return new EngineState.Market(
        m.name,
        m.config.preset(),
        m.config.price(m.mark),
        m.config.price(m.index),
        m.config.size(longs),
        m.config.size(shorts),
        m.config.liquidity().wireName(),
        Decimal.money(bids),
        Decimal.money(asks),
        Decimal.money(fundingPool));
  }

  /**
   * Maintenance margin over equity at rate scale, rounded up; saturated at {@code Long.MAX_VALUE}
   * when equity is a tiny fraction of the margin (a view must never fail).
   */
  private static long marginRatio(long maintenance, long equity) {
    try {
      return Fixed.mulDiv(maintenance, Fixed.RATE_ONE, equity, RoundingMode.CEILING);
    } catch (ArithmeticException tooLarge) {
      return Long.MAX_VALUE;
    }
  }
}
