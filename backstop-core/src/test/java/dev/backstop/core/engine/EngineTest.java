package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples with hand-checked numbers. */
class EngineTest {

  private final Engine engine = new Engine();

  private List<Event> apply(Command command) {
    return engine.apply(command);
  }

  private static Decimal d(String text) {
    return Decimal.parse(text);
  }

  private void deposit(String account, String amount) {
    apply(new Command.Deposit(account, d(amount), MarginRef.cross()));
  }

  private List<Event> trade(String market, String buyer, String seller, String size, String price) {
    return apply(
        new Command.Trade(
            market, buyer, seller, d(size), d(price), true, MarginRef.cross(), MarginRef.cross()));
  }

  /**
   * Regression (found by {@code EngineProperties.rejectionsChangeNothing}): a trade whose buyer
   * closes a position (its row goes to the free list) and whose seller opens one (reusing that row)
   * and is then refused must restore the buyer's position. The undo of the close re-linked the row
   * without restoring its container, so the buyer's position reappeared in the seller's account.
   */
  @Test
  void refusedTradeRestoresAPositionRowReusedByTheOtherSide() {
    apply(new Command.CreateMarket("X", MarketConfig.builder().build()));
    deposit("a", "1000");
    deposit("b", "1000");
    deposit("c", "1");
    trade("X", "b", "a", "1", "100"); // a short 1 at 100
    EngineState before = engine.state();

    // a buys back its short (closing its row) from c, who would open a short of notional 100
    // needing initial margin 100 / 20 = 5 with equity 1: refused.
    List<Event> events = trade("X", "a", "c", "1", "100");

    assertThat(events).singleElement().isInstanceOf(Event.Rejected.class);
    assertThat(((Event.Rejected) events.get(0)).reason()).contains("insufficient margin: seller c");
    assertThat(engine.state()).isEqualTo(before);
    assertThat(before.accounts().get(1).positions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.size()).isEqualTo(d("-1"));
            });
  }

  /**
   * Regression (found by {@code EngineProperties.noSilentNegativeEquity}): a trade that only
   * reduces a position was not margin-checked at all, so closing at a price beyond the account's
   * bankruptcy price left it with negative equity, no position to liquidate and no bad debt
   * recorded.
   */
  @Test
  void tradeBeyondTheBankruptcyPriceIsRefused() {
    apply(new Command.CreateMarket("X", MarketConfig.builder().build()));
    deposit("a", "10");
    deposit("b", "1000");
    deposit("c", "1000");
    trade("X", "b", "a", "1", "100"); // a short 1 at 100: bankruptcy price 100 + 10 / 1 = 110
    EngineState before = engine.state();

    // Buying back at 120 would realize -20 against 10 of collateral: equity -10.
    List<Event> events = trade("X", "a", "c", "1", "120");

    assertThat(events).singleElement().isInstanceOf(Event.Rejected.class);
    assertThat(((Event.Rejected) events.get(0)).reason())
        .contains("buyer a (cross) would have negative equity -10");
    assertThat(engine.state()).isEqualTo(before);
  }
}
