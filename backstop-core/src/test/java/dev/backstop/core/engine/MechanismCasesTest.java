package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.adl.allocation.QueuePolicy;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streams that crashed {@code backstop run} before the mechanisms became parts, each cut down to
 * what shows the defect.
 */
class MechanismCasesTest {

  private static final MarginRef CROSS = MarginRef.cross();
  private static final MarginRef POOL = MarginRef.pool("P");

  private final Engine engine = new Engine();
  private final List<Event> events = new ArrayList<>();

  private static Decimal d(String text) {
    return Decimal.parse(text);
  }

  private void apply(Command c) {
    List<Event> out = engine.apply(c);
    assertThat(out).as(c.toString()).noneMatch(Event.Rejected.class::isInstance);
    events.addAll(out);
  }

  private <T extends Event> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private <T extends Event> T first(Class<T> type) {
    return all(type).getFirst();
  }

  private EngineState.MarginAccount cross(String account) {
    return engine.state().accounts().stream()
        .filter(a -> a.account().equals(account) && a.margin().equals("cross"))
        .findFirst()
        .orElseThrow();
  }

  private long size(String account, String margin) {
    return engine.state().accounts().stream()
        .filter(a -> a.account().equals(account) && a.margin().equals(margin))
        .flatMap(a -> a.positions().stream())
        .mapToLong(p -> p.size().toUnits(4))
        .sum();
  }

  /**
   * A settlement pool in a deleveraging market: the bankrupt pool user closes against the pool's
   * provider, never against an outside short. Before, it was deleveraged against the outside short
   * S, which left the provider's short without its mirror; the provider was then liquidated against
   * the user, the user again against S, without end ("liquidation cascade did not settle").
   */
  @Test
  void aPoolSideIsNeverDeleveragedAndThePoolsTwoSidesStayMirrored() {
    apply(new Command.CreateMarket("X", MarketPresets.get("bitmex", "fund")));
    apply(new Command.CreatePool("P", "U", "O"));
    apply(new Command.Deposit("U", d("100"), POOL));
    apply(new Command.Deposit("O", d("100000"), POOL));
    apply(new Command.Deposit("L", d("100000"), CROSS));
    apply(new Command.Deposit("S", d("100000"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "L", "S", d("1"), d("100"), true, CROSS, CROSS));
    apply(new Command.Trade("X", "U", "O", d("10"), d("100"), true, POOL, POOL));

    apply(new Command.SetPrice("X", d("89"), null, null));

    assertThat(events).noneMatch(Event.Deleveraged.class::isInstance);
    assertThat(events).noneMatch(Event.Offsetting.class::isInstance);
    assertThat(size("U", "pool:P")).isZero();
    assertThat(size("O", "pool:P")).isZero();
    assertThat(size("S", "cross")).isEqualTo(-10_000);
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * A profit haircut shared by a production queue: the queue's score needs positions, which the
   * haircut's candidates now carry (before: "the bitmex score needs positions or supplied scores").
   * W1, more levered, is first in the queue and pays the whole shortfall.
   */
  @Test
  void aHaircutCanBeSharedByAQueue() {
    MarketConfig base = MarketPresets.get("bitmex", "fund");
    BackstopSpec haircutByQueue =
        new BackstopSpec(
            new BackstopSpec.Trigger.FundCannotCover(),
            new BackstopSpec.Resolution.Haircut(new QueuePolicy(QueueScore.BITMEX)),
            BackstopSpec.ExecutionPrice.BANKRUPTCY);
    apply(new Command.CreateMarket("X", base.toBuilder().backstop(haircutByQueue).build()));
    apply(new Command.Deposit("B", d("200"), CROSS));
    apply(new Command.Deposit("W1", d("500"), CROSS));
    apply(new Command.Deposit("W2", d("5000"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "B", "W1", d("50"), d("100"), true, CROSS, CROSS));
    apply(new Command.Trade("X", "B", "W2", d("50"), d("100"), true, CROSS, CROSS));

    apply(new Command.SetPrice("X", d("98"), null, null));

    List<Event.Haircut> haircuts = all(Event.Haircut.class);
    assertThat(haircuts).isNotEmpty();
    assertThat(haircuts.getFirst().account()).isEqualTo("W1");
    assertThat(haircuts.getFirst().rule()).isEqualTo("queue");
    // The haircut comes out of W1's unrealized profit, not its collateral: a later round cannot
    // seize the same profit again (before, rounds took it over and over, burdens above 100%).
    EngineState.MarginAccount w1 = cross("W1");
    long taken = haircuts.getFirst().amount().toUnits(6);
    assertThat(w1.collateral()).isEqualTo(d("500"));
    assertThat(w1.positions().getFirst().unrealizedPnl().toUnits(6))
        .isEqualTo(d("100").toUnits(6) - taken);
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * GMX v2's floor ({@code MIN_PNL_FACTOR_AFTER_ADL} 77%, {@code PnlOvercorrected}): the pool holds
   * V = 1000 and T is long one whole lot @ 100 against it. At 1000 the PnL is 900: factor 90% >
   * 85%, so 333.333334 should be realized; but the one lot would realize all 900 and leave the
   * factor at 0 / 100, below the floor, so nothing is closed (before, the floor was validated but
   * never used).
   */
  @Test
  void aPnlFactorReductionNeverTakesTheFactorBelowTheFloor() {
    MarketConfig gmx = WholeLots.of("gmx-v2").build();
    apply(new Command.CreateMarket("ETH", gmx));
    apply(new Command.Deposit("gmx-pool", d("1000"), CROSS));
    apply(new Command.Deposit("T", d("100"), CROSS));
    apply(new Command.SetPrice("ETH", d("100"), null, null));
    apply(new Command.Trade("ETH", "T", "gmx-pool", d("1"), d("100"), true, CROSS, CROSS));

    apply(new Command.SetPrice("ETH", d("1000"), null, null));

    assertThat(events).noneMatch(Event.Offsetting.class::isInstance);
    assertThat(events).noneMatch(Event.BackstopApplied.class::isInstance);
    assertThat(size("T", "cross")).isEqualTo(10_000);
  }

  /**
   * A deleveraging never bankrupts its counterparty. B is long 10 X at 100 against S (whole lots,
   * no fees, BitMEX rules, an empty fund); B has 100 and S 50. X moves to 99 (S's profit: 10); then
   * a funding rate of 20% makes B pay 198 to S: B's cash is -98 and its equity -108. B's order
   * finds no bid near its bankruptcy price 109.8, and the empty fund takes nothing over, so B is
   * deleveraged against S, at a price that would cost S 108. S gives its profit of 10 and no more:
   * it buys at 100; the rest of B's deficit stays with B, as bad debt.
   */
  @Test
  void aDeleveragingTakesTheCounterpartysProfitAndNoMore() {
    apply(new Command.CreateMarket("X", WholeLots.of("bitmex").build()));
    apply(new Command.Deposit("B", d("100"), CROSS));
    apply(new Command.Deposit("S", d("50"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "B", "S", d("10"), d("100"), true, CROSS, CROSS));
    apply(new Command.SetPrice("X", d("99"), null, null));

    apply(new Command.ApplyFunding("X", d("0.2")));

    Event.Deleveraged deleveraged = first(Event.Deleveraged.class);
    assertThat(deleveraged.bankruptcyPrice()).isEqualTo(d("109.8"));
    Event.Offsetting offset = first(Event.Offsetting.class);
    assertThat(offset.account()).isEqualTo("S");
    assertThat(offset.price()).isEqualTo(d("100"));
    assertThat(offset.amount()).isEqualTo(d("10"));
    assertThat(events)
        .filteredOn(Event.BadDebtRecorded.class::isInstance)
        .map(e -> ((Event.BadDebtRecorded) e).account())
        .containsOnly("B");
    EngineState.MarginAccount s = cross("S");
    assertThat(s.equity()).isEqualTo(d("248"));
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * Ethereal deleverages at the oracle mark capped at the bankruptcy price (MECHANISMS.md). B is
   * long 10 @ 100 with 50 (20x) against S; the book's maker has cancelled its ladder and the fund
   * is empty, so nothing absorbs B's close. At 97.4 B is liquidatable but solvent at mark (equity
   * 24): it waits, since the engine deleverages only a deficit. At 94 it is underwater (bankruptcy
   * 95): S buys at min(mark, bankruptcy) = 94, the mark. The cap would bind only for a position
   * deleveraged while solvent, which the engine never does. C then buys 10 at 94 with 50; at a gap
   * to 85 (bankruptcy 89) the mark is the price again.
   */
  @Test
  void etherealDeleveragesAtTheMarkCappedAtTheBankruptcyPrice() {
    apply(new Command.CreateMarket("X", WholeLots.of("ethereal").build()));
    apply(new Command.Deposit("B", d("50"), CROSS));
    apply(new Command.Deposit("S", d("1000"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "B", "S", d("10"), d("100"), true, CROSS, CROSS));
    // The book's maker cancels its ladder: nothing absorbs B's close, the fund is empty.
    apply(Command.Quote.depth("X", "book", d("0")));

    apply(new Command.SetPrice("X", d("97.4"), null, null));

    // Solvent at mark (equity 24), nobody to take it: B waits below maintenance, not deleveraged.
    assertThat(events).noneMatch(Event.Deleveraged.class::isInstance);
    assertThat(first(Event.LiquidationOrder.class).filledSize()).isEqualTo(d("0"));

    apply(new Command.SetPrice("X", d("94"), null, null));
    Event.Deleveraged solvent = first(Event.Deleveraged.class);
    assertThat(solvent.bankruptcyPrice()).isEqualTo(d("95"));
    assertThat(solvent.price()).isEqualTo(d("94"));
    assertThat(solvent.markPrice()).isEqualTo(d("94"));

    events.clear();
    apply(new Command.Deposit("C", d("50"), CROSS));
    apply(new Command.Trade("X", "C", "S", d("10"), d("94"), true, CROSS, CROSS));
    apply(new Command.SetPrice("X", d("85"), null, null));
    Event.Deleveraged underwater = first(Event.Deleveraged.class);
    assertThat(underwater.account()).isEqualTo("C");
    assertThat(underwater.bankruptcyPrice()).isEqualTo(d("89"));
    assertThat(underwater.price()).isEqualTo(d("85"));
  }

  /**
   * Omni's penalty is capped at what the liquidated party has left. U holds 25 in its pool with the
   * OLP and is long 1 @ 1000 (50x, MMR 1%). A gap to 978 leaves it 3 at mark, below the maintenance
   * margin of 9.78; the penalty of 0.5% would be 4.89, more than it has, so it sells at 978 - 3 =
   * 975 and ends at 0, with no bad debt (before: 973.11 and 1.89 of bad debt).
   */
  @Test
  void omnisPenaltyIsCappedAtWhatTheLiquidatedPartyHasLeft() {
    apply(new Command.CreateMarket("ETH", MarketPresets.get("omni", "fund")));
    apply(new Command.CreatePool("P", "U", "olp"));
    apply(new Command.Deposit("U", d("25"), POOL));
    apply(new Command.Deposit("olp", d("10000"), POOL));
    apply(new Command.SetPrice("ETH", d("1000"), null, null));
    apply(new Command.Trade("ETH", "U", "olp", d("1"), d("1000"), true, POOL, POOL));

    apply(new Command.SetPrice("ETH", d("978"), null, null));

    Event.Liquidated liquidated = first(Event.Liquidated.class);
    assertThat(liquidated.account()).isEqualTo("U");
    assertThat(liquidated.price()).isEqualTo(d("975"));
    assertThat(events).noneMatch(Event.BadDebtRecorded.class::isInstance);
    assertThat(size("U", "pool:P")).isZero();
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * Omni's OLP trades only inside settlement pools (Variational Omni: every user trades against the
   * OLP in a bilateral settlement pool). U and the OLP hold 1,000 each in cross margin and in their
   * pool P: a cross trade with the OLP is refused with that reason and changes nothing; the same
   * trade inside P fills.
   */
  @Test
  void omnisOlpTradesOnlyInsideSettlementPools() {
    apply(new Command.CreateMarket("ETH", MarketPresets.get("omni", "fund")));
    apply(new Command.CreatePool("P", "U", "olp"));
    for (MarginRef margin : List.of(CROSS, POOL)) {
      apply(new Command.Deposit("U", d("1000"), margin));
      apply(new Command.Deposit("olp", d("1000"), margin));
    }
    apply(new Command.SetPrice("ETH", d("1000"), null, null));
    long hash = engine.stateHash();
    List<Event> refused =
        engine.apply(new Command.Trade("ETH", "U", "olp", d("1"), d("1000"), true, CROSS, CROSS));
    assertThat(refused).singleElement().isInstanceOf(Event.Rejected.class);
    Event.Rejected rejected = (Event.Rejected) refused.getFirst();
    assertThat(rejected.reason())
        .isEqualTo("the liquidity provider olp trades only inside settlement pools");
    assertThat(engine.stateHash()).isEqualTo(hash);
    apply(new Command.Trade("ETH", "U", "olp", d("1"), d("1000"), true, POOL, POOL));
    assertThat(size("U", "pool:P")).isEqualTo(10_000);
    assertThat(size("U", "cross")).isZero();
  }

  /**
   * Drift v2's fee pool is per market. The socialization example of the worked examples (SOL: X's
   * loss of 100 shared 1/6 per unit over a base of 600, the liquidator's long included) is run
   * beside a second market, ETH, whose trade collected 10 of fees. SOL's own pool is empty, so the
   * whole 100 is socialized as before; a shared pool would have paid 10 of it with ETH's fees.
   */
  @Test
  void driftsFeePoolIsPerMarket() {
    apply(new Command.CreateMarket("SOL", WholeLots.of("drift-v2").build()));
    apply(new Command.CreateMarket("ETH", MarketPresets.get("drift-v2", "eth-fund")));
    for (String a : List.of("X", "S", "P", "Q", "E1", "E2", MarketPresets.DRIFT_LIQUIDATOR)) {
      apply(new Command.Deposit(a, d(a.equals("X") ? "100" : "10000"), CROSS));
    }
    apply(new Command.SetPrice("ETH", d("1000"), null, null));
    // 10 ETH at 1000 is 10,000 of notional: the taker pays 0.1%, 10 into ETH's fee pool.
    apply(new Command.Trade("ETH", "E1", "E2", d("10"), d("1000"), true, CROSS, CROSS));
    assertThat(engine.state().feesCollected()).isEqualTo(d("10"));
    apply(new Command.SetPrice("SOL", d("10"), null, null));
    apply(new Command.Trade("SOL", "X", "S", d("100"), d("10"), true, CROSS, CROSS));
    apply(new Command.Trade("SOL", "P", "Q", d("200"), d("10"), true, CROSS, CROSS));

    apply(new Command.SetPrice("SOL", d("8"), null, null));

    assertThat(events)
        .filteredOn(Event.LossSocialized.class::isInstance)
        .map(e -> ((Event.LossSocialized) e).amount())
        .containsExactlyInAnyOrder(d("16.666667"), d("33.333334"), d("33.333334"), d("16.666667"));
    // The shares round up: 0.000002 beyond the loss goes to SOL's fee pool.
    assertThat(engine.state().feesCollected()).isEqualTo(d("10.000002"));
    assertThat(engine.state().conservationError()).isZero();
  }
}
