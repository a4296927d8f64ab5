package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The backstop's published worked examples, with their numbers. */
class BackstopTest {

  private final Engine engine = new Engine();
  private final List<Event> events = new ArrayList<>();

  /** The first backstop action's trigger, the value it measured and the level it had. */
  private void firedBy(String trigger, String value, String level) {
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.trigger()).isEqualTo(trigger);
    assertThat(applied.triggerValue()).isEqualTo(d(value));
    assertThat(applied.triggerLevel()).isEqualTo(d(level));
  }

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

  private EngineState.MarginAccount account(String name) {
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
    MarketConfig config = WholeLots.of("dydx-v4").build();
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
    // the fund (0) could not cover B's deficit of 400
    firedBy("fund", "0", "400");
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
   * <p>X is long 100 @ 10 with 100 of collateral; at mark 8 its bankruptcy price 9 is above every
   * bid, so its order fills nothing and Drift's liquidator (with 10000 of its own) takes the
   * position over at the oracle price 8: X realizes -200 and is 100 in deficit, with no position
   * left. The open positions are then S short 100, P long 200, Q short 200 and the liquidator's
   * long 100 (base 600), so delta = 1/6: S and the liquidator pay 16.666667, P and Q 33.333334
   * (each rounded up, in the venue's favour).
   */
  @Test
  void driftSocializesTheLossPerUnitOfSize() {
    MarketConfig config = WholeLots.of("drift-v2").build();
    apply(new Command.CreateMarket("SOL", config));
    for (String a : List.of("X", "S", "P", "Q", MarketPresets.DRIFT_LIQUIDATOR)) {
      apply(new Command.Deposit(a, d(a.equals("X") ? "100" : "10000"), MarginRef.cross()));
    }
    apply(new Command.SetPrice("SOL", d("10"), null, null));
    trade("SOL", "X", "S", "100", "10");
    trade("SOL", "P", "Q", "200", "10");
    apply(new Command.SetPrice("SOL", d("8"), null, null));

    Event.TakenOver takenOver = all(Event.TakenOver.class).getFirst();
    assertThat(takenOver.account()).isEqualTo("X");
    assertThat(takenOver.taker()).isEqualTo(MarketPresets.DRIFT_LIQUIDATOR);
    assertThat(takenOver.price()).isEqualTo(d("8"));
    List<Event.LossSocialized> shares = all(Event.LossSocialized.class);
    assertThat(shares)
        .extracting(Event.LossSocialized::account, Event.LossSocialized::amount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("S", d("16.666667")),
            org.assertj.core.groups.Tuple.tuple("P", d("33.333334")),
            org.assertj.core.groups.Tuple.tuple("Q", d("33.333334")),
            org.assertj.core.groups.Tuple.tuple(MarketPresets.DRIFT_LIQUIDATOR, d("16.666667")));
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.resolution()).isEqualTo(Event.BackstopAction.SOCIALIZE);
    assertThat(applied.budgetNeeded()).isEqualTo(d("100"));
    assertThat(applied.residual()).isEqualTo(Decimal.ZERO);
    assertThat(account("X").equity()).isEqualTo(Decimal.ZERO);
    assertThat(engine.state().badDebt()).isEqualTo(Decimal.ZERO);
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * Bybit's drawdown rule (start at a 30% fall of the fund within 8 hours, stop at 25%): L1's order
   * finds no bid near its bankruptcy price, so the fund (3000) takes its position over, posting the
   * margin its account needs, and falls by more than 30%; L2, bankrupt in the same tick, is
   * deleveraged against S although the fund could still take it. The fund offloads L1's position to
   * the book's maker and its margin comes back. Eight hours later the window holds only the later
   * balances, the rule switches off, and the fund takes L3's position over again.
   */
  @Test
  void bybitDrawdownSwitchesDeleveragingOnAndOffAgain() {
    MarketConfig config =
        MarketPresets.builder("bybit", "if")
            .liquidationMode(dev.backstop.core.market.LiquidationMode.FULL)
            .build();
    apply(new Command.CreateMarket("BTC", config));
    apply(new Command.FundInsurance("BTC", d("3000")));
    // The book's maker, so that the fund can offload what it takes over.
    apply(new Command.Deposit("book", d("10000000"), MarginRef.cross()));
    apply(new Command.Deposit("S", d("1000000"), MarginRef.cross()));
    for (String a : List.of("L1", "L2", "L3")) {
      apply(new Command.Deposit(a, d("1100"), MarginRef.cross()));
    }
    apply(new Command.SetPrice("BTC", d("100000"), null, null));
    trade("BTC", "L1", "S", "1", "100000");
    trade("BTC", "L2", "S", "1", "100000");
    apply(new Command.SetPrice("BTC", d("98000"), null, null));

    List<Event.InsuranceFundChanged> covers =
        all(Event.InsuranceFundChanged.class).stream()
            .filter(f -> f.reason() == Event.FundReason.TAKEOVER_MARGIN)
            .toList();
    assertThat(covers).extracting(Event.InsuranceFundChanged::account).containsExactly("fund:if");
    assertThat(covers.getFirst().balance().compareTo(d("2100"))).isNegative();
    assertThat(all(Event.Deleveraged.class))
        .extracting(Event.Deleveraged::account)
        .containsExactly("L2");
    // the fund fell 48.17% from its 3,000 (to 1,555), past the 30% start
    firedBy("drawdown", "0.48166666", "0.3");
    long fundAfterFirstCrash = units(engine.state().insuranceFunds().getFirst().balance());

    apply(new Command.AdvanceTime(8 * 3_600_000L + 1));
    trade("BTC", "L3", "S", "1", "98000");
    apply(new Command.SetPrice("BTC", d("96000"), null, null));
    assertThat(all(Event.TakenOver.class))
        .extracting(Event.TakenOver::account)
        .containsExactly("L1", "L3");
    assertThat(all(Event.Deleveraged.class)).hasSize(1);
    assertThat(units(engine.state().insuranceFunds().getFirst().balance()))
        .isLessThan(fundAfterFirstCrash);
  }

  /**
   * OKX's market with its trigger changed by {@code change}: the decline rate of 30% in 8 hours
   * (stop at 25%) with OKX's balance or position level added. Full closes, so that one bankrupt
   * position is one order.
   */
  private static MarketConfig okx(
      java.util.function.UnaryOperator<BackstopSpec.Trigger.FundDrawdown> change) {
    BackstopSpec preset = MarketPresets.get("okx", "if").backstop();
    BackstopSpec.Trigger.FundDrawdown trigger =
        change.apply((BackstopSpec.Trigger.FundDrawdown) preset.trigger());
    return MarketPresets.builder("okx", "if")
        .liquidationMode(dev.backstop.core.market.LiquidationMode.FULL)
        .backstop(new BackstopSpec(trigger, preset.resolution(), preset.price()))
        .build();
  }

  /**
   * The crash of the Bybit example on OKX's market with a fund of 10,000: L1 and L2 are each long
   * 1 @ 100,000 with 1,100; at 98,000 each is 900 short and no bid is near its bankruptcy price
   * 98,900. The fund takes L1's position over, posting 1,342 of margin for its account: the fund
   * falls to 8,658, a decline of 13.4%, far from the 30% of the rate rule.
   */
  private void okxCrash(MarketConfig config) {
    apply(new Command.CreateMarket("BTC", config));
    apply(new Command.FundInsurance("BTC", d("10000")));
    apply(new Command.Deposit("book", d("10000000"), MarginRef.cross()));
    apply(new Command.Deposit("S", d("1000000"), MarginRef.cross()));
    for (String a : List.of("L1", "L2", "L3")) {
      apply(new Command.Deposit(a, d("1100"), MarginRef.cross()));
    }
    apply(new Command.SetPrice("BTC", d("100000"), null, null));
    trade("BTC", "L1", "S", "1", "100000");
    trade("BTC", "L2", "S", "1", "100000");
    apply(new Command.SetPrice("BTC", d("98000"), null, null));
  }

  /** The contrast of the two OKX examples: with the decline rate alone, the fund takes both. */
  @Test
  void okxDeclineRateAloneLetsTheFundTakeBothPositionsOver() {
    okxCrash(okx(t -> t));
    assertThat(all(Event.TakenOver.class))
        .extracting(Event.TakenOver::account)
        .containsExactly("L1", "L2");
    assertThat(all(Event.Deleveraged.class)).isEmpty();
  }

  /**
   * OKX's position-based trigger, {@code pos_adl_start} ("ADL begins due to the volume of
   * liquidation orders" accumulating "to a certain level"; OKX API v5, {@code adlType}), here a
   * level of 50,000 of notional held by the fund's takeover account. After L1's takeover the
   * account holds 1 BTC at mark 98,000, above the level: L2 is deleveraged, and the event names
   * {@code liquidation-volume}. The fund's balance (8,658) and its decline (13.4%) are no reason:
   * no balance level is set, and the rate rule starts at 30%.
   */
  @Test
  void okxPositionTriggerStartsAdlWhenTheTakenOverVolumeReachesItsLevel() {
    okxCrash(okx(t -> t.withPosition(50_000_000_000L)));
    assertThat(all(Event.TakenOver.class))
        .extracting(Event.TakenOver::account)
        .containsExactly("L1");
    assertThat(all(Event.Deleveraged.class))
        .extracting(Event.Deleveraged::account)
        .containsExactly("L2");
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.trigger()).isEqualTo("liquidation-volume");
    // 1 BTC at the mark of 98,000 held, against the level of 50,000
    firedBy("liquidation-volume", "98000", "50000");
    assertThat(applied.fundBalance()).isEqualTo(d("8658"));
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * OKX's balance-based trigger, {@code bal_adl_start} (OKX API v5, {@code GET
   * /api/v5/public/insurance-fund}, {@code adlType}; {@code adlBal}, "insurance fund balance that
   * triggers ADL", and {@code adlRecBal}, "that turns off ADL"), here 9,500 and 9,800. Without it
   * the fund, down 13.4% only, takes both bankrupt positions over. With it, the fund's 8,658 after
   * L1's takeover is below 9,500: L2, bankrupt in the same tick, is deleveraged against S at mark
   * (OKX's price while the fund is not nearly empty, so it recovers nothing of L2's 950), and the
   * event names the trigger, {@code fund-balance}, and the fund's balance, 8,658. The fund then
   * covers L2's 950 and gets 382.20 of its margin back as it sells L1's position to the book
   * (8,090.20). A top-up of 2,000 puts the balance above 9,800, ADL ends, and the fund takes L3's
   * position over again.
   */
  @Test
  void okxBalanceTriggerStartsAdlAtAdlBalAndEndsItAtAdlRecBal() {
    okxCrash(okx(t -> t.withBalance(9_500_000_000L, 9_800_000_000L)));
    assertThat(all(Event.TakenOver.class))
        .extracting(Event.TakenOver::account)
        .containsExactly("L1");
    assertThat(all(Event.Deleveraged.class))
        .extracting(Event.Deleveraged::account)
        .containsExactly("L2");
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.account()).isEqualTo("L2");
    assertThat(applied.trigger()).isEqualTo("fund-balance");
    firedBy("fund-balance", "8658", "9500");
    assertThat(applied.fundBalance()).isEqualTo(d("8658"));
    assertThat(applied.budgetNeeded()).isEqualTo(d("950"));

    apply(new Command.FundInsurance("BTC", d("2000")));
    trade("BTC", "L3", "S", "1", "98000");
    apply(new Command.SetPrice("BTC", d("96000"), null, null));
    assertThat(all(Event.TakenOver.class))
        .extracting(Event.TakenOver::account)
        .containsExactly("L1", "L3");
    assertThat(all(Event.Deleveraged.class)).hasSize(1);
    assertThat(engine.state().conservationError()).isZero();
  }

  private static long units(Decimal money) {
    return money.toUnits(6);
  }

  private MarketConfig lpMarket(String preset) {
    return WholeLots.of(preset).build();
  }

  /**
   * GMX v2's hysteresis (MAX_PNL_FACTOR_FOR_ADL 85%, MIN_PNL_FACTOR_AFTER_ADL 77%). The pool holds
   * V = 1000; T1 (300) and T2 (600) are each long 10 @ 100 against it. At 145 the longs' PnL is P =
   * 900: factor 90% > 85%. Realizing x = (900 - 0.85 * 1000) / 0.15 = 333.333334 (rounded up)
   * brings it back to 85%. T1, more levered, ranks first and closes ceil(10 * 333.333334 / 450) = 8
   * lots at mark: it realizes 360, the pool pays 360, so the factor is (900 - 360) / (1000 - 360) =
   * 84.375%: under the maximum and above the minimum. The next tick at the same price does nothing.
   */
  @Test
  void gmxReducesProfitablePositionsUntilThePnlFactorIsBackUnderTheMaximum() {
    apply(new Command.CreateMarket("ETH", lpMarket("gmx-v2")));
    apply(new Command.Deposit("gmx-pool", d("1000"), MarginRef.cross()));
    apply(new Command.Deposit("T1", d("300"), MarginRef.cross()));
    apply(new Command.Deposit("T2", d("600"), MarginRef.cross()));
    apply(new Command.SetPrice("ETH", d("100"), null, null));
    trade("ETH", "T1", "gmx-pool", "10", "100");
    trade("ETH", "T2", "gmx-pool", "10", "100");
    apply(new Command.SetPrice("ETH", d("145"), null, null));

    List<Event.Offsetting> offsets = all(Event.Offsetting.class);
    assertThat(offsets).hasSize(1);
    assertThat(offsets.getFirst().account()).isEqualTo("T1");
    assertThat(offsets.getFirst().size()).isEqualTo(d("-8"));
    assertThat(offsets.getFirst().price()).isEqualTo(d("145"));
    assertThat(offsets.getFirst().amount()).isEqualTo(Decimal.ZERO);
    // the factor of 90% over the maximum of 85%
    firedBy("pnl-factor", "0.9", "0.85");
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.account()).isEqualTo("gmx-pool");
    assertThat(applied.budgetNeeded()).isEqualTo(d("333.333334"));
    assertThat(applied.budgetTaken()).isEqualTo(Decimal.ZERO);
    assertThat(account("gmx-pool").collateral()).isEqualTo(d("640"));
    assertThat(account("T1").collateral()).isEqualTo(d("660"));
    long pnl = 0;
    for (String t : List.of("T1", "T2")) {
      pnl += units(account(t).positions().getFirst().unrealizedPnl());
    }
    assertThat(pnl).isEqualTo(540_000_000L);

    apply(new Command.SetPrice("ETH", d("145"), null, null));
    assertThat(all(Event.Offsetting.class)).hasSize(1);
  }

  /**
   * Tradoor (MECHANISMS.md): the TLP holds 100 and is the counterparty of A long 10, B long 5 and C
   * short 3 @ 100, so it is short 12. At 101 its exposure 12 * 101 = 1212 exceeds its liquidity 100
   * - 12 = 88. PR_0 = min(5%, 10% * 1212 / 88) = 5%, so the price is 1.05 * 101 = 106.05. Only
   * longs (the side that creates the exposure) are reduced, by the Tradoor score (A: profit rate
   * 10/1000 times leverage 1010/1000 ranks over B), until the LP is flat: A closes 10 and B 2; C's
   * short is untouched.
   */
  @Test
  void tradoorReducesTheExposureSideUntilTheLpIsFlat() {
    apply(new Command.CreateMarket("BTC", lpMarket("tradoor")));
    apply(new Command.Deposit("tlp", d("100"), MarginRef.cross()));
    for (String a : List.of("A", "B", "C")) {
      apply(new Command.Deposit(a, d("1000"), MarginRef.cross()));
    }
    apply(new Command.SetPrice("BTC", d("100"), d("100"), null));
    trade("BTC", "A", "tlp", "10", "100");
    trade("BTC", "B", "tlp", "5", "100");
    trade("BTC", "tlp", "C", "3", "100");
    apply(new Command.SetPrice("BTC", d("101"), d("101"), null));

    assertThat(all(Event.Offsetting.class))
        .extracting(Event.Offsetting::account, Event.Offsetting::size, Event.Offsetting::price)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A", d("-10"), d("106.05")),
            org.assertj.core.groups.Tuple.tuple("B", d("-2"), d("106.05")));
    assertThat(account("tlp").positions()).isEmpty();
    assertThat(account("C").positions().getFirst().size()).isEqualTo(d("-3"));
    assertThat(account("B").positions().getFirst().size()).isEqualTo(d("3"));
    Event.BackstopApplied applied = all(Event.BackstopApplied.class).getFirst();
    assertThat(applied.sizeNeeded()).isEqualTo(d("12"));
    assertThat(applied.sizeTaken()).isEqualTo(d("12"));
    // the trigger names its values: the exposure of 1212 over the liquidity of 88
    firedBy("lp-exposure", "1212", "88");
  }

  /**
   * Variational Omni counterparty liquidation (MECHANISMS.md): u1 and the OLP share pool p1, u1
   * with 1000 and the OLP with 2000. u1 buys 10 @ 3000 from the OLP. At 3180 the OLP's side has
   * equity 2000 - 1800 = 200, below its maintenance margin 1% * 31800 = 318, so the OLP is
   * liquidated: it is the taker and buys back at 3180 * 1.005 = 3195.9. u1 sells at 3195.9 instead
   * of 3180 and receives the penalty as the liquidation reward: 10 * 15.9 = 159; its equity is 1000
   * + 10 * 195.9 = 2959. The OLP keeps 2000 - 1959 = 41.
   */
  @Test
  void omniLiquidatesTheOlpAndPaysTheUserThePenalty() {
    apply(new Command.CreateMarket("ETH", MarketPresets.get("omni", "if")));
    apply(new Command.CreatePool("p1", "u1", "olp"));
    apply(new Command.Deposit("u1", d("1000"), MarginRef.pool("p1")));
    apply(new Command.Deposit("olp", d("2000"), MarginRef.pool("p1")));
    apply(new Command.SetPrice("ETH", d("3000"), null, null));
    apply(
        new Command.Trade(
            "ETH",
            "u1",
            "olp",
            d("10"),
            d("3000"),
            true,
            MarginRef.pool("p1"),
            MarginRef.pool("p1")));
    apply(new Command.SetPrice("ETH", d("3180"), null, null));

    Event.Liquidated liquidated = all(Event.Liquidated.class).getFirst();
    assertThat(liquidated.account()).isEqualTo("olp");
    assertThat(liquidated.maker()).isEqualTo("u1");
    assertThat(liquidated.price()).isEqualTo(d("3195.9"));
    Event.CounterpartyLiquidation cl = all(Event.CounterpartyLiquidation.class).getFirst();
    assertThat(cl.pool()).isEqualTo("p1");
    assertThat(cl.user()).isEqualTo("u1");
    assertThat(cl.provider()).isEqualTo("olp");
    assertThat(cl.size()).isEqualTo(d("-10"));
    assertThat(cl.markPrice()).isEqualTo(d("3180"));
    assertThat(cl.reward()).isEqualTo(d("159"));
    assertThat(all(Event.TraderNotice.class))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.account()).isEqualTo("u1");
              assertThat(n.category()).isEqualTo(Event.NoticeCategory.COUNTERPARTY_LIQUIDATION);
            });
    EngineState.MarginAccount user =
        engine.state().accounts().stream()
            .filter(a -> a.margin().equals("pool:p1") && a.account().equals("u1"))
            .findFirst()
            .orElseThrow();
    assertThat(user.equity()).isEqualTo(d("2959"));
    assertThat(user.positions()).isEmpty();
  }

  /**
   * Transparency: five longs of 10 @ 100 with collateral 100 to 500 (L1 to L5) face two shorts, S
   * (25 lots on 30: the most endangered) and S2 (25 lots on 10000). At 100.5 each long has PnL 5,
   * PnL% 0.5%, and effective leverage 1005 / (collateral + 5): BitMEX's score ranks L1 first and L5
   * last, so the five lights are 4, 3, 2, 1, 0. If S were deleveraged now, its 25 lots would close
   * L1's 10, L2's 10 and 5 of L3's. S is still solvent (bankruptcy 101.2 > mark), so nobody would
   * give up profit yet.
   */
  @Test
  void theRankingShowsRankScoreQuantileAndWhatEachWouldGiveNow() {
    apply(new Command.CreateMarket("BTC", lpMarket("bitmex")));
    apply(new Command.Deposit("S", d("30"), MarginRef.cross()));
    apply(new Command.Deposit("S2", d("10000"), MarginRef.cross()));
    for (int i = 1; i <= 5; i++) {
      apply(new Command.Deposit("L" + i, d(i * 100 + ""), MarginRef.cross()));
    }
    apply(new Command.SetPrice("BTC", d("100"), null, null));
    for (int i = 1; i <= 5; i++) {
      trade("BTC", "L" + i, "S2", "10", "100");
    }
    trade("BTC", "S2", "S", "25", "100");
    apply(new Command.SetPrice("BTC", d("100.5"), null, null));

    AdlRanking ranking = engine.adlRanking("BTC");
    assertThat(ranking.rule()).isEqualTo("queue");
    List<AdlRanking.Entry> longs =
        ranking.entries().stream().filter(e -> e.side().equals("long")).toList();
    assertThat(longs)
        .extracting(AdlRanking.Entry::account, AdlRanking.Entry::rank, AdlRanking.Entry::quantile)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("L1", 1L, 4),
            org.assertj.core.groups.Tuple.tuple("L2", 2L, 3),
            org.assertj.core.groups.Tuple.tuple("L3", 3L, 2),
            org.assertj.core.groups.Tuple.tuple("L4", 4L, 1),
            org.assertj.core.groups.Tuple.tuple("L5", 5L, 0));
    // L1: PnL% 5 / 1000 = 0.005 times 1005 / 105 = 9.571428... -> 0.04785714 (rounded down).
    assertThat(longs.getFirst().score()).isEqualTo(d("0.04785714"));
    assertThat(longs)
        .extracting(AdlRanking.Entry::sizeIfNow)
        .containsExactly(d("10"), d("10"), d("5"), Decimal.ZERO, Decimal.ZERO);
    assertThat(longs).allMatch(e -> e.haircutIfNow().signum() == 0);
    assertThat(engine.adlRanking("BTC")).isSameAs(ranking);
    apply(new Command.SetPrice("BTC", d("100.4"), null, null));
    assertThat(engine.adlRanking("BTC")).isNotSameAs(ranking);
  }

  /**
   * Omni's liquidity-constraint mode: the OLP provides pools p1 (u1 long 10 @ 3000, OLP initial
   * margin 30000 / 50 = 600) and p2 (u2 long 2 @ 3000, 120). Freeing 500 liquidates the OLP's side
   * of p1 only, the larger first: u1 is closed at 3000 * 1.005 = 3015 and receives 150; p2 stays
   * open.
   */
  @Test
  void omniFreesMarginByLiquidatingItsLargestPoolSideFirst() {
    apply(new Command.CreateMarket("ETH", MarketPresets.get("omni", "if")));
    for (String u : List.of("u1", "u2")) {
      String pool = u.equals("u1") ? "p1" : "p2";
      apply(new Command.CreatePool(pool, u, "olp"));
      apply(new Command.Deposit(u, d("5000"), MarginRef.pool(pool)));
      apply(new Command.Deposit("olp", d("5000"), MarginRef.pool(pool)));
    }
    apply(new Command.SetPrice("ETH", d("3000"), null, null));
    apply(
        new Command.Trade(
            "ETH",
            "u1",
            "olp",
            d("10"),
            d("3000"),
            true,
            MarginRef.pool("p1"),
            MarginRef.pool("p1")));
    apply(
        new Command.Trade(
            "ETH",
            "u2",
            "olp",
            d("2"),
            d("3000"),
            true,
            MarginRef.pool("p2"),
            MarginRef.pool("p2")));
    apply(new Command.FreeLpMargin("olp", d("500")));

    assertThat(all(Event.CounterpartyLiquidation.class))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.pool()).isEqualTo("p1");
              assertThat(c.user()).isEqualTo("u1");
              assertThat(c.price()).isEqualTo(d("3015"));
              assertThat(c.reward()).isEqualTo(d("150"));
            });
    List<EngineState.MarginAccount> pools =
        engine.state().accounts().stream().filter(a -> a.margin().startsWith("pool:")).toList();
    assertThat(pools)
        .filteredOn(a -> a.account().equals("u2"))
        .singleElement()
        .satisfies(a -> assertThat(a.positions()).hasSize(1));
    assertThat(pools)
        .filteredOn(a -> a.account().equals("u1"))
        .singleElement()
        .satisfies(a -> assertThat(a.equity()).isEqualTo(d("5150")));
  }

  /**
   * Water-filling on factor-adjusted leverage (Campbell, Hey, Moallemi, Nutz): X is short 10 BTC on
   * 50 and goes bankrupt at 110. Two longs stand opposite: A (10 BTC on 200: leverage 1100 / 300 =
   * 3.7) and H (20 BTC and short 20 ETH on 200: gross BTC leverage 2200 / 400 = 5.5, but its factor
   * exposure is 2200 - 2000 = 200, leverage 0.5). Gross leverage would cut H first; factor-adjusted
   * water-filling cuts A down to H's level first: A gives 9 lots, H 1.
   */
  @Test
  void waterFillingCutsTheHedgedAccountLast() {
    MarketConfig config = WholeLots.of("water-filling").build();
    apply(new Command.CreateMarket("BTC", config));
    apply(new Command.CreateMarket("ETH", config));
    apply(new Command.Deposit("X", d("50"), MarginRef.cross()));
    for (String a : List.of("A", "H")) {
      apply(new Command.Deposit(a, d("200"), MarginRef.cross()));
    }
    for (String a : List.of("S", "E")) {
      apply(new Command.Deposit(a, d("100000"), MarginRef.cross()));
    }
    apply(new Command.SetPrice("BTC", d("100"), null, null));
    apply(new Command.SetPrice("ETH", d("100"), null, null));
    trade("BTC", "A", "X", "10", "100");
    trade("BTC", "H", "S", "20", "100");
    trade("ETH", "E", "H", "20", "100");
    apply(new Command.SetPrice("BTC", d("110"), null, null));

    assertThat(all(Event.Deleveraged.class)).allMatch(e -> e.account().equals("X"));
    assertThat(all(Event.Offsetting.class))
        .extracting(Event.Offsetting::account, Event.Offsetting::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A", d("-9")),
            org.assertj.core.groups.Tuple.tuple("H", d("-1")));
  }

  /**
   * A research policy deleverages one round per side and pass (Chitra, arXiv 2512.01112: the
   * round's deficit is the sum over its losers): X1, X2 and X3, short 10, 20 and 30 lots on 100
   * with 5% margin, go bankrupt at 105 in the same tick to 110. Contract pro rata shares their 60
   * lots over the 120 lots long (A 30, B 20, C 10, D 60): everyone closes half, A 15, B 10, C 5, D
   * 30, and the lots are matched to the bankrupt positions in order (A's 15 to X1's 10 and X2; B
   * and C to X2; D to X3): five fills, where closing each bankrupt position on its own makes a fill
   * per winner per bankruptcy.
   */
  @Test
  void contractProRataSharesOneRoundAmongTheTicksBankruptcies() {
    MarketConfig config = WholeLots.of("contract-pro-rata").build();
    apply(new Command.CreateMarket("BTC", config));
    for (String a : List.of("A", "B", "C", "D", "E")) {
      apply(new Command.Deposit(a, d("100000"), MarginRef.cross()));
    }
    apply(new Command.Deposit("X1", d("50"), MarginRef.cross()));
    apply(new Command.Deposit("X2", d("100"), MarginRef.cross()));
    apply(new Command.Deposit("X3", d("150"), MarginRef.cross()));
    apply(new Command.SetPrice("BTC", d("100"), null, null));
    trade("BTC", "A", "X1", "10", "100");
    trade("BTC", "A", "X2", "20", "100");
    trade("BTC", "B", "X3", "20", "100");
    trade("BTC", "C", "X3", "10", "100");
    trade("BTC", "D", "E", "60", "100");
    events.clear();
    apply(new Command.SetPrice("BTC", d("110"), null, null));

    assertThat(all(Event.Deleveraged.class))
        .extracting(Event.Deleveraged::account, Event.Deleveraged::counterparty)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("X1", "A"),
            org.assertj.core.groups.Tuple.tuple("X2", "A"),
            org.assertj.core.groups.Tuple.tuple("X2", "B"),
            org.assertj.core.groups.Tuple.tuple("X2", "C"),
            org.assertj.core.groups.Tuple.tuple("X3", "D"));
    assertThat(all(Event.Offsetting.class))
        .extracting(Event.Offsetting::account, Event.Offsetting::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A", d("-10")),
            org.assertj.core.groups.Tuple.tuple("A", d("-5")),
            org.assertj.core.groups.Tuple.tuple("B", d("-10")),
            org.assertj.core.groups.Tuple.tuple("C", d("-5")),
            org.assertj.core.groups.Tuple.tuple("D", d("-30")));
    assertThat(all(Event.Deleveraged.class)).allMatch(e -> e.price().equals(d("105")));
    assertThat(all(Event.BackstopApplied.class))
        .extracting(Event.BackstopApplied::account, Event.BackstopApplied::sizeTaken)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("X1", d("10")),
            org.assertj.core.groups.Tuple.tuple("X2", d("20")),
            org.assertj.core.groups.Tuple.tuple("X3", d("30")));
    for (String a : List.of("X1", "X2", "X3")) {
      assertThat(account(a).positions()).isEmpty();
    }
  }
}
