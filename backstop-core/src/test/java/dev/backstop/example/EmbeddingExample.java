package dev.backstop.example;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.WireName;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import java.util.List;

public class EmbeddingExample {
  public static void main(String[] args) {
    Engine engine = new Engine();
    MarginRef cross = MarginRef.cross();

    // A market from a venue preset: BitMEX's tiers, fees, liquidation and ADL queue.
    MarketConfig bitmex = MarketPresets.get("bitmex", MarketConfig.DEFAULT_INSURANCE_FUND);
    engine.apply(new Command.CreateMarket("BTC-PERP", bitmex));

    // Collateral: two traders, the order book's maker that takes liquidation closes, the fund.
    engine.apply(new Command.Deposit("alice", Decimal.parse("10000"), cross));
    engine.apply(new Command.Deposit("bob", Decimal.parse("20000"), cross));
    engine.apply(new Command.Deposit("book", Decimal.parse("1000000"), cross));
    engine.apply(new Command.FundInsurance("BTC-PERP", Decimal.parse("1000")));

    // Alice buys 1 BTC from Bob at 100,000, 10x; then the mark falls (a tick).
    engine.apply(
        new Command.Trade(
            "BTC-PERP",
            "alice",
            "bob",
            Decimal.parse("1"),
            Decimal.parse("100000"),
            true,
            cross,
            cross));
    List<Event> events =
        engine.apply(new Command.SetPrice("BTC-PERP", Decimal.parse("90200"), null, null));

    // Every command returns the events it caused, in order: fills, liquidations, fund moves...
    for (Event event : events) {
      switch (event) {
        case Event.Liquidated l ->
            System.out.println(l.account() + " liquidated: " + l.sizeClosed() + " at " + l.price());
        case Event.InsuranceFundChanged f ->
            System.out.println("fund " + WireName.of(f.reason()) + ": " + f.amount());
        default -> System.out.println(WireName.of(event));
      }
    }

    // A refused command changes nothing; its one event says why, with a machine-readable code.
    Command withdraw = new Command.Withdraw("zoe", Decimal.parse("1"), cross);
    if (engine.apply(withdraw).get(0) instanceof Event.Rejected r) {
      System.out.println("rejected " + WireName.of(r.code()) + ": " + r.reason());
    }
    System.out.println("state hash " + Long.toHexString(engine.stateHash()));
  }
}
