package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backstop's published worked examples, with their numbers. */
class BackstopTest {

  private final Engine engine = new Engine();
  private final List<Event> events = new ArrayList<>();

  private void apply(Command c) {
    List<Event> out = engine.apply(c);
    assertThat(out).as(c.toString()).noneMatch(Event.Rejected.class::isInstance);
    events.addAll(out);
  }

  private static Decimal d(String s) {
    return Decimal.parse(s);
  }

  private <T extends Event> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private EngineState.Account account(String name) {
    return engine.state().accounts().stream()
        .filter(a -> a.account().equals(name) && a.margin().equals("cross"))
        .findFirst()
        .orElseThrow();
  }

  private void trade(String market, String buyer, String seller, String size, String price) {
    apply(
        new Command.Trade(
            market, buyer, seller, d(size), d(price), true, MarginRef.cross(), MarginRef.cross()));
  }

  /**
   * dYdX v4 (MECHANISMS.md, dYdX v4): A long 500 @ $1 and B short 500 @ $1, each with $100; the
   * price goes to $2. B's bankruptcy price is $1.20 (100 + 500 * (1 - P) = 0). No insurance fund
   * and no opposite account but A, so B is deleveraged against A at $1.20: A gains $100 (ends with
   * $200), B ends at $0.
   */
  @Test
  void dydxDeleveragesBAgainstAAtTheBankruptcyPrice() {
    MarketConfig config =
        MarketPresets.builder("dydx-v4", "if")
            .sizeDecimals(0)
            .priceDecimals(2)
            .takerFeeRate(0)
            .makerFeeRate(0)
            .build();
    apply(new Command.CreateMarket("X", config));
    apply(new Command.Deposit("A", d("100"), MarginRef.cross()));
    apply(new Command.Deposit("B", d("100"), MarginRef.cross()));
    apply(new Command.SetPrice("X", d("1"), null, null));
    trade("X", "A", "B", "500", "1");
    apply(new Command.SetPrice("X", d("2"), null, null));

    Event.Deleveraged deleveraged = all(Event.Deleveraged.class).getFirst();
    assertThat(deleveraged.account()).isEqualTo("B");
    assertThat(deleveraged.counterparty()).isEqualTo("A");
    assertThat(deleveraged.price()).isEqualTo(d("1.2"));
    assertThat(deleveraged.bankruptcyPrice()).isEqualTo(d("1.2"));
    assertThat(deleveraged.size()).isEqualTo(d("500"));
    assertThat(deleveraged.rule()).isEqualTo("random");
    Event.Offsetting offsetting = all(Event.Offsetting.class).getFirst();
    assertThat(offsetting.account()).isEqualTo("A");
    assertThat(offsetting.size()).isEqualTo(d("-500"));
    assertThat(offsetting.amount()).isEqualTo(d("400"));

    assertThat(account("A").equity()).isEqualTo(d("200"));
    assertThat(account("A").positions()).isEmpty();
    assertThat(account("B").equity()).isEqualTo(Decimal.ZERO);
    assertThat(account("B").positions()).isEmpty();
    assertThat(engine.state().badDebt()).isEqualTo(Decimal.ZERO);
    assertThat(all(Event.Liquidated.class)).isEmpty();
  }

  /**
   * Drift v2 (MECHANISMS.md; {@code resolve_perp_bankruptcy}): the fund and the fee pool are empty,
   * so the loss L is charged to every open position per unit of size, longs and shorts alike:
   * {@code delta = L / (baseLong + baseShort)}.
   *
   * <p>X is long 100 @ 10 with 100 of collateral; at mark 8 the book buys at 8 * (1 - 1bp - 0.5% *
   * 800 / 10M) = 7.9991968 -> 7.99, so X realizes -201 and is short 101. The open positions left
   * are S short 100, P long 200, Q short 200 (base 500), so delta = 0.202: S pays 20.2, P and Q
   * 40.4 each, exactly 101.
   */
  @Test
  void driftSocializesTheLossPerUnitOfSize() {
    MarketConfig config =
        MarketPresets.builder("drift-v2", "if")
            .sizeDecimals(0)
            .priceDecimals(2)
            .takerFeeRate(0)
            .makerFeeRate(0)
            .build();
    apply(new Command.CreateMarket("SOL", config));
    for (String a : List.of("X", "S", "P", "Q")) {
      apply(new Command.Deposit(a, d(a.equals("X") ? "100" : "10000"), MarginRef.cross()));
    }
    apply(new Command.SetPrice("SOL", d("10"), null, null));
    trade("SOL", "X", "S", "100", "10");
    trade("SOL", "P", "Q", "200", "10");
    apply(new Command.SetPrice("SOL", d("8"), null, null));

    Event.Liquidated liquidated = all(Event.Liquidated.class).getFirst();
    assertThat(liquidated.account()).isEqualTo("X");
    assertThat(liquidated.price()).isEqualTo(d("7.99"));
    List<Event.LossSocialized> shares = all(Event.LossSocialized.class);
    assertThat(shares)
        .extracting(Event.LossSocialized::account, Event.LossSocialized::amount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("S", d("20.2")),
            org.assertj.core.groups.Tuple.tuple("P", d("40.4")),
            org.assertj.core.groups.Tuple.tuple("Q", d("40.4")));
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.resolution()).isEqualTo("socialize");
    assertThat(applied.budgetNeeded()).isEqualTo(d("101"));
    assertThat(applied.residual()).isEqualTo(Decimal.ZERO);
    assertThat(account("X").equity()).isEqualTo(Decimal.ZERO);
    assertThat(engine.state().badDebt()).isEqualTo(Decimal.ZERO);
  }
}
