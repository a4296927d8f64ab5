package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiquidationFlowTest {

  private final Engine engine = new Engine();
  private final List<Event> events = new ArrayList<>();

  private void run(Command c) {
    events.addAll(engine.apply(c));
  }

  private static Decimal d(String s) {
    return Decimal.parse(s);
  }

  @Test
  void aCrashLiquidatesTheLongTheFundCoversItsShortfallThenBadDebtIsRecorded() {
    run(
        new Command.CreateMarket(
            "BTC-PERP",
            MarketPresets.builder("bitmex", "BTC-PERP")
                .backstop(BackstopSpec.badDebtOnly())
                .build()));
    run(new Command.Deposit("a1", d("1000"), MarginRef.cross()));
    run(new Command.Deposit("a2", d("100000"), MarginRef.cross()));
    run(new Command.Deposit("book", d("1000000"), MarginRef.cross()));
    run(new Command.FundInsurance("BTC-PERP", d("50")));
    run(new Command.SetPrice("BTC-PERP", d("100000"), null, null));
    // a1 buys 0.5 BTC at 100000: notional 50000, 50x on 1000 of collateral.
    run(
        new Command.Trade(
            "BTC-PERP", "a1", "a2", d("0.5"), d("100000"), true, MarginRef.cross(), null));
    assertThat(events).noneMatch(e -> e instanceof Event.Rejected);
    // Mark falls 5%: a1's equity 1000 - 2500 - fee < 0: liquidated, shortfall.
    run(new Command.SetPrice("BTC-PERP", d("95000"), null, null));
    // Hand check: a1 paid the 0.075% taker fee (37.5), so cash 962.5. Bankruptcy price
    // (50000 - 962.5) / 0.5 = 98075: the order's limit, above every bid (the best 94990.50), so it
    // fills nothing. The fund takes the position over at 98075 with all it has (50); its account
    // is at 50 - 0.5 * 3075 = -1487.50, which nothing covers: bad debt. Offloading within 0.5% of
    // the mark, it sells 0.5 at 94990.50, realizing -1542.25 on 1537.50 of cash: 4.75 more.
    Event.LiquidationOrder order = only(Event.LiquidationOrder.class);
    assertThat(order.account()).isEqualTo("a1");
    assertThat(order.limitPrice()).isEqualTo(d("98075"));
    assertThat(order.unfilledSize()).isEqualTo(d("0.5"));
    Event.TakenOver takeover = only(Event.TakenOver.class);
    assertThat(takeover.taker()).isEqualTo("fund:BTC-PERP");
    assertThat(takeover.price()).isEqualTo(d("98075"));
    assertThat(takeover.collateral()).isEqualTo(d("50"));
    assertThat(events)
        .filteredOn(Event.BadDebtRecorded.class::isInstance)
        .extracting(e -> ((Event.BadDebtRecorded) e).amount())
        .containsExactly(d("1487.5"), d("4.75"));
    EngineState s = engine.state();
    assertThat(s.badDebt()).isEqualTo(d("1492.25"));
    assertThat(s.insuranceFunds().get(0).balance()).isEqualTo(Decimal.ZERO);
    assertThat(s.markets().get(0).longSize()).isEqualTo(s.markets().get(0).shortSize());
    // a2's short: equity 150000 - 0.5P meets MM 0.5P * 0.35% at P = 298953.66..., so the
    // lowest liquidatable tick is 298953.67; bankruptcy at 300000.
    EngineState.Position short2 =
        s.accounts().stream()
            .filter(a -> a.account().equals("a2"))
            .findFirst()
            .orElseThrow()
            .positions()
            .get(0);
    assertThat(short2.liquidationPrice()).isEqualTo(d("298953.67"));
    assertThat(short2.bankruptcyPrice()).isEqualTo(d("300000"));
  }

  @Test
  void aThinnerBookFillsTheSameLiquidationFurtherFromMark() {
    run(
        new Command.CreateMarket(
            "BTC-PERP",
            MarketPresets.builder("bitmex", "BTC-PERP")
                .backstop(BackstopSpec.badDebtOnly())
                .build()));
    run(new Command.Deposit("a1", d("1000"), MarginRef.cross()));
    run(new Command.Deposit("a2", d("100000"), MarginRef.cross()));
    run(new Command.SetPrice("BTC-PERP", d("100000"), null, null));
    run(
        new Command.Trade(
            "BTC-PERP", "a1", "a2", d("0.5"), d("100000"), true, MarginRef.cross(), null));
    // The book's maker thins its ladder from 10M to 1M within 1%: 100,000 a level.
    run(Command.Quote.depth("BTC-PERP", "book", d("1000000")));
    assertThat(events)
        .anyMatch(
            e ->
                e instanceof Event.Quoted q
                    && q.account().equals("book")
                    && q.bidNotional().equals(d("5000000")));
    run(new Command.SetPrice("BTC-PERP", d("95000"), null, null));
    // a1's bankruptcy price is 98075, above every bid at the new mark 95000: the order walks no
    // level, and the fund takes the position over at the bankruptcy price.
    Event.LiquidationOrder order = only(Event.LiquidationOrder.class);
    assertThat(order.filledSize()).isEqualTo(d("0"));
    assertThat(order.unfilledSize()).isEqualTo(d("0.5"));
    assertThat(order.limitPrice()).isEqualTo(d("98075"));
    assertThat(order.stoppedBy()).isEqualTo(Event.OrderStop.LIMIT);
  }

  private <T extends Event> T only(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  @Test
  void aQuoteIsRefusedOnAnLpMarketForAReservedAccountAndWhenMalformed() {
    run(new Command.CreateMarket("G", MarketPresets.get("gmx-v2", "G")));
    run(new Command.CreateMarket("B", MarketPresets.get("bitmex", "B")));
    run(new Command.Deposit("mm", d("1000"), MarginRef.cross()));
    long hash = engine.stateHash();
    assertThat(engine.apply(Command.Quote.depth("G", "mm", d("1000"))))
        .singleElement()
        .matches(e -> e instanceof Event.Rejected r && r.reason().contains("no order book"));
    assertThat(engine.apply(Command.Quote.depth("B", "mm", d("-1"))))
        .singleElement()
        .isInstanceOf(Event.Rejected.class);
    assertThat(engine.apply(Command.Quote.depth("X", "mm", d("10"))))
        .singleElement()
        .isInstanceOf(Event.Rejected.class);
    assertThat(engine.apply(Command.Quote.depth("B", "fund:B", d("10"))))
        .singleElement()
        .matches(
            e ->
                e instanceof Event.Rejected r
                    && r.code() == dev.backstop.core.event.RejectionCode.RESERVED_ACCOUNT);
    List<Command.Level> falling =
        List.of(new Command.Level(d("0.002"), d("10")), new Command.Level(d("0.001"), d("10")));
    assertThat(engine.apply(new Command.Quote("B", "mm", null, null, falling, null)))
        .singleElement()
        .matches(e -> e instanceof Event.Rejected r && r.reason().contains("rise strictly"));
    assertThat(engine.stateHash()).isEqualTo(hash);
  }
}
