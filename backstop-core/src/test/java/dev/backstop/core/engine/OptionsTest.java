package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.option.OptionKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Options in a Variational Omni settlement pool, worked with hand-checked numbers. The seed's case
 * (Omni's liquidation docs): "For options, the penalty will apply to the implied volatility. So
 * options would be bought at an implied volatility 1% higher in our previous example", where the
 * previous example's penalty was 1%.
 *
 * <p>Every case: ETH-PERP on the {@code omni} preset with a 1% liquidation penalty (so 1 vol point
 * for options), lots of 0.0001 ETH, ticks of 0.01, mark 3000; the call ETH-C3000 (strike 3000,
 * expiry in 30 days, volatility 60%). The numbers below come from Black-76 with r = 0 and T =
 * 30/365, evaluated independently (the normal distribution by {@code erfc}) and rounded as the
 * engine rounds: at 3000 the call is worth 205.61822 (mark premium 205.62, rounded up), delta
 * 0.53427, vega 3.41853 per vol point.
 */
class OptionsTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long EXPIRY = T0 + 30L * 24 * 60 * 60 * 1000;
  private static final MarginRef POOL = MarginRef.pool("trader-olp");

  private final Engine engine = new Engine();
  private final List<Event> events = new ArrayList<>();

  private List<Event> apply(Command command) {
    List<Event> out = engine.apply(command);
    events.addAll(out);
    return out;
  }

  private static Decimal d(String text) {
    return Decimal.parse(text);
  }

  private <T extends Event> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private EngineState.MarginAccount side(String account) {
    return engine.state().accounts().stream()
        .filter(a -> a.account().equals(account) && a.margin().equals(POOL.toString()))
        .findFirst()
        .orElseThrow();
  }

  /** The pool, its deposits, the mark and the call, and a trade of 10 calls at the mark premium. */
  private void setUp(String traderDeposit, String olpDeposit, boolean traderSells) {
    apply(new Command.AdvanceTime(T0));
    apply(
        new Command.CreateMarket(
            "ETH-PERP",
            MarketPresets.builder("omni", "ETH-PERP").liquidationPenaltyRate(1_000_000).build()));
    apply(new Command.CreatePool("trader-olp", "trader", "olp"));
    apply(new Command.Deposit("trader", d(traderDeposit), POOL));
    apply(new Command.Deposit("olp", d(olpDeposit), POOL));
    apply(new Command.SetPrice("ETH-PERP", d("3000"), d("3000"), null));
    apply(
        new Command.CreateOption(
            "ETH-C3000", "ETH-PERP", OptionKind.CALL, d("3000"), EXPIRY, d("0.6")));
    List<Event> trade =
        apply(
            new Command.OptionTrade(
                "ETH-C3000",
                traderSells ? "olp" : "trader",
                traderSells ? "trader" : "olp",
                d("10"),
                d("205.62"),
                !traderSells,
                "trader-olp"));
    assertThat(trade).noneMatch(Event.Rejected.class::isInstance);
  }

  /**
   * The seed's case. The trader sells 10 calls at 205.62 with 6000 in the pool. Its initial margin
   * is the worst loss over the initial grid (+22.5%, volatility 82.5%): 5541.5, so 6000 is enough;
   * its maintenance margin is 3515.2 (+15%, 75%). At 3300 the call's mark premium is 398.11: the
   * trader's equity is 6000 - 10 * (398.11 - 205.62) = 4075.1, below its maintenance margin of
   * 4471.6. It is liquidated: it buys the calls back at volatility 61%, a premium of 401.1905...
   * rounded up to 401.20, paying the OLP 10 * (401.20 - 398.11) = 30.9 beyond the mark. It realizes
   * 10 * (205.62 - 401.20) = -1955.8 and keeps 6000 - 1955.8 = 4044.2.
   */
  @Test
  void aShortCallIsLiquidatedAtItsVolatilityPlusOnePoint() {
    setUp("6000", "100000", true);
    EngineState.MarginAccount trader = side("trader");
    assertThat(trader.maintenanceMargin()).isEqualTo(d("3515.2"));
    assertThat(trader.initialMargin()).isEqualTo(d("5541.5"));
    EngineState.Option call = engine.state().options().getFirst();
    assertThat(call.premium()).isEqualTo(d("205.62"));
    assertThat(call.delta()).isEqualTo(d("0.53426970"));
    assertThat(call.vega()).isEqualTo(d("3.4185286266"));

    apply(new Command.SetPrice("ETH-PERP", d("3200"), d("3200"), null));
    assertThat(all(Event.OptionLiquidated.class)).isEmpty();
    apply(new Command.SetPrice("ETH-PERP", d("3300"), d("3300"), null));

    Event.OptionLiquidated liquidated = all(Event.OptionLiquidated.class).getFirst();
    assertThat(liquidated.account()).isEqualTo("trader");
    assertThat(liquidated.maker()).isEqualTo("olp");
    assertThat(liquidated.sizeClosed()).isEqualTo(d("10"));
    assertThat(liquidated.impliedVolatility()).isEqualTo(d("0.6"));
    assertThat(liquidated.volatility()).isEqualTo(d("0.61"));
    assertThat(liquidated.markPremium()).isEqualTo(d("398.11"));
    assertThat(liquidated.premium()).isEqualTo(d("401.2"));
    assertThat(liquidated.penalty()).isEqualTo(d("30.9"));
    assertThat(all(Event.CounterpartyLiquidation.class)).isEmpty();
    trader = side("trader");
    assertThat(trader.equity()).isEqualTo(d("4044.2"));
    assertThat(trader.collateral()).isEqualTo(d("4044.2"));
    assertThat(engine.state().optionPositions()).isEmpty();
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * The same move with the roles swapped: the trader buys the 10 calls and the OLP, short them with
   * 6000 in the pool, falls below maintenance at 3300. The OLP is the taker and buys back at 61%:
   * the trader sells at 401.20 instead of the mark premium 398.11 and receives the penalty of 30.9
   * as its liquidation reward (a counterparty liquidation with a notice). The trader's equity is
   * 100000 + 10 * (401.20 - 205.62) = 101955.8.
   */
  @Test
  void theOlpsCounterpartyLiquidationPaysTheUserThePenalty() {
    setUp("100000", "6000", false);
    apply(new Command.SetPrice("ETH-PERP", d("3300"), d("3300"), null));

    Event.OptionLiquidated liquidated = all(Event.OptionLiquidated.class).getFirst();
    assertThat(liquidated.account()).isEqualTo("olp");
    assertThat(liquidated.premium()).isEqualTo(d("401.2"));
    Event.CounterpartyLiquidation cl = all(Event.CounterpartyLiquidation.class).getFirst();
    assertThat(cl.pool()).isEqualTo("trader-olp");
    assertThat(cl.market()).isEqualTo("ETH-C3000");
    assertThat(cl.user()).isEqualTo("trader");
    assertThat(cl.provider()).isEqualTo("olp");
    assertThat(cl.size()).isEqualTo(d("-10"));
    assertThat(cl.price()).isEqualTo(d("401.2"));
    assertThat(cl.markPrice()).isEqualTo(d("398.11"));
    assertThat(cl.reward()).isEqualTo(d("30.9"));
    assertThat(all(Event.TraderNotice.class))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.account()).isEqualTo("trader");
              assertThat(n.market()).isEqualTo("ETH-C3000");
              assertThat(n.amount()).isEqualTo(d("30.9"));
            });
    assertThat(side("trader").equity()).isEqualTo(d("101955.8"));
    assertThat(side("olp").equity()).isEqualTo(d("4044.2"));
    assertThat(engine.state().conservationError()).isZero();
  }

  /**
   * Expiry settles in cash at the index, to the unit. The trader is long 10 calls bought at 205.62
   * (cost 2056.2). At expiry the index is 3123.45 (mark 3120): each call pays 123.45, so the trader
   * receives 1234.5 and realizes 1234.5 - 2056.2 = -821.7; the OLP realizes +821.7. Nothing is
   * created or lost: the sum of equities is unchanged to the unit, and the conservation balance is
   * zero.
   */
  @Test
  void expirySettlesAtTheIndexAndConservesValueToTheUnit() {
    setUp("100000", "100000", false);
    assertThat(
            apply(new Command.ExpireOption("ETH-C3000")).getFirst() instanceof Event.Rejected r
                ? r.code()
                : null)
        .isEqualTo(RejectionCode.NOT_EXPIRED);
    apply(new Command.AdvanceTime(EXPIRY));
    apply(new Command.SetPrice("ETH-PERP", d("3120"), d("3123.45"), null));
    long before = totalEquity();
    List<Event> expiry = apply(new Command.ExpireOption("ETH-C3000"));

    Event.OptionExpired expired =
        expiry.stream()
            .filter(Event.OptionExpired.class::isInstance)
            .map(Event.OptionExpired.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(expired.settlementPrice()).isEqualTo(d("3123.45"));
    assertThat(expired.payoff()).isEqualTo(d("123.45"));
    assertThat(expired.openInterest()).isEqualTo(d("10"));
    assertThat(expired.paid()).isEqualTo(d("1234.5"));
    assertThat(side("trader").collateral()).isEqualTo(d("99178.3"));
    assertThat(side("olp").collateral()).isEqualTo(d("100821.7"));
    assertThat(totalEquity()).isEqualTo(before);
    assertThat(engine.state().conservationError()).isZero();
    assertThat(engine.state().optionPositions()).isEmpty();
    assertThat(engine.state().options().getFirst().settlementPrice()).isEqualTo(d("3123.45"));

    Event again = apply(new Command.ExpireOption("ETH-C3000")).getFirst();
    assertThat(again)
        .isInstanceOfSatisfying(
            Event.Rejected.class, r -> assertThat(r.code()).isEqualTo(RejectionCode.EXPIRED));
    Event late =
        apply(
                new Command.OptionTrade(
                    "ETH-C3000", "trader", "olp", d("1"), d("100"), true, "trader-olp"))
            .getFirst();
    assertThat(late)
        .isInstanceOfSatisfying(
            Event.Rejected.class, r -> assertThat(r.code()).isEqualTo(RejectionCode.EXPIRED));
  }

  private long totalEquity() {
    long total = 0;
    for (EngineState.MarginAccount a : engine.state().accounts()) {
      total += a.equity().toUnits(6);
    }
    return total;
  }

  /**
   * The scenario margin combines options with the pool's perpetual on the same underlying: a
   * covered short call (short 10 calls, long 10 ETH-PERP) loses at most in a fall, far less than
   * the naked call's 3515.2 or the perpetual's 15% move alone.
   */
  @Test
  void aPerpetualHedgeLowersTheScenarioMargin() {
    setUp("6000", "100000", true);
    long naked = side("trader").maintenanceMargin().toUnits(6);
    apply(new Command.Trade("ETH-PERP", "trader", "olp", d("5"), d("3000"), true, POOL, POOL));
    long hedged = side("trader").maintenanceMargin().toUnits(6);
    assertThat(hedged).isLessThan(naked);
    assertThat(hedged).isPositive();
  }

  /**
   * Omni's liquidity-constraint mode closes the provider's options too: the OLP, short 10 calls at
   * 3000, must free margin, so it buys them back at volatility 61%, 209.036538... rounded up to
   * 209.04 against the mark premium 205.62, and the trader receives 10 * 3.42 = 34.2.
   */
  @Test
  void freeingTheProvidersMarginClosesItsOptionsInTheUsersFavour() {
    setUp("100000", "100000", false);
    apply(new Command.FreeLpMargin("olp", d("1")));
    Event.CounterpartyLiquidation cl = all(Event.CounterpartyLiquidation.class).getFirst();
    assertThat(cl.market()).isEqualTo("ETH-C3000");
    assertThat(cl.price()).isEqualTo(d("209.04"));
    assertThat(cl.markPrice()).isEqualTo(d("205.62"));
    assertThat(cl.reward()).isEqualTo(d("34.2"));
    assertThat(side("trader").equity()).isEqualTo(d("100034.2"));
    assertThat(engine.state().optionPositions()).isEmpty();
  }

  /** Refused option commands carry their code and change nothing. */
  @Test
  void badOptionCommandsAreRefusedAndChangeNothing() {
    setUp("6000", "100000", true);
    long hash = engine.stateHash();
    List<Command> bad =
        List.of(
            new Command.OptionTrade("ETH-C3000", "trader", "olp", d("1"), d("205.62"), true, null),
            new Command.OptionTrade(
                "ETH-C3000", "trader", "olp", d("1"), d("300"), true, "trader-olp"),
            new Command.OptionTrade(
                "ETH-C3000", "trader", "olp", d("0.00001"), d("205.62"), true, "trader-olp"),
            new Command.OptionTrade(
                "NOPE", "trader", "olp", d("1"), d("205.62"), true, "trader-olp"),
            new Command.OptionTrade(
                "ETH-C3000", "olp", "trader", d("100"), d("205.62"), true, "trader-olp"),
            new Command.SetVolatility("ETH-C3000", d("0")),
            new Command.SetVolatility("ETH-C3000", d("10.5")),
            new Command.CreateOption(
                "ETH-PERP", "ETH-PERP", OptionKind.PUT, d("3000"), EXPIRY, d("0.5")),
            new Command.CreateOption("ETH-P1", "ETH-PERP", OptionKind.PUT, d("3000"), T0, d("0.5")),
            new Command.CreateMarket("ETH-C3000", MarketPresets.get("omni", "x")));
    List<RejectionCode> codes = new ArrayList<>();
    for (Command c : bad) {
      Event e = apply(c).getFirst();
      assertThat(e).isInstanceOf(Event.Rejected.class);
      codes.add(((Event.Rejected) e).code());
      assertThat(engine.stateHash()).isEqualTo(hash);
    }
    assertThat(codes)
        .containsExactly(
            RejectionCode.INVALID_ARGUMENT,
            RejectionCode.PRICE_BAND,
            RejectionCode.INVALID_ARGUMENT,
            RejectionCode.UNKNOWN_MARKET,
            RejectionCode.INSUFFICIENT_MARGIN,
            RejectionCode.INVALID_ARGUMENT,
            RejectionCode.INVALID_ARGUMENT,
            RejectionCode.ALREADY_EXISTS,
            RejectionCode.INVALID_ARGUMENT,
            RejectionCode.ALREADY_EXISTS);
  }

  /**
   * Every single-byte corruption of a snapshot with options either restores to an engine whose
   * snapshot is exactly those bytes or is refused with a reason; trailing bytes are refused.
   */
  @Test
  void aCorruptedOptionSnapshotIsRefusedOrExactlyWhatItSays() {
    setUp("6000", "100000", true);
    byte[] good = engine.snapshot();
    assertThatThrownBy(() -> Engine.restore(java.util.Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("after the end");
    java.util.SplittableRandom random = new java.util.SplittableRandom(13);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] = (byte) (bad[i] ^ (1 + random.nextInt(255)));
      try {
        assertThat(Engine.restore(bad).snapshot()).as("byte " + i).isEqualTo(bad);
      } catch (SnapshotException expected) {
        assertThat(expected.getMessage()).as("byte " + i).isNotBlank();
      }
    }
  }

  /**
   * Option markets, positions and volatilities are in the snapshot: a restored engine continues.
   */
  @Test
  void aRestoredEngineContinuesIdentically() {
    setUp("6000", "100000", true);
    apply(new Command.SetVolatility("ETH-C3000", d("0.65")));
    Engine restored = Engine.restore(engine.snapshot());
    assertThat(restored.stateHash()).isEqualTo(engine.stateHash());
    assertThat(restored.state()).isEqualTo(engine.state());
    Command crash = new Command.SetPrice("ETH-PERP", d("3300"), d("3300"), null);
    assertThat(restored.apply(crash)).isEqualTo(engine.apply(crash));
    assertThat(restored.stateHash()).isEqualTo(engine.stateHash());
  }
}
