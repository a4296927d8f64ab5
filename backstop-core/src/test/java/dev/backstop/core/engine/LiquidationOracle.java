package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes a margin account's maintenance margin, and its margin check at a hypothetical mark of
 * one market, from the snapshot and the market configurations.
 */
final class LiquidationOracle {

  record MarketView(MarketConfig config, long mark) {}

  private final Map<String, MarketView> markets;
  private final EngineState.MarginAccount account;

  private LiquidationOracle(Map<String, MarketView> markets, EngineState.MarginAccount account) {
    this.markets = markets;
    this.account = account;
  }

  static Map<String, MarketView> markets(List<Command> commands, EngineState state) {
    Map<String, MarketConfig> configs = new HashMap<>();
    for (Command c : commands) {
      if (c instanceof Command.CreateMarket m) {
        configs.putIfAbsent(m.market(), m.config());
      }
    }
    Map<String, MarketView> views = new HashMap<>();
    for (EngineState.Market m : state.markets()) {
      MarketConfig config = configs.get(m.market());
      views.put(m.market(), new MarketView(config, m.mark().toUnits(config.priceDecimals())));
    }
    return views;
  }

  /**
   * Checks every margin account of {@code state} with positions: the engine's maintenance margin
   * and liquidatable flag against the recomputed ones, and each position's liquidation price
   * against the boundary of the recomputed check.
   */
  static void check(List<Command> commands, EngineState state, String where) {
    Map<String, MarketView> markets = markets(commands, state);
    java.util.Set<String> optionHolders = new java.util.HashSet<>();
    for (EngineState.OptionPosition p : state.optionPositions()) {
      optionHolders.add(p.account() + " " + p.margin());
    }
    for (EngineState.MarginAccount a : state.accounts()) {
      // A pool side holding options is scenario-margined, not indexed (OptionRisk).
      if (a.positions().isEmpty() || optionHolders.contains(a.account() + " " + a.margin())) {
        continue;
      }
      LiquidationOracle oracle = new LiquidationOracle(markets, a);
      String at = where + " " + a;
      assertThat(oracle.maintenanceMargin()).as(at).isEqualTo(units(a.maintenanceMargin()));
      boolean below = a.equity().compareTo(a.maintenanceMargin()) < 0;
      assertThat(oracle.liquidatable(null, 0)).as(at).isEqualTo(below);
      for (EngineState.Position p : a.positions()) {
        oracle.checkLiquidationPrice(p, at);
      }
    }
  }

  private static long units(Decimal money) {
    return money.toUnits(Fixed.MONEY_DECIMALS);
  }

  long maintenanceMargin() {
    long mm = 0;
    for (EngineState.Position p : account.positions()) {
      mm = Math.addExact(mm, maintenance(p, markets.get(p.market()).mark()));
    }
    return mm;
  }

  private long maintenance(EngineState.Position p, long ticks) {
    MarketConfig config = markets.get(p.market()).config();
    long lots = p.size().toUnits(config.sizeDecimals());
    return config.tiers().maintenanceMargin(Math.abs(lots * ticks * config.notionalUnit()));
  }

  /** Whether the account is below maintenance with {@code market}'s mark moved to {@code ticks}. */
  boolean liquidatable(String market, long ticks) {
    long equity = units(account.equity());
    long mm = 0;
    for (EngineState.Position p : account.positions()) {
      MarketView view = markets.get(p.market());
      long at = p.market().equals(market) ? ticks : view.mark();
      long lots = p.size().toUnits(view.config().sizeDecimals());
      equity += lots * (at - view.mark()) * view.config().notionalUnit();
      mm += maintenance(p, at);
    }
    return equity < mm;
  }

  void checkLiquidationPrice(EngineState.Position p, String where) {
    MarketView view = markets.get(p.market());
    boolean isLong = p.size().signum() > 0;
    if (p.liquidationPrice() == null) {
      if (isLong) {
        assertThat(liquidatable(p.market(), 1)).as(where + " " + p).isFalse();
      }
      return;
    }
    long trigger = p.liquidationPrice().toUnits(view.config().priceDecimals());
    assertThat(liquidatable(p.market(), trigger)).as(where + " at trigger " + p).isTrue();
    long lots = Math.abs(p.size().toUnits(view.config().sizeDecimals()));
    long searched =
        Math.min(1L << 50, (Long.MAX_VALUE / 4) / (lots * view.config().notionalUnit()));
    if (isLong && trigger == searched) {
      // The boundary lies beyond the range the engine searches (the position's value there nears
      // the long range); the index keys it to be crossed by every mark, so it is checked exactly.
      return;
    }
    long beyond = isLong ? trigger + 1 : trigger - 1;
    if (beyond >= 1) {
      assertThat(liquidatable(p.market(), beyond)).as(where + " past trigger " + p).isFalse();
    }
    // A position still below maintenance (nobody could take it yet) is past its trigger.
    boolean past = liquidatable(null, 0);
    if (isLong) {
      assertThat(view.mark() > trigger).as(where + " " + p).isNotEqualTo(past);
    } else {
      assertThat(view.mark() < trigger).as(where + " " + p).isNotEqualTo(past);
    }
  }
}
