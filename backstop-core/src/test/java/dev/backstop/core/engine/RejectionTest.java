package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.num.Decimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad command is refused with a reason and changes nothing. The venue: market BTC
 * (lot 0.0001, tick 0.01, 20x) priced 100000 at time 1000, market ETH with no price yet, clock at
 * 5000; a and b with 10000 each, a long 0.1 BTC from b; pools p (a with olp) and q (b with olp);
 * whale with 9,000,000,000,000 deposited.
 */
class RejectionTest {

  private static final MarginRef CROSS = MarginRef.cross();

  private static Decimal d(String text) {
    return Decimal.parse(text);
  }

  private static Engine venue() {
    Engine engine = new Engine();
    List<Command> setUp =
        List.of(
            new Command.CreateMarket("BTC", MarketConfig.builder().build()),
            new Command.CreateMarket("ETH", MarketConfig.builder().build()),
            new Command.SetPrice("BTC", d("100000"), null, 1000L),
            new Command.AdvanceTime(5000),
            new Command.Deposit("a", d("10000"), CROSS),
            new Command.Deposit("b", d("10000"), CROSS),
            new Command.CreatePool("p", "a", "olp"),
            new Command.CreatePool("q", "b", "olp"),
            new Command.Trade("BTC", "a", "b", d("0.1"), d("100000"), true, CROSS, CROSS),
            new Command.Deposit("whale", d("9000000000000"), CROSS));
    for (Command c : setUp) {
      assertThat(engine.apply(c)).as(c.toString()).noneMatch(Event.Rejected.class::isInstance);
    }
    return engine;
  }

  private static Command trade(String buyer, String seller, String size, String price) {
    return new Command.Trade("BTC", buyer, seller, d(size), d(price), true, CROSS, CROSS);
  }

  static Stream<Arguments> badCommands() {
    MarginRef p = MarginRef.pool("p");
    MarginRef q = MarginRef.pool("q");
    return Stream.of(
        Arguments.of(trade("nobody", "b", "1", "100000"), "unknown account nobody"),
        Arguments.of(new Command.SetPrice("DOGE", d("1"), null, null), "unknown market DOGE"),
        Arguments.of(
            new Command.CreateMarket("BTC", MarketConfig.builder().build()),
            "market BTC already exists"),
        Arguments.of(trade("a", "b", "0", "100000"), "size must be positive: 0"),
        Arguments.of(trade("a", "b", "-1", "100000"), "size must be positive: -1"),
        Arguments.of(trade("a", "b", "0.1", "0"), "price must be positive: 0"),
        Arguments.of(
            new Command.SetPrice("BTC", d("-5"), null, 2000L), "mark must be positive: -5"),
        Arguments.of(
            trade("a", "b", "0.00001", "100000"),
            "size 0.00001 is not a whole number of lots (4 decimals)"),
        Arguments.of(
            trade("a", "b", "0.1", "100000.001"),
            "price 100000.001 is not a whole number of ticks (2 decimals)"),
        Arguments.of(new Command.Deposit("a", d("0"), CROSS), "amount must be positive: 0"),
        Arguments.of(
            new Command.Withdraw("a", d("9600"), CROSS),
            // 10000 of equity less 500 of initial margin on 0.1 BTC at 20x.
            "withdrawal of 9600 exceeds free collateral 9500 of a (cross)"),
        Arguments.of(
            trade("a", "b", "2", "100000"),
            // 2.1 BTC long needs 210000 / 20 = 10500 > 10000.
            "insufficient margin: buyer a (cross) would have equity 10000 below initial margin"
                + " 10500"),
        Arguments.of(trade("a", "a", "0.1", "100000"), "buyer and seller are the same account a"),
        Arguments.of(
            new Command.SetPrice("BTC", d("100001"), null, 999L),
            "stale price for BTC: time 999 is before the last price at 1000"),
        Arguments.of(new Command.AdvanceTime(4999), "time 4999 is before the engine's time 5000"),
        Arguments.of(new Command.ApplyFunding("ETH", d("0.001")), "market ETH has no mark price"),
        Arguments.of(new Command.ApplyFunding("BTC", d("1")), "must be between -1 and 1"),
        Arguments.of(new Command.ApplyFunding("BTC", d("-1.5")), "must be between -1 and 1"),
        Arguments.of(
            new Command.Trade("BTC", "a", "olp", d("0.1"), d("100000"), true, p, q),
            "a settlement-pool trade must name the same pool for both sides"),
        Arguments.of(new Command.Deposit("a", d("1"), MarginRef.pool("zz")), "unknown pool zz"),
        Arguments.of(new Command.Deposit("b", d("1"), p), "b is not a party of pool p"),
        Arguments.of(
            new Command.Deposit("whale", d("9000000000000"), CROSS), "arithmetic overflow"),
        Arguments.of(
            new Command.Deposit("a", d("10000000000000"), CROSS),
            "amount '10000000000000' is out of range"),
        Arguments.of(
            // 10^9 BTC at 100000: lots x ticks = 10^13 x 10^7 does not fit in a long.
            trade("a", "b", "1000000000", "100000"), "arithmetic overflow"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badCommands")
  void badCommandIsRefusedAndChangesNothing(Command command, String reason) {
    Engine engine = venue();
    EngineState before = engine.state();

    List<Event> events = engine.apply(command);

    assertThat(events).singleElement().isInstanceOf(Event.Rejected.class);
    assertThat(((Event.Rejected) events.get(0)).reason()).contains(reason);
    assertThat(engine.stateHash()).isEqualTo(before.stateHash());
    assertThat(engine.state()).isEqualTo(before);
  }
}
