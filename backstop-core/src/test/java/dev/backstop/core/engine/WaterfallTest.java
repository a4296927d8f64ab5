package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.LiquidationMode;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.market.RiskTiers;
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Worked examples of the waterfall a liquidation order meets (MECHANISMS.md, "How a liquidation
 * order meets the market"): the book within the order's limit, the takeover layer within its
 * capital and cap, then the backstop. Whole lots, cent ticks, no fees; 10x with 5% maintenance.
 */
class WaterfallTest {

  private static final MarginRef CROSS = MarginRef.cross();

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

  private EngineState.MarginAccount cross(String account) {
    return engine.state().accounts().stream()
        .filter(a -> a.account().equals(account) && a.margin().equals("cross"))
        .findFirst()
        .orElseThrow();
  }

  /** A preset with whole lots, 10x / 5% and full closes, its book without an initial ladder. */
  private static MarketConfig market(String preset) {
    return WholeLots.of(preset)
        .tiers(RiskTiers.flat(10, 5_000_000))
        .liquidationMode(LiquidationMode.FULL)
        .liquidity(MarketPresets.get(preset, "if").book().withDepth(0))
        .build();
  }

  /**
   * Binance: the book fills part within the bankruptcy price, the fund takes over part within its
   * net notional cap (100% of its value), the rest is deleveraged once the account is bankrupt.
   *
   * <p>L is long 100 @ 100 with 1000 (bankruptcy 90); M bids 3000 of notional 0.5% under the mark;
   * the fund has 3000. At mark 91 L (equity 100, maintenance 455) sends an order limited at 90: M's
   * bid at 91 * 0.995 = 90.54 fills 33 lots (2987.82 of its 3000) and nothing else rests. L's
   * remaining 67 have bankruptcy price (6700 - 687.82) / 67 = 89.734 -> 89.74 (up, against L). The
   * fund may hold a net notional of at most its value: 33 lots (3003 against 3000 + 33 * 1.26 =
   * 3041.58; 34 lots would be 3094 against 3042.84), posting its account's maintenance margin less
   * the gain at mark, 150.15 - 41.58 = 108.57. L keeps 34 lots at equity 43.24: not bankrupt, so it
   * waits below maintenance. At mark 88 L is bankrupt (equity -58.76, bankruptcy 89.73); no bid is
   * within the limit, the fund's cap is full, so the fund declines and Binance's queue deleverages
   * the 34 lots against S at 89.73: S gives 34 * 1.73 = 58.82 of its profit, L keeps 0.06.
   */
  @Test
  void binanceBookThenTheFundWithinItsCapThenDeleveraging() {
    apply(new Command.CreateMarket("X", market("binance")));
    apply(new Command.Deposit("L", d("1000"), CROSS));
    apply(new Command.Deposit("S", d("100000"), CROSS));
    apply(new Command.Deposit("M", d("100000"), CROSS));
    apply(new Command.FundInsurance("X", d("3000")));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "L", "S", d("100"), d("100"), true, CROSS, CROSS));
    apply(
        new Command.Quote(
            "X", "M", null, null, List.of(new Command.Level(d("0.005"), d("3000"))), null));

    apply(new Command.SetPrice("X", d("91"), null, null));

    Event.Liquidated fill = all(Event.Liquidated.class).getFirst();
    assertThat(fill.maker()).isEqualTo("M");
    assertThat(fill.price()).isEqualTo(d("90.54"));
    assertThat(fill.sizeClosed()).isEqualTo(d("-33"));
    Event.LiquidationOrder order = all(Event.LiquidationOrder.class).getFirst();
    assertThat(order.limitPrice()).isEqualTo(d("90"));
    assertThat(order.filledSize()).isEqualTo(d("33"));
    assertThat(order.unfilledSize()).isEqualTo(d("67"));
    assertThat(order.stoppedBy()).isEqualTo(Event.OrderStop.DEPTH);
    Event.TakenOver takeover = all(Event.TakenOver.class).getFirst();
    assertThat(takeover.taker()).isEqualTo("fund:if");
    assertThat(takeover.size()).isEqualTo(d("-33"));
    assertThat(takeover.price()).isEqualTo(d("89.74"));
    assertThat(takeover.collateral()).isEqualTo(d("108.57"));
    assertThat(cross("L").positions().getFirst().size()).isEqualTo(d("34"));
    assertThat(cross("L").equity()).isEqualTo(d("43.24"));
    assertThat(all(Event.Deleveraged.class)).isEmpty();

    events.clear();
    apply(new Command.SetPrice("X", d("88"), null, null));

    Event.LiquidationOrder limited = all(Event.LiquidationOrder.class).getFirst();
    assertThat(limited.account()).isEqualTo("L");
    assertThat(limited.limitPrice()).isEqualTo(d("89.73"));
    assertThat(limited.stoppedBy()).isEqualTo(Event.OrderStop.LIMIT);
    assertThat(all(Event.TakenOver.class)).isEmpty();
    Event.Deleveraged adl = all(Event.Deleveraged.class).getFirst();
    assertThat(adl.counterparty()).isEqualTo("S");
    assertThat(adl.size()).isEqualTo(d("-34"));
    assertThat(adl.price()).isEqualTo(d("89.73"));
    Event.Offsetting offsetting = all(Event.Offsetting.class).getFirst();
    assertThat(offsetting.amount()).isEqualTo(d("58.82"));
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.budgetNeeded()).isEqualTo(d("58.76"));
    assertThat(applied.budgetTaken()).isEqualTo(d("58.82"));
    assertThat(applied.residual()).isEqualTo(Decimal.ZERO);
    assertThat(cross("L").positions()).isEmpty();
    assertThat(engine.state().badDebt()).isEqualTo(Decimal.ZERO);
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * Hyperliquid: below maintenance the order goes to the book (empty here); between maintenance and
   * 2/3 of it the account waits; below 2/3 the liquidator vault takes the position at the mark with
   * what the account has left ("the maintenance margin is not returned to the user").
   *
   * <p>L is long 100 @ 100 with 1000. At 94 (equity 400, maintenance 470, 2/3 of it 313.33) the
   * order fills nothing and L waits. At 93 (equity 300 < 310) the vault (10000) buys the 100 at 93
   * and takes L's 300: L ends at 0, the vault holds the long with 10300.
   */
  @Test
  void hyperliquidsVaultTakesThePositionBelowTwoThirdsOfMaintenance() {
    apply(new Command.CreateMarket("X", market("hyperliquid")));
    apply(new Command.Deposit(MarketPresets.HYPERLIQUID_VAULT, d("10000"), CROSS));
    apply(new Command.Deposit("L", d("1000"), CROSS));
    apply(new Command.Deposit("S", d("100000"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "L", "S", d("100"), d("100"), true, CROSS, CROSS));

    apply(new Command.SetPrice("X", d("94"), null, null));
    assertThat(all(Event.LiquidationOrder.class)).isNotEmpty();
    assertThat(all(Event.TakenOver.class)).isEmpty();
    assertThat(cross("L").positions()).isNotEmpty();

    apply(new Command.SetPrice("X", d("93"), null, null));
    Event.TakenOver takeover = all(Event.TakenOver.class).getFirst();
    assertThat(takeover.layer()).isEqualTo(Event.TakeoverLayer.VAULT);
    assertThat(takeover.taker()).isEqualTo(MarketPresets.HYPERLIQUID_VAULT);
    assertThat(takeover.price()).isEqualTo(d("93"));
    assertThat(takeover.collateral()).isEqualTo(d("300"));
    assertThat(cross("L").equity()).isEqualTo(Decimal.ZERO);
    assertThat(cross("L").positions()).isEmpty();
    EngineState.MarginAccount vault = cross(MarketPresets.HYPERLIQUID_VAULT);
    assertThat(vault.equity()).isEqualTo(d("10300"));
    assertThat(vault.positions().getFirst().size()).isEqualTo(d("100"));
    assertThat(all(Event.Deleveraged.class)).isEmpty();
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * Hyperliquid's ADL runs when the vault itself cannot hold the position: with 100 of its own the
   * vault cannot carry L's long at 93 (400 against a maintenance margin of 465), so L waits; at 88
   * L is underwater (-200) and is deleveraged against S at the previous mark, 93: S gives up 500
   * against the mark, and L keeps what closing at 93 leaves it (300).
   */
  @Test
  void hyperliquidDeleveragesWhenTheVaultCannotHoldThePosition() {
    apply(new Command.CreateMarket("X", market("hyperliquid")));
    apply(new Command.Deposit(MarketPresets.HYPERLIQUID_VAULT, d("100"), CROSS));
    apply(new Command.Deposit("L", d("1000"), CROSS));
    apply(new Command.Deposit("S", d("100000"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "L", "S", d("100"), d("100"), true, CROSS, CROSS));

    apply(new Command.SetPrice("X", d("93"), null, null));
    assertThat(all(Event.TakenOver.class)).isEmpty();
    assertThat(all(Event.Deleveraged.class)).isEmpty();

    apply(new Command.SetPrice("X", d("88"), null, null));
    Event.Deleveraged adl = all(Event.Deleveraged.class).getFirst();
    assertThat(adl.account()).isEqualTo("L");
    assertThat(adl.counterparty()).isEqualTo("S");
    assertThat(adl.price()).isEqualTo(d("93"));
    assertThat(all(Event.Offsetting.class).getFirst().amount()).isEqualTo(d("500"));
    assertThat(cross("L").positions()).isEmpty();
    assertThat(cross("L").equity()).isEqualTo(d("300"));
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * OKX deleverages at the mark, but at the bankruptcy price when the fund cannot cover the deficit
   * (MECHANISMS.md: "bankruptcy price only if the fund is nearly empty"); at the mark an empty fund
   * would leave the whole deficit as bad debt. L is long 100 @ 100 with 1000 (bankruptcy 90); the
   * fund is empty; a gap to 88 leaves L at -200 with nothing in the book: S buys the 100 at 90,
   * giving up 200 against the mark, and nothing is written off.
   */
  @Test
  void okxDeleveragesAtTheBankruptcyPriceWhenTheFundCannotCover() {
    apply(new Command.CreateMarket("X", market("okx")));
    apply(new Command.Deposit("L", d("1000"), CROSS));
    apply(new Command.Deposit("S", d("100000"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "L", "S", d("100"), d("100"), true, CROSS, CROSS));

    apply(new Command.SetPrice("X", d("88"), null, null));

    Event.Deleveraged adl = all(Event.Deleveraged.class).getFirst();
    assertThat(adl.price()).isEqualTo(d("90"));
    assertThat(adl.markPrice()).isEqualTo(d("88"));
    assertThat(all(Event.Offsetting.class).getFirst().amount()).isEqualTo(d("200"));
    assertThat(engine.state().badDebt()).isEqualTo(Decimal.ZERO);
    assertThat(cross("L").equity()).isEqualTo(Decimal.ZERO);
  }

  /**
   * No withdrawal takes out money that never came in. Without a backstop (bad debt only) A's long
   * (10 @ 100 with 100) gaps to 80: nothing bids within its bankruptcy price 90, the empty fund's
   * account takes it over and is 100 in deficit: 100 of bad debt. B closes its winning short
   * against C at 80 and holds 1200; C, short 10 at 80, may withdraw 9920 by its margin. B takes its
   * 1200; C's 9920 would take total withdrawals to 11120, above the 11100 deposited: refused with
   * {@code insufficient-assets}, and nothing changes.
   */
  @Test
  void withdrawalsStopAtWhatCameInWhenBadDebtLeavesClaimsUnbacked() {
    apply(
        new Command.CreateMarket(
            "X",
            WholeLots.of("bitmex")
                .tiers(RiskTiers.flat(10, 5_000_000))
                .liquidity(MarketPresets.get("bitmex", "if").book().withDepth(0))
                .backstop(dev.backstop.core.market.BackstopSpec.badDebtOnly())
                .build()));
    apply(new Command.Deposit("A", d("100"), CROSS));
    apply(new Command.Deposit("B", d("1000"), CROSS));
    apply(new Command.Deposit("C", d("10000"), CROSS));
    apply(new Command.SetPrice("X", d("100"), null, null));
    apply(new Command.Trade("X", "A", "B", d("10"), d("100"), true, CROSS, CROSS));
    apply(new Command.SetPrice("X", d("80"), null, null));
    assertThat(engine.state().badDebt()).isEqualTo(d("100"));
    apply(new Command.Trade("X", "B", "C", d("10"), d("80"), true, CROSS, CROSS));
    apply(new Command.Withdraw("B", d("1200"), CROSS));

    long hash = engine.stateHash();
    List<Event> refused = engine.apply(new Command.Withdraw("C", d("9920"), CROSS));

    assertThat(refused)
        .singleElement()
        .satisfies(
            e -> {
              Event.Rejected r = (Event.Rejected) e;
              assertThat(r.code())
                  .isEqualTo(dev.backstop.core.event.RejectionCode.INSUFFICIENT_ASSETS);
              assertThat(r.reason()).contains("exceeds the venue's assets 9900");
            });
    assertThat(engine.stateHash()).isEqualTo(hash);
    EngineState state = engine.state();
    assertThat(state.withdrawn()).isEqualTo(d("1200"));
    assertThat(state.deposited()).isEqualTo(d("11100"));
  }

  /**
   * Drift v2's insurance fund pays a bankruptcy at most {@code min(loss, vault - 1, maxInsurance -
   * settledInsurance)} ({@code resolve_perp_bankruptcy}); the fee pool and socialization take the
   * rest. X is long 100 @ 10 with 100; a gap to 5 (no bid within its bankruptcy price 9) sends the
   * position to Drift's liquidator at the mark, leaving X 400 in deficit. With 1000 in the fund and
   * a limit of 300, the fund pays 300 and 100 is socialized; a later deficit finds the limit spent.
   */
  @Test
  void driftsFundPaysAtMostItsLimitLessWhatItSettledAndKeepsOneUnit() {
    MarketConfig config = market("drift-v2").toBuilder().maxInsurance(300_000_000L).build();
    apply(new Command.CreateMarket("SOL", config));
    for (String a : List.of("X", "S", "P", "Q", MarketPresets.DRIFT_LIQUIDATOR)) {
      apply(new Command.Deposit(a, d(a.equals("X") ? "100" : "10000"), CROSS));
    }
    apply(new Command.FundInsurance("SOL", d("1000")));
    apply(new Command.SetPrice("SOL", d("10"), null, null));
    apply(new Command.Trade("SOL", "X", "S", d("100"), d("10"), true, CROSS, CROSS));
    apply(new Command.Trade("SOL", "P", "Q", d("200"), d("10"), true, CROSS, CROSS));

    apply(new Command.SetPrice("SOL", d("5"), null, null));

    Event.InsuranceFundChanged cover =
        all(Event.InsuranceFundChanged.class).stream()
            .filter(f -> f.reason() == Event.FundReason.SHORTFALL_COVER)
            .findFirst()
            .orElseThrow();
    assertThat(cover.amount()).isEqualTo(d("-300"));
    assertThat(cover.balance()).isEqualTo(d("700"));
    long socialized =
        all(Event.LossSocialized.class).stream().mapToLong(l -> l.amount().toUnits(6)).sum();
    assertThat(socialized).isGreaterThanOrEqualTo(100_000_000L);
    assertThat(engine.state().badDebt()).isEqualTo(Decimal.ZERO);
    assertThat(engine.state().conservationError()).isZero();
  }

  /** With less in the fund than the limit, Drift's fund pays all but one unit (vault - 1). */
  @Test
  void driftsFundKeepsOneUnit() {
    MarketConfig config = market("drift-v2").toBuilder().maxInsurance(300_000_000L).build();
    apply(new Command.CreateMarket("SOL", config));
    for (String a : List.of("X", "S", MarketPresets.DRIFT_LIQUIDATOR)) {
      apply(new Command.Deposit(a, d(a.equals("X") ? "100" : "10000"), CROSS));
    }
    apply(new Command.FundInsurance("SOL", d("50")));
    apply(new Command.SetPrice("SOL", d("10"), null, null));
    apply(new Command.Trade("SOL", "X", "S", d("100"), d("10"), true, CROSS, CROSS));

    apply(new Command.SetPrice("SOL", d("5"), null, null));

    assertThat(engine.state().insuranceFunds().getFirst().balance()).isEqualTo(d("0.000001"));
    assertThat(engine.state().conservationError()).isZero();
  }
}
