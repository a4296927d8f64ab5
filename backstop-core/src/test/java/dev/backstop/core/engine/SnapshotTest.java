package dev.backstop.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.Event;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.num.Decimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The snapshot is the state: the state hash is SHA-256 of its canonical bytes, so any state that
 * can change a future event changes the hash, and a restored engine continues exactly as the
 * original. Each case below was a collision of the earlier hand-listed hash.
 */
class SnapshotTest {

  private static final MarginRef CROSS = MarginRef.cross();

  private static Decimal d(String text) {
    return Decimal.parse(text);
  }

  private static Engine run(List<Command> commands) {
    Engine engine = new Engine();
    for (Command c : commands) {
      engine.apply(c);
    }
    return engine;
  }

  /** Hyperliquid deleverages at the previous mark, so it is state (not a derived value). */
  private static List<Command> hyperliquidLong(String firstMove) {
    return List.of(
        new Command.CreateMarket("BTC", MarketPresets.get("hyperliquid", "hlp")),
        new Command.Deposit("A", d("100000"), CROSS),
        new Command.Deposit("B", d("3000"), CROSS),
        new Command.SetPrice("BTC", d("100000"), null, null),
        new Command.Trade("BTC", "A", "B", d("1"), d("100000"), true, CROSS, CROSS),
        new Command.SetPrice("BTC", d(firstMove), null, null),
        new Command.SetPrice("BTC", d("100600"), null, null));
  }

  @Test
  void thePreviousMarkIsInTheHash() {
    Engine a = run(hyperliquidLong("100500"));
    Engine b = run(hyperliquidLong("100400"));
    assertThat(a.state().accounts()).isEqualTo(b.state().accounts());
    assertThat(a.stateHash()).isNotEqualTo(b.stateHash());
  }

  @Test
  void namesAreHashedWholeNotByStringHashCode() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    List<Command> aa =
        List.of(
            new Command.CreateMarket("BTC", MarketPresets.get("bitmex", "insurance")),
            new Command.Deposit("Aa", d("100"), CROSS));
    List<Command> bb =
        List.of(
            new Command.CreateMarket("BTC", MarketPresets.get("bitmex", "insurance")),
            new Command.Deposit("BB", d("100"), CROSS));
    assertThat(run(aa).stateHash()).isNotEqualTo(run(bb).stateHash());
  }

  @Test
  void theEventSequenceIsInTheHash() {
    // Same balances, different number of events so far (dYdX's random start mixes it in).
    Engine once = run(List.of(new Command.Deposit("a", d("2"), CROSS)));
    Engine twice =
        run(
            List.of(
                new Command.Deposit("a", d("1"), CROSS), new Command.Deposit("a", d("1"), CROSS)));
    assertThat(once.state().accounts()).isEqualTo(twice.state().accounts());
    assertThat(once.state().deposited()).isEqualTo(twice.state().deposited());
    assertThat(once.stateHash()).isNotEqualTo(twice.stateHash());
  }

  @Test
  void theInsuranceFundHistoryIsInTheHash() {
    // Same balance now, different peak in the window: the Bybit/OKX drawdown trigger differs.
    MarketConfig bybit = MarketPresets.get("bybit", "insurance");
    Engine flat =
        run(
            List.of(
                new Command.CreateMarket("BTC", bybit),
                new Command.FundInsurance("BTC", d("100"))));
    Engine peaked =
        run(
            List.of(
                new Command.CreateMarket("BTC", bybit),
                new Command.FundInsurance("BTC", d("50")),
                new Command.AdvanceTime(1),
                new Command.FundInsurance("BTC", d("50"))));
    assertThat(flat.state().insuranceFunds()).isEqualTo(peaked.state().insuranceFunds());
    assertThat(flat.stateHash()).isNotEqualTo(peaked.stateHash());
  }

  /**
   * Every field of a market's configuration is in the snapshot: changing any one changes the hash.
   */
  @Test
  void theConfigurationIsInTheHashFieldByField() {
    MarketConfig base = MarketPresets.get("binance", "insurance");
    List<java.util.function.UnaryOperator<MarketConfig.Builder>> changes =
        List.of(
            b -> b.preset("other"),
            b -> b.sizeDecimals(3),
            b -> b.priceDecimals(1),
            b -> b.tiers(dev.backstop.core.market.RiskTiers.flat(10, 5_000_000)),
            b -> b.takerFeeRate(base.takerFeeRate() + 1),
            b -> b.makerFeeRate(base.makerFeeRate() + 1),
            b -> b.liquidationPenaltyRate(base.liquidationPenaltyRate() + 1),
            b -> b.liquidationMode(dev.backstop.core.market.LiquidationMode.FULL),
            b -> b.surplusRule(dev.backstop.core.market.SurplusRule.KEEP),
            b -> b.insuranceFund("other"),
            b ->
                b.liquidity(
                    dev.backstop.core.market.LiquiditySpec.OrderBook.standard("book")
                        .withDepth(1_000_000)),
            b ->
                b.liquidity(
                    dev.backstop.core.market.LiquiditySpec.OrderBook.standard("book")
                        .withTakeover(new dev.backstop.core.market.TakeoverSpec.Fund(1, 1))),
            b -> b.priceBandRate(base.priceBandRate() + 1),
            b -> b.unrealizedPnlWithdrawable(!base.unrealizedPnlWithdrawable()),
            b -> b.maxInsurance(base.maxInsurance() + 1),
            b -> b.backstop(MarketPresets.get("bitmex", "insurance").backstop()),
            b -> b.factorLoading(2));
    long original = run(List.of(new Command.CreateMarket("BTC", base))).stateHash();
    java.util.Set<Long> hashes = new java.util.HashSet<>(List.of(original));
    for (var change : changes) {
      MarketConfig changed = change.apply(base.toBuilder()).build();
      assertThat(changed).isNotEqualTo(base);
      Engine engine = run(List.of(new Command.CreateMarket("BTC", changed)));
      assertThat(hashes.add(engine.stateHash())).as(changed.toString()).isTrue();
      assertThat(Engine.restore(engine.snapshot()).state()).isEqualTo(engine.state());
    }
  }

  @Test
  void aRestoredEngineContinuesWithTheSameEventsAndHash() {
    List<Command> all = new ArrayList<>(hyperliquidLong("100500"));
    all.add(new Command.SetPrice("BTC", d("97200"), null, null));
    all.add(new Command.SetPrice("BTC", d("96000"), null, null));
    for (int cut = 0; cut <= all.size(); cut++) {
      Engine original = run(all.subList(0, cut));
      Engine restored = Engine.restore(original.snapshot());
      assertThat(restored.stateHash()).isEqualTo(original.stateHash());
      assertThat(restored.state()).isEqualTo(original.state());
      for (Command c : all.subList(cut, all.size())) {
        assertThat(restored.apply(c))
            .as("after cut " + cut + ": " + c)
            .isEqualTo(original.apply(c));
      }
      assertThat(restored.snapshot()).isEqualTo(original.snapshot());
    }
  }

  @Test
  void aCorruptedSnapshotIsRefusedWithAReasonAndNeverHalfRestored() {
    Engine engine = run(hyperliquidLong("100500"));
    byte[] good = engine.snapshot();
    assertThatThrownBy(() -> Engine.restore(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(SnapshotException.class)
        .hasMessageMatching(".*(ends inside|does not fit the snapshot).*");
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> Engine.restore(longer))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("after the end");
    byte[] otherFormat = good.clone();
    otherFormat[4] ^= 1;
    assertThatThrownBy(() -> Engine.restore(otherFormat))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("not a Backstop engine snapshot");
    // Every single-byte corruption either restores to an engine whose snapshot is exactly those
    // bytes (a different but consistent state) or is refused with a SnapshotException.
    SplittableRandom random = new SplittableRandom(11);
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

  @Test
  void aRestoredEngineRefusesAndRollsBackAsTheOriginal() {
    Engine original = run(hyperliquidLong("100500"));
    Engine restored = Engine.restore(original.snapshot());
    Command tooBig = new Command.Trade("BTC", "A", "B", d("100"), d("100600"), true, CROSS, CROSS);
    List<Event> events = restored.apply(tooBig);
    assertThat(events).isEqualTo(original.apply(tooBig));
    assertThat(events).singleElement().isInstanceOf(Event.Rejected.class);
    assertThat(restored.stateHash()).isEqualTo(original.stateHash());
  }

  @Test
  void aNameThatIsNotWellFormedUnicodeIsRefused() {
    Engine engine = new Engine();
    List<Event> events = engine.apply(new Command.Deposit("\ud800", d("1"), CROSS));
    assertThat(events).singleElement().isInstanceOf(Event.Rejected.class);
    assertThat(((Event.Rejected) events.get(0)).reason()).contains("not well-formed Unicode");
    assertThat(engine.apply(new Command.Deposit("\ud83d\ude00", d("1"), CROSS)))
        .noneMatch(Event.Rejected.class::isInstance);
  }

  @Test
  void aViewOfTheStateNeverFails() {
    // A holds a micro-unit behind a position worth 8 * 10^9 that nobody can take (the book's
    // maker has no collateral, the fund is empty, A is not bankrupt): its margin ratio does not
    // fit a long, and the view saturates it.
    Engine engine =
        run(
            List.of(
                new Command.CreateMarket("BTC", MarketPresets.get("bitmex", "insurance")),
                new Command.Deposit("A", d("2000000000.000001"), CROSS),
                new Command.Deposit("B", d("100000000000"), CROSS),
                new Command.SetPrice("BTC", d("100000"), null, null),
                new Command.Trade("BTC", "A", "B", d("100000"), d("100000"), false, CROSS, CROSS),
                new Command.SetPrice("BTC", d("80000"), null, null)));
    EngineState.MarginAccount book =
        engine.state().accounts().stream()
            .filter(a -> a.account().equals("A"))
            .findFirst()
            .orElseThrow();
    assertThat(book.equity()).isEqualTo(d("0.000001"));
    assertThat(book.marginRatio()).isNotNull();
    assertThat(engine.adlRanking("BTC")).isNotNull();
  }

  @Test
  void aSnapshotWhoseMarketLostItsTakeoverAccountIsRefused() {
    Engine engine = run(hyperliquidLong("100500"));
    byte[] good = engine.snapshot();
    // In the account table the vault's name is followed by its role, the same words: make the
    // role "user".
    byte[] vault =
        MarketPresets.HYPERLIQUID_VAULT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] entry = new byte[(4 + vault.length) * 2];
    java.nio.ByteBuffer.wrap(entry).putInt(vault.length).put(vault).putInt(vault.length).put(vault);
    byte[] user = new byte[4 + vault.length + 8];
    java.nio.ByteBuffer.wrap(user).putInt(vault.length).put(vault).putInt(4).put("user".getBytes());
    int at = -1;
    for (int i = 0; i + entry.length <= good.length; i++) {
      if (Arrays.equals(Arrays.copyOfRange(good, i, i + entry.length), entry)) {
        at = i;
      }
    }
    assertThat(at).isPositive();
    byte[] bad = new byte[good.length - entry.length + user.length];
    System.arraycopy(good, 0, bad, 0, at);
    System.arraycopy(user, 0, bad, at, user.length);
    System.arraycopy(
        good, at + entry.length, bad, at + user.length, good.length - at - entry.length);
    assertThatThrownBy(() -> Engine.restore(bad))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("takeover account is missing");
  }
}
