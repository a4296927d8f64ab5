package dev.backstop.core.engine;

import dev.backstop.core.command.MarginRef;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.IntArrayList;

/** Builds {@link EngineState} snapshots and the canonical state hash. */
final class StateView {

  private StateView() {}

  static EngineState build(Ledger ledger, Risk risk) {
    List<EngineState.Account> accounts = new ArrayList<>(ledger.containerCount());
    for (int c = 0; c < ledger.containerCount(); c++) {
      int owner = ledger.owner(c);
      boolean protectedLiquidity =
          ledger.marginRef(c).kind() == MarginRef.Kind.CROSS && ledger.isLiquidityProvider(owner);
      List<EngineState.Position> positions = new ArrayList<>();
      for (int p : positionsByMarket(ledger, c)) {
        MarketState m = ledger.market(ledger.posMarket(p));
        long size = ledger.posSize(p);
        long trigger = protectedLiquidity ? Long.MIN_VALUE : risk.triggerPrice(p);
        positions.add(
            new EngineState.Position(
                m.name,
                Engine.size(m, size),
                Engine.entryPrice(m, size, ledger.posCost(p)),
                Engine.money(risk.unrealized(p)),
                trigger == Long.MIN_VALUE ? null : Engine.price(m, trigger),
                Engine.price(m, risk.bankruptcyPrice(p))));
      }
      long equity = risk.equity(c);
      long maintenance = risk.maintenanceMargin(c);
      accounts.add(
          new EngineState.Account(
              ledger.accountName(owner),
              ledger.marginRef(c).toString(),
              Engine.money(ledger.cash(c)),
              Engine.money(equity),
              Engine.money(maintenance),
              Engine.money(risk.initialMargin(c)),
              positions.isEmpty() || equity <= 0
                  ? null
                  : Decimal.ofUnits(
                      Fixed.mulDiv(maintenance, Fixed.RATE_ONE, equity, RoundingMode.CEILING),
                      Fixed.RATE_DECIMALS),
              protectedLiquidity,
              List.copyOf(positions)));
    }
    List<EngineState.Fund> funds = new ArrayList<>();
    for (int f = 0; f < ledger.fundCount(); f++) {
      funds.add(new EngineState.Fund(ledger.fundName(f), Engine.money(ledger.fundBalance(f))));
    }
    List<EngineState.Market> markets = new ArrayList<>();
    for (int id = 0; id < ledger.marketCount(); id++) {
      MarketState m = ledger.market(id);
      long longs = 0;
      long shorts = 0;
      var it = m.holders.iterator();
      while (it.hasNext()) {
        long size = ledger.posSize(it.nextValue());
        if (size > 0) {
          longs = Math.addExact(longs, size);
        } else {
          shorts = Math.addExact(shorts, -size);
        }
      }
      markets.add(
          new EngineState.Market(
              m.name,
              m.config.preset(),
              Engine.price(m, m.mark),
              Engine.price(m, m.index),
              Engine.size(m, longs),
              Engine.size(m, shorts)));
    }
    return new EngineState(
        List.copyOf(accounts),
        List.copyOf(funds),
        List.copyOf(markets),
        Engine.money(ledger.global(Ledger.G_FEES)),
        Engine.money(ledger.global(Ledger.G_BAD_DEBT)),
        Engine.money(ledger.global(Ledger.G_DEPOSITED)),
        Engine.money(ledger.global(Ledger.G_WITHDRAWN)),
        Engine.money(ledger.global(Ledger.G_INSURANCE_FUNDED)),
        ledger.global(Ledger.G_TIME),
        hash(ledger));
  }

  /**
   * FNV-style 64-bit hash with a strong finaliser per word, over the state in canonical order:
   * globals, funds, markets, then containers by id with positions by market id.
   */
  static long hash(Ledger ledger) {
    Hasher h = new Hasher();
    for (int g = Ledger.G_FEES; g <= Ledger.G_TIME; g++) {
      h.add(ledger.global(g));
    }
    for (int f = 0; f < ledger.fundCount(); f++) {
      h.add(ledger.fundName(f).hashCode())
          .add(ledger.fundBalance(f))
          .add(ledger.drawdownActive(f) ? 1 : 0);
    }
    for (int id = 0; id < ledger.marketCount(); id++) {
      MarketState m = ledger.market(id);
      // Records' toString is canonical (enum names, not identity hashes), so it is stable
      // across JVMs.
      h.add(m.name.hashCode())
          .add(m.config.toString().hashCode())
          .add(m.fund)
          .add(m.mark)
          .add(m.index)
          .add(m.priceTime)
          .add(m.bookDepth);
    }
    for (int a = 0; a < ledger.accountCount(); a++) {
      h.add(ledger.isLiquidityProvider(a) ? 1 : 0);
    }
    for (int c = 0; c < ledger.containerCount(); c++) {
      h.add(ledger.accountName(ledger.owner(c)).hashCode())
          .add(ledger.marginRef(c).toString().hashCode())
          .add(ledger.cash(c));
      for (int p : positionsByMarket(ledger, c)) {
        h.add(ledger.posMarket(p)).add(ledger.posSize(p)).add(ledger.posCost(p));
      }
    }
    return h.value;
  }

  private static int[] positionsByMarket(Ledger ledger, int container) {
    IntArrayList ps = ledger.positions(container);
    int[] a = ps.toIntArray();
    // Insertion sort by market id: a container holds few positions.
    for (int i = 1; i < a.length; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= 0 && ledger.posMarket(a[j]) > ledger.posMarket(v)) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
    return a;
  }

  private static final class Hasher {
    long value = 0xcbf29ce484222325L;

    Hasher add(long word) {
      long x = word + 0x9E3779B97F4A7C15L;
      x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
      x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
      x ^= x >>> 31;
      value = (value ^ x) * 0x100000001b3L;
      return this;
    }
  }
}
