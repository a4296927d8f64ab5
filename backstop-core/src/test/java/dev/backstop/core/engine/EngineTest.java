package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.Event.FundReason;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.market.RiskTiers;
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
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

  private List<Event> price(String market, String mark) {
    return apply(new Command.SetPrice(market, d(mark), null, null));
  }

  private EngineState.MarginAccount account(String name, MarginRef margin) {
    return engine.state().accounts().stream()
        .filter(a -> a.account().equals(name) && a.margin().equals(margin.toString()))
        .findFirst()
        .orElseThrow();
  }

  private EngineState.Position position(String name, MarginRef margin, String market) {
    return account(name, margin).positions().stream()
        .filter(p -> p.market().equals(market))
        .findFirst()
        .orElseThrow();
  }

  private static <T extends Event> List<T> only(List<Event> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * Isolated 10x long and short of 1 BTC at 100000, 10000 of margin each, MMR 2.5%.
   *
   * <p>Long: equity(P) = 10000 + (P - 100000) = P - 90000, MM(P) = 0.025 P. Liquidatable when P -
   * 90000 < 0.025 P, i.e. P < 90000 / 0.975 = 92307.6923...: the highest such tick is 92307.69
   * (equity 2307.69 < MM 2307.69225), at 92307.70 equity 2307.70 >= MM 2307.6925. Bankruptcy
   * (equity 0): P = 90000.
   *
   * <p>Short: equity(P) = 10000 + (100000 - P) = 110000 - P. Liquidatable when 110000 - P < 0.025
   * P, i.e. P > 110000 / 1.025 = 107317.0731...: the lowest such tick is 107317.08 (equity 2682.92
   * < MM 2682.927), at 107317.07 equity 2682.93 >= MM 2682.92675. Bankruptcy: P = 110000.
   */
  @Test
  void isolatedLiquidationAndBankruptcyPrices() {
    MarketConfig config =
        MarketConfig.builder()
            .sizeDecimals(4)
            .priceDecimals(2)
            .tiers(RiskTiers.flat(20, 2_500_000))
            .build();
    apply(new Command.CreateMarket("BTC", config));
    deposit("book", "100000000"); // the book's maker, whose bids take the closes
    MarginRef isolated = MarginRef.isolated("BTC");
    apply(new Command.Deposit("long", d("10000"), isolated));
    apply(new Command.Deposit("short", d("10000"), isolated));
    apply(new Command.Trade("BTC", "long", "short", d("1"), d("100000"), true, isolated, isolated));

    EngineState.Position lng = position("long", isolated, "BTC");
    assertThat(lng.liquidationPrice()).isEqualTo(d("92307.69"));
    assertThat(lng.bankruptcyPrice()).isEqualTo(d("90000"));
    EngineState.Position shrt = position("short", isolated, "BTC");
    assertThat(shrt.liquidationPrice()).isEqualTo(d("107317.08"));
    assertThat(shrt.bankruptcyPrice()).isEqualTo(d("110000"));

    assertThat(only(price("BTC", "92307.70"), Event.Liquidated.class)).isEmpty();
    assertThat(only(price("BTC", "92307.69"), Event.Liquidated.class))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.account()).isEqualTo("long");
              assertThat(l.bankruptcyPrice()).isEqualTo(d("90000"));
            });
  }

  /**
   * Cross margin over two markets (20x, MMR 2.5%): 10000 behind long 1 BTC at 100000 and long 10
   * ETH at 5000.
   *
   * <p>BTC with ETH at 5000: equity = 10000 + (P - 100000) = P - 90000, MM = 0.025 P + 0.025 *
   * 50000 = 0.025 P + 1250; liquidatable when 0.975 P < 91250, P < 93589.7435...: tick 93589.74.
   * ETH with BTC at 100000: equity = 10 Q - 40000, MM = 2500 + 0.25 Q; 9.75 Q < 42500, Q <
   * 4358.9743...: tick 4358.97.
   *
   * <p>ETH falls to 4800 (PnL -2000, MM 1200): BTC equity = P - 92000, MM = 0.025 P + 1200; 0.975 P
   * < 93200, P < 95589.7435...: tick 95589.74; bankruptcy moves from 90000 to 92000.
   */
  @Test
  void crossLiquidationPriceDependsOnTheOtherMarket() {
    apply(new Command.CreateMarket("BTC", MarketConfig.builder().build()));
    apply(new Command.CreateMarket("ETH", MarketConfig.builder().build()));
    deposit("book", "100000000"); // the books' maker, whose bids take the closes
    deposit("x", "10000");
    deposit("y", "1000000");
    trade("BTC", "x", "y", "1", "100000");
    trade("ETH", "x", "y", "10", "5000");

    assertThat(position("x", MarginRef.cross(), "BTC").liquidationPrice()).isEqualTo(d("93589.74"));
    assertThat(position("x", MarginRef.cross(), "BTC").bankruptcyPrice()).isEqualTo(d("90000"));
    assertThat(position("x", MarginRef.cross(), "ETH").liquidationPrice()).isEqualTo(d("4358.97"));

    price("ETH", "4800");

    assertThat(position("x", MarginRef.cross(), "BTC").liquidationPrice()).isEqualTo(d("95589.74"));
    assertThat(position("x", MarginRef.cross(), "BTC").bankruptcyPrice()).isEqualTo(d("92000"));
    // The index moved with the other market: BTC at the new trigger liquidates x.
    assertThat(only(price("BTC", "95589.75"), Event.Liquidated.class)).isEmpty();
    assertThat(only(price("BTC", "95589.74"), Event.Liquidated.class)).isNotEmpty();
  }

  /**
   * Variational Omni (50x, MMR 1%, 0.5% penalty): a pool user long 10 ETH at 3000 with 1000 in the
   * pool is liquidatable when 1000 + 10 (P - 3000) < 0.1 P, P < 29000 / 9.9 = 2929.2929...: tick
   * 2929.29. It sells to close at 2929.29 * 0.995 = 2914.64355, rounded down to 2914.64, to the
   * OLP's side of the pool (the maker), realizing 10 * (2914.64 - 3000) = -853.60 and keeping
   * 146.40. A user short 10 at 3000 is liquidatable when 31000 - 10 P < 0.1 P, P > 3069.3069...:
   * tick 3069.31; it buys at 3069.31 * 1.005 = 3084.6565..., rounded up to 3084.66, realizing
   * -846.60 and keeping 153.40.
   */
  @Test
  void omniPoolUserPaysThePenaltyToTheOlp() {
    apply(new Command.CreateMarket("ETH", MarketPresets.get("omni", "if")));
    for (String user : List.of("u", "v")) {
      MarginRef pool = MarginRef.pool("pool-" + user);
      apply(new Command.CreatePool("pool-" + user, user, "olp"));
      apply(new Command.Deposit(user, d("1000"), pool));
      apply(new Command.Deposit("olp", d("100000"), pool));
    }
    MarginRef u = MarginRef.pool("pool-u");
    MarginRef v = MarginRef.pool("pool-v");
    apply(new Command.Trade("ETH", "u", "olp", d("10"), d("3000"), true, u, u));
    apply(new Command.Trade("ETH", "olp", "v", d("10"), d("3000"), false, v, v));
    assertThat(position("u", u, "ETH").liquidationPrice()).isEqualTo(d("2929.29"));
    assertThat(position("v", v, "ETH").liquidationPrice()).isEqualTo(d("3069.31"));

    List<Event> down = price("ETH", "2929.29");
    assertThat(only(down, Event.Liquidated.class))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.account()).isEqualTo("u");
              assertThat(l.maker()).isEqualTo("olp");
              assertThat(l.makerMargin()).isEqualTo("pool:pool-u");
              assertThat(l.price()).isEqualTo(d("2914.64"));
              assertThat(l.sizeClosed()).isEqualTo(d("-10"));
            });
    assertThat(only(down, Event.Fill.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.buyer()).isEqualTo("olp");
              assertThat(f.taker()).isEqualTo(Event.Taker.SELLER);
            });
    assertThat(account("u", u).equity()).isEqualTo(d("146.4"));
    assertThat(account("olp", u).equity()).isEqualTo(d("100853.6"));

    List<Event> up = price("ETH", "3069.31");
    assertThat(only(up, Event.Liquidated.class))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.account()).isEqualTo("v");
              assertThat(l.maker()).isEqualTo("olp");
              assertThat(l.price()).isEqualTo(d("3084.66"));
            });
    assertThat(account("v", v).equity()).isEqualTo(d("153.4"));
  }

  /**
   * BitMEX (100x, MMR 0.35%, taker fee 0.075%, no liquidation fee, whole position to the book,
   * remaining margin to the insurance fund), backstop reduced to bad debt. The fund starts at 100;
   * the book's maker rests the standard ladder (1M a level, the best 1 bp from the mark). a (1100)
   * and c (1500) each buy 1 XBT at 100000 as makers from b (b pays 2 x 75 of taker fees).
   *
   * <p>a is liquidatable when 1100 + P - 100000 < 0.0035 P, P < 98900 / 0.9965 = 99247.3657...: at
   * mark 99247.36 its order (limit: bankruptcy 98900) sells 1 to the best bid, 99247.36 * 0.9999 =
   * 99237.43 (down): 1100 - 762.57 = 337.43 is left, which goes to the fund (437.43).
   *
   * <p>Mark 97000 puts c at 1500 - 3000 < 0: bankruptcy 98500, above every bid (the best is
   * 96990.30), so the order fills nothing. The fund takes the position over at 98500, posting all
   * it has (437.43) of the 1839.50 its account would need (the loss of 1500 at mark plus 0.35%
   * maintenance margin): the backstop does not deleverage, so the takeover is not refused. c ends
   * at 0. The fund's account is then at 437.43 - 1500 = -1062.57: its own order finds no bid above
   * its bankruptcy price 98062.57, the empty fund covers nothing, and 1062.57 is bad debt. After
   * the price update it offloads within 0.5% of the mark: it sells 1 to the best bid at 96990.30,
   * realizing -1509.70 on 1500 of cash: 9.70 more bad debt. Total 1072.27: the loss to the book's
   * price of a position that no one could absorb at its bankruptcy price.
   */
  @Test
  void surplusFeedsTheFundWhichTakesOverWhatTheBookCannotFill() {
    apply(
        new Command.CreateMarket(
            "XBT",
            MarketPresets.builder("bitmex", "if").backstop(BackstopSpec.badDebtOnly()).build()));
    apply(new Command.FundInsurance("XBT", d("100")));
    deposit("book", "100000000");
    deposit("a", "1100");
    deposit("b", "1000000");
    deposit("c", "1500");
    MarginRef cross = MarginRef.cross();
    apply(new Command.Trade("XBT", "a", "b", d("1"), d("100000"), false, cross, cross));
    apply(new Command.Trade("XBT", "c", "b", d("1"), d("100000"), false, cross, cross));
    assertThat(engine.state().feesCollected()).isEqualTo(d("150"));

    List<Event> first = price("XBT", "99247.36");
    assertThat(only(first, Event.Liquidated.class))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.account()).isEqualTo("a");
              assertThat(l.maker()).isEqualTo("book");
              assertThat(l.price()).isEqualTo(d("99237.43"));
              assertThat(l.bankruptcyPrice()).isEqualTo(d("98900"));
            });
    assertThat(only(first, Event.InsuranceFundChanged.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FundReason.LIQUIDATION_SURPLUS);
              assertThat(f.amount()).isEqualTo(d("337.43"));
              assertThat(f.balance()).isEqualTo(d("437.43"));
            });
    assertThat(account("a", cross).equity()).isEqualTo(Decimal.ZERO);

    List<Event> second = price("XBT", "97000");
    assertThat(only(second, Event.LiquidationOrder.class))
        .first()
        .satisfies(
            o -> {
              assertThat(o.account()).isEqualTo("c");
              assertThat(o.limitPrice()).isEqualTo(d("98500"));
              assertThat(o.filledSize()).isEqualTo(d("0"));
              assertThat(o.stoppedBy()).isEqualTo(Event.OrderStop.LIMIT);
            });
    assertThat(only(second, Event.TakenOver.class))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.taker()).isEqualTo("fund:if");
              assertThat(t.layer()).isEqualTo(Event.TakeoverLayer.FUND);
              assertThat(t.price()).isEqualTo(d("98500"));
              assertThat(t.collateral()).isEqualTo(d("437.43"));
            });
    assertThat(only(second, Event.InsuranceFundChanged.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FundReason.TAKEOVER_MARGIN);
              assertThat(f.amount()).isEqualTo(d("-437.43"));
              assertThat(f.balance()).isEqualTo(Decimal.ZERO);
            });
    assertThat(only(second, Event.Fill.class))
        .filteredOn(f -> f.kind() == Event.FillKind.OFFLOAD)
        .singleElement()
        .satisfies(f -> assertThat(f.price()).isEqualTo(d("96990.3")));
    assertThat(only(second, Event.BadDebtRecorded.class))
        .extracting(Event.BadDebtRecorded::account, Event.BadDebtRecorded::amount)
        .containsExactly(tuple("fund:if", d("1062.57")), tuple("fund:if", d("9.7")));
    assertThat(account("c", cross).equity()).isEqualTo(Decimal.ZERO);
    assertThat(account("fund:if", cross).positions()).isEmpty();
    assertThat(engine.state().badDebt()).isEqualTo(d("1072.27"));
  }

  /**
   * Funding at rate 0.00012345 with mark 100.01: a long 3 owes 300.03 * r = 0.0370387035, rounded
   * up to 0.037039; b long 0.0007 owes 0.070007 * r = 0.0000086423..., rounded up to 0.000009; c
   * short 3.0007 is owed 300.100007 * r = 0.0370473458..., rounded down to 0.037047. The round
   * moves the index only: equity counts what each owes, and the money moves when the position is
   * touched (here a withdrawal), 0.000001 of dust staying in the funding pool.
   */
  @Test
  void fundingPayersRoundUpReceiversRoundDownAtSettlement() {
    threeFundedPositions();

    List<Event> events = apply(new Command.ApplyFunding("X", d("0.00012345")));

    assertThat(only(events, Event.FundingPaid.class)).isEmpty();
    assertThat(only(events, Event.FundingSettled.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.price()).isEqualTo(d("100.01"));
              assertThat(f.openInterest()).isEqualTo(d("3.0007"));
              assertThat(f.amount()).isEqualTo(d("0.037047"));
            });
    assertThat(account("a", MarginRef.cross()).collateral()).isEqualTo(d("1000"));
    assertThat(account("a", MarginRef.cross()).equity()).isEqualTo(d("999.962961"));
    assertThat(account("a", MarginRef.cross()).positions().get(0).unsettledFunding())
        .isEqualTo(d("-0.037039"));
    assertThat(account("c", MarginRef.cross()).equity()).isEqualTo(d("1000.037047"));
    assertThat(engine.state().markets().get(0).fundingPool()).isEqualTo(d("0.000001"));
    assertThat(engine.state().conservationError()).isZero();

    List<Event> settled = withdrawOneEach();
    assertThat(only(settled, Event.FundingPaid.class))
        .extracting(Event.FundingPaid::account, Event.FundingPaid::amount)
        .containsExactly(
            tuple("a", d("-0.037039")), tuple("b", d("-0.000009")), tuple("c", d("0.037047")));
    assertThat(account("a", MarginRef.cross()).collateral()).isEqualTo(d("998.962961"));
    assertThat(account("c", MarginRef.cross()).collateral()).isEqualTo(d("999.037047"));
    assertThat(engine.state().markets().get(0).fundingPool()).isEqualTo(d("0.000001"));
    assertThat(engine.state().feesCollected()).isEqualTo(Decimal.ZERO);
    assertThat(engine.state().conservationError()).isZero();
  }

  /** a long 3 and b long 0.0007 at 100.01, c short 3.0007, each with 1000 (no fees). */
  private void threeFundedPositions() {
    apply(new Command.CreateMarket("X", MarketConfig.builder().build()));
    deposit("a", "1000");
    deposit("b", "1000");
    deposit("c", "1000");
    trade("X", "a", "c", "3", "100.01");
    trade("X", "b", "c", "0.0007", "100.01");
  }

  /** a, b and c each withdraw 1, which settles their funding first: the events. */
  private List<Event> withdrawOneEach() {
    List<Event> settled = new ArrayList<>();
    for (String who : List.of("a", "b", "c")) {
      settled.addAll(apply(new Command.Withdraw(who, d("1"), null)));
    }
    return settled;
  }

  /**
   * Two rounds settled together round once, on their sum: 0.00012345 at 100.01, then -0.0001 at
   * 101. a (long 3) owes 0.0370387035 - 0.0303 = 0.0067387035, rounded up to 0.006739; b (long
   * 0.0007) owes 0.0000086423... - 0.00000707 = 0.0000015723..., rounded up to 0.000002; c (short
   * 3.0007) is owed 0.0370473458... - 0.03030707 = 0.0067402758..., rounded down to 0.006740. Each
   * round settled alone would have rounded twice (a: 0.037039 - 0.0303).
   */
  @Test
  void fundingRoundsSettledTogetherRoundOnceOnTheirSum() {
    threeFundedPositions();
    apply(new Command.ApplyFunding("X", d("0.00012345")));
    price("X", "101");
    apply(new Command.ApplyFunding("X", d("-0.0001")));

    List<Event> settled = withdrawOneEach();
    assertThat(only(settled, Event.FundingPaid.class))
        .extracting(Event.FundingPaid::account, Event.FundingPaid::amount)
        .containsExactly(
            tuple("a", d("-0.006739")), tuple("b", d("-0.000002")), tuple("c", d("0.006740")));
    assertThat(engine.state().markets().get(0).fundingPool()).isEqualTo(d("0.000001"));
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * Regression (found by {@code EngineProperties.rejectionsChangeNothing}): a trade whose buyer
   * closes a position (its row goes to the free list) and whose seller opens one (reusing that row)
   * and is then refused must restore the buyer's position. The undo of the close re-linked the row
   * without restoring its margin account, so the buyer's position reappeared in the seller's
   * account.
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
    assertThat(
            before.accounts().stream()
                .filter(x -> x.account().equals("a"))
                .findFirst()
                .orElseThrow()
                .positions())
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
    // A wide price band, so that the margin check is what refuses the trade.
    apply(
        new Command.CreateMarket(
            "X", MarketConfig.builder().priceBandRate(50 * 1_000_000L).build()));
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

  /**
   * A settlement pool's side on an order-book market with partial liquidation (Bybit's preset: 0.5%
   * maintenance, no penalty, a 0.055% taker fee) closes in part against the pool's other side at
   * the mark, the fewest lots that restore its margin. u1 buys 0.5 BTC at 100000 with 1000, paying
   * a fee of 27.5; at 98200 its equity is 1000 - 27.5 - 900 = 72.5 and its maintenance margin 0.005
   * * 49100 = 245.5. Closing at the mark leaves the equity at 72.5, which carries at most 14500 of
   * notional: 0.1476 BTC (14494.32, margin 72.4716), so 0.3524 closes.
   */
  @Test
  void aPoolSideOnAPartialBookMarketClosesInPartAgainstThePool() {
    apply(new Command.CreateMarket("BTC", MarketPresets.get("bybit", "if")));
    apply(new Command.CreatePool("p1", "u1", "lp1"));
    apply(new Command.Deposit("u1", d("1000"), MarginRef.pool("p1")));
    apply(new Command.Deposit("lp1", d("100000"), MarginRef.pool("p1")));
    apply(new Command.SetPrice("BTC", d("100000"), null, null));
    apply(
        new Command.Trade(
            "BTC",
            "u1",
            "lp1",
            d("0.5"),
            d("100000"),
            true,
            MarginRef.pool("p1"),
            MarginRef.pool("p1")));
    List<Event> tick = price("BTC", "98200");

    assertThat(tick).noneMatch(Event.Rejected.class::isInstance);
    Event.Liquidated liquidated = only(tick, Event.Liquidated.class).getFirst();
    assertThat(liquidated.maker()).isEqualTo("lp1");
    assertThat(liquidated.sizeClosed()).isEqualTo(d("-0.3524"));
    assertThat(liquidated.price()).isEqualTo(d("98200"));
    assertThat(position("u1", MarginRef.pool("p1"), "BTC").size()).isEqualTo(d("0.1476"));
    assertThat(account("u1", MarginRef.pool("p1")).equity()).isEqualTo(d("72.5"));
  }
}
