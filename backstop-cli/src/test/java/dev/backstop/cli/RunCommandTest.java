package dev.backstop.cli;

import static dev.backstop.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.RandomPolicy;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.event.WireName;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.json.CommandReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backstop run} as {@code docs/CLI.md} describes it, in process, on temporary files. */
class RunCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The example stream of CLI.md, with a deposit for the seller it names. */
  private static final List<String> CLI_MD_EXAMPLE =
      List.of(
          """
          {"type":"market","market":"BTC-PERP","preset":"bitmex"}""",
          """
          {"type":"deposit","account":"a1","amount":"1000"}""",
          """
          {"type":"deposit","account":"a2","amount":"5000"}""",
          """
          {"type":"withdraw","account":"a1","amount":"10"}""",
          """
          {"type":"insurance","market":"BTC-PERP","amount":"5000"}""",
          """
          {"type":"trade","market":"BTC-PERP","buyer":"a1","seller":"a2","size":"0.5",\
          "price":"100000","taker":"buyer"}""",
          """
          {"type":"price","market":"BTC-PERP","mark":"95000","index":"95010"}""",
          """
          {"type":"funding","market":"BTC-PERP","rate":"0.0001"}""");

  @TempDir Path dir;

  private CliRun runFile(Path commands, String name) {
    return run(
        "run",
        "--commands",
        commands.toString(),
        "--events",
        dir.resolve(name + ".events.jsonl").toString(),
        "--state",
        dir.resolve(name + ".state.json").toString());
  }

  private Path commands(String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, lines);
    return file;
  }

  private List<JsonNode> events(String name) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(name + ".events.jsonl"))) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  private JsonNode state(String name) throws IOException {
    return JSON.readTree(dir.resolve(name + ".state.json").toFile());
  }

  private static List<JsonNode> ofType(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.get("type").asText().equals(type)).toList();
  }

  private static JsonNode account(JsonNode state, String name) {
    for (JsonNode a : state.get("accounts")) {
      if (a.get("account").asText().equals(name) && a.get("margin").asText().equals("cross")) {
        return a;
      }
    }
    throw new AssertionError("no cross account " + name + " in " + state);
  }

  /**
   * A run cut in two, the first half ending with {@code --snapshot} and the second starting with
   * {@code --restore}, gives the same events for the second half and the same final state hash as
   * the unbroken run.
   */
  @Test
  void aSnapshotRestoredContinuesExactlyAsTheUnbrokenRun() throws IOException {
    assertThat(runFile(commands("all.jsonl", CLI_MD_EXAMPLE), "all").exitCode()).isZero();
    Path snapshot = dir.resolve("half/engine.snapshot");
    Path head = commands("head.jsonl", CLI_MD_EXAMPLE.subList(0, 5));
    assertThat(
            run("run", "--commands", head.toString(), "--snapshot", snapshot.toString()).exitCode())
        .isZero();
    Path tail = commands("tail.jsonl", CLI_MD_EXAMPLE.subList(5, CLI_MD_EXAMPLE.size()));
    CliRun continued =
        run(
            "run",
            "--restore",
            snapshot.toString(),
            "--commands",
            tail.toString(),
            "--events",
            dir.resolve("tail.events.jsonl").toString(),
            "--state",
            dir.resolve("tail.state.json").toString());
    assertThat(continued.exitCode()).as(continued.err()).isZero();

    List<JsonNode> unbroken = new ArrayList<>();
    for (JsonNode e : events("all")) {
      if (e.get("line").asInt() > 5) {
        unbroken.add(withoutPosition(e));
      }
    }
    assertThat(events("tail").stream().map(RunCommandTest::withoutPosition).toList())
        .isNotEmpty()
        .isEqualTo(unbroken);
    assertThat(state("tail").get("stateHash")).isEqualTo(state("all").get("stateHash"));
    assertThat(state("tail")).isEqualTo(state("all"));
  }

  /**
   * A gmx-v2 market with a haircut: accepted before, then a ClassCastException on the first tick
   * killed the run. Now the market line is rejected as an invalid configuration, with the reason,
   * and the run goes on.
   */
  @Test
  void aMarketWhosePartsDoNotFitIsRejectedAsAnInvalidConfiguration() throws IOException {
    Path file =
        commands(
            "gmx-haircut.jsonl",
            List.of(
                """
                {"type":"market","market":"ETH","preset":"gmx-v2",\
                "backstop":{"resolution":"haircut","policy":"pro-rata"}}""",
                """
                {"type":"deposit","account":"a","amount":"100"}"""));
    CliRun r = runFile(file, "gmx");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode rejected = ofType(events("gmx"), "rejected").getFirst();
    assertThat(rejected.get("code").asText()).isEqualTo("invalid-configuration");
    assertThat(rejected.get("reason").asText())
        .contains("pnl-factor trigger reduces positions")
        .contains("not haircut");
    assertThat(ofType(events("gmx"), "deposited")).hasSize(1);
  }

  @Test
  void aCorruptSnapshotIsRefusedWithItsReason() throws IOException {
    Path snapshot = dir.resolve("bad.snapshot");
    Files.write(snapshot, new byte[] {0, 0, 0, 3, 'a', 'b', 'c'});
    CliRun r =
        run(
            "run",
            "--restore",
            snapshot.toString(),
            "--commands",
            commands("x.jsonl", List.of()).toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("bad.snapshot").contains("not a Backstop engine snapshot");
  }

  /** An event without its place in a file ({@code seq}, {@code line}). */
  private static JsonNode withoutPosition(JsonNode event) {
    com.fasterxml.jackson.databind.node.ObjectNode copy =
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).deepCopy();
    copy.remove(List.of("seq", "line"));
    return copy;
  }

  @Test
  void theCliMdExampleTradesCrashesLiquidatesAndPaysTheShortfallFromTheFund() throws IOException {
    CliRun run = runFile(commands("cli.jsonl", CLI_MD_EXAMPLE), "cli");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();

    List<JsonNode> events = events("cli");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).get("seq").asLong()).isEqualTo(i + 1);
    }
    assertThat(events)
        .extracting(e -> e.get("type").asText())
        .containsSubsequence(
            "market-created",
            "deposited",
            "withdrawn",
            "insurance-fund-changed",
            "fill",
            "position-changed",
            "price-updated",
            "liquidation-order",
            "insurance-fund-changed",
            "taken-over",
            "funding-settled");
    assertThat(ofType(events, "rejected")).isEmpty();

    // a1 is long 0.5 from 100000 with 1000 - 10 - 37.5 taker fee = 952.5: bankrupt at 98095.
    // Its order, limited at 98095, finds no bid (the book's best is 1 bp under 95000), so the
    // fund takes the position over at 98095, posting its loss at mark, 0.5 * 3095 = 1547.50, and
    // the maintenance margin 0.35% * 47500 = 166.25: 1713.75.
    JsonNode order = ofType(events, "liquidation-order").getFirst();
    assertThat(order.get("line").asLong()).isEqualTo(7);
    assertThat(order.get("account").asText()).isEqualTo("a1");
    assertThat(order.get("limitPrice").asText()).isEqualTo("98095");
    assertThat(order.get("filledSize").asText()).isEqualTo("0");
    assertThat(order.get("stoppedBy").asText()).isEqualTo("limit");
    JsonNode takenOver = ofType(events, "taken-over").getFirst();
    assertThat(takenOver.get("taker").asText()).isEqualTo("fund:BTC-PERP");
    assertThat(takenOver.get("price").asText()).isEqualTo("98095");
    assertThat(takenOver.get("collateral").asText()).isEqualTo("1713.75");
    JsonNode close =
        ofType(events, "fill").stream()
            .filter(f -> f.get("kind").asText().equals("takeover"))
            .findFirst()
            .orElseThrow();
    assertThat(close.get("seller").asText()).isEqualTo("a1");
    assertThat(close.get("buyer").asText()).isEqualTo("fund:BTC-PERP");
    JsonNode margin = ofType(events, "insurance-fund-changed").get(1);
    assertThat(margin.get("reason").asText()).isEqualTo("takeover-margin");
    assertThat(margin.get("amount").asText()).isEqualTo("-1713.75");
    assertThat(margin.get("balance").asText()).isEqualTo("3286.25");

    JsonNode state = state("cli");
    JsonNode a1 = account(state, "a1");
    assertThat(a1.get("collateral").asText()).isEqualTo("0");
    assertThat(a1.get("positions")).isEmpty();
    // a2 stays short 0.5 from 100000, up 2500 at 95000, and is owed 0.5 * 95000 * 0.0001: in
    // its equity, not yet in its collateral (its position settles funding when next touched).
    JsonNode a2 = account(state, "a2");
    assertThat(a2.get("collateral").asText()).isEqualTo("5000");
    assertThat(a2.get("equity").asText()).isEqualTo("7504.75");
    JsonNode position = a2.get("positions").get(0);
    assertThat(position.get("unsettledFunding").asText()).isEqualTo("4.75");
    assertThat(position.get("market").asText()).isEqualTo("BTC-PERP");
    assertThat(position.get("size").asText()).isEqualTo("-0.5");
    assertThat(position.get("entryPrice").asText()).isEqualTo("100000");
    assertThat(position.get("unrealizedPnl").asText()).isEqualTo("2500");
    // The fund's account holds a1's long, paying funding on it; the book's maker, without
    // collateral, cannot buy it back yet.
    JsonNode fundAccount = account(state, "fund:BTC-PERP");
    assertThat(fundAccount.get("role").asText()).isEqualTo("insurance-fund");
    assertThat(fundAccount.get("positions").get(0).get("size").asText()).isEqualTo("0.5");
    assertThat(fundAccount.get("collateral").asText()).isEqualTo("1713.75");
    assertThat(fundAccount.get("positions").get(0).get("unsettledFunding").asText())
        .isEqualTo("-4.75");
    assertThat(account(state, "book").get("role").asText()).isEqualTo("user");
    assertThat(state.get("insuranceFunds").get(0).get("name").asText()).isEqualTo("BTC-PERP");
    assertThat(state.get("insuranceFunds").get(0).get("balance").asText()).isEqualTo("3286.25");
    assertThat(state.get("feesCollected").asText()).isEqualTo("37.5");
    assertThat(state.get("badDebt").asText()).isEqualTo("0");
    assertThat(state.get("totals").get("deposited").asText()).isEqualTo("6000");
    assertThat(state.get("totals").get("withdrawn").asText()).isEqualTo("10");
    assertThat(state.get("totals").get("insuranceFunded").asText()).isEqualTo("5000");
    assertThat(state.get("markets").get(0).get("longSize").asText()).isEqualTo("0.5");
    assertThat(state.get("markets").get(0).get("shortSize").asText()).isEqualTo("0.5");
    assertThat(run.out())
        .isEqualTo(
            "8 commands read, 19 events, 0 rejected, state hash "
                + state.get("stateHash").asText()
                + System.lineSeparator());
  }

  @Test
  void everyBadLineIsRejectedAloneAndChangesNothing() throws IOException {
    List<String> good = new ArrayList<>(CLI_MD_EXAMPLE);
    // Bad lines, each inserted before the good line at the given index, with what the reason says.
    record Bad(int before, String line, String reason) {}
    List<Bad> bad =
        List.of(
            new Bad(2, "{\"type\":\"deposit\",\"account\":\"a1\",\"amount\":", "malformed JSON"),
            new Bad(
                2,
                "{\"type\":\"deposit\",\"account\":\"a1\",\"amount\":1000}",
                "field \"amount\": must be a decimal string"),
            new Bad(
                5,
                "{\"type\":\"trade\",\"market\":\"ETH-PERP\",\"buyer\":\"a1\",\"seller\":\"a2\","
                    + "\"size\":\"0.5\",\"price\":\"100000\",\"taker\":\"buyer\"}",
                "unknown market ETH-PERP"),
            new Bad(
                5,
                "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"a1\",\"seller\":\"a2\","
                    + "\"size\":\"0\",\"price\":\"100000\",\"taker\":\"buyer\"}",
                "size must be positive"),
            new Bad(
                5,
                "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"a1\",\"seller\":\"a2\","
                    + "\"size\":\"-1\",\"price\":\"100000\",\"taker\":\"buyer\"}",
                "size must be positive"),
            new Bad(
                6,
                "{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\"NaN\"}",
                "field \"mark\": not a decimal number: 'NaN'"),
            new Bad(
                6,
                "{\"type\":\"withdraw\",\"account\":\"a2\",\"amount\":\"4600\"}",
                "exceeds free collateral"),
            new Bad(7, "{\"type\":\"liquidate\",\"account\":\"a1\"}", "unknown command type"),
            new Bad(
                7,
                "{\"type\":\"funding\",\"market\":\"BTC-PERP\",\"rate\":\"0.0001\",\"rtae\":\"1\"}",
                "field \"rtae\": unknown field"));
    List<String> mixed = new ArrayList<>();
    List<Integer> badLineNumbers = new ArrayList<>();
    for (int i = 0; i <= good.size(); i++) {
      for (Bad b : bad) {
        if (b.before() == i) {
          mixed.add(b.line());
          badLineNumbers.add(mixed.size());
        }
      }
      if (i < good.size()) {
        mixed.add(good.get(i));
        mixed.add("");
      }
    }

    CliRun clean = runFile(commands("good.jsonl", good), "good");
    CliRun dirty = runFile(commands("mixed.jsonl", mixed), "mixed");

    assertThat(clean.exitCode()).isZero();
    assertThat(dirty.exitCode()).isZero();
    assertThat(dirty.err()).isEmpty();
    List<JsonNode> rejected = ofType(events("mixed"), "rejected");
    assertThat(rejected).hasSameSizeAs(bad);
    for (int i = 0; i < bad.size(); i++) {
      JsonNode event = rejected.get(i);
      assertThat(event.get("line").asInt()).isEqualTo(badLineNumbers.get(i));
      assertThat(event.get("reason").asText()).contains(bad.get(i).reason());
    }
    assertThat(ofType(events("mixed"), "rejected").getFirst().get("reason").asText())
        .startsWith("line " + badLineNumbers.getFirst() + ": ");
    List<JsonNode> accepted =
        events("mixed").stream().filter(e -> !e.get("type").asText().equals("rejected")).toList();
    assertThat(accepted).hasSameSizeAs(events("good"));
    assertThat(Files.readString(dir.resolve("mixed.state.json")))
        .isEqualTo(Files.readString(dir.resolve("good.state.json")));
    assertThat(dirty.out())
        .contains(bad.size() + " rejected")
        .endsWith("state hash " + state("good").get("stateHash").asText() + System.lineSeparator());
  }

  @Test
  void strictStopsAtTheFirstBadLineNamingItAndWritesNothing() throws IOException {
    Path events = dir.resolve("out.events.jsonl");
    Files.writeString(events, "from an earlier run\n");
    List<String> lines = new ArrayList<>(CLI_MD_EXAMPLE);
    lines.add(3, "{\"type\":\"withdraw\",\"account\":\"a1\",\"amount\":\"10.5x\"}");

    CliRun run =
        run(
            "run",
            "--strict",
            "--commands",
            commands("strict.jsonl", lines).toString(),
            "--events",
            events.toString(),
            "--state",
            dir.resolve("out.state.json").toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("strict.jsonl line 4: field \"amount\": not a decimal number: '10.5x'");
    assertThat(Files.readString(events)).isEqualTo("from an earlier run\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("strict.jsonl", "out.events.jsonl");
    }
  }

  @Test
  void strictStopsOnAnEngineRejectionToo() throws IOException {
    List<String> lines = new ArrayList<>(CLI_MD_EXAMPLE);
    lines.add("{\"type\":\"withdraw\",\"account\":\"a2\",\"amount\":\"1000000\"}");

    CliRun run =
        run(
            "run",
            "--strict",
            "--commands",
            commands("strict.jsonl", lines).toString(),
            "--state",
            dir.resolve("out.state.json").toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("line 9: withdraw rejected: withdrawal of 1000000 exceeds");
    assertThat(dir.resolve("out.state.json")).doesNotExist();
  }

  @Test
  void twoRunsOfTheSameFileWriteTheSameBytes() throws IOException {
    Path quickstart = Path.of("..", "examples", "quickstart.jsonl");
    assertThat(runFile(quickstart, "first").exitCode()).isZero();
    assertThat(runFile(quickstart, "second").exitCode()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("second.events.jsonl")))
        .isEqualTo(Files.readAllBytes(dir.resolve("first.events.jsonl")));
    assertThat(Files.readAllBytes(dir.resolve("second.state.json")))
        .isEqualTo(Files.readAllBytes(dir.resolve("first.state.json")));
  }

  @Test
  void quickstartCoversOneShortfallFromTheFundThenDeleveragesTheWinner() throws IOException {
    CliRun run = runFile(Path.of("..", "examples", "quickstart.jsonl"), "quickstart");
    assertThat(run.exitCode()).isZero();
    List<JsonNode> events = events("quickstart");
    assertThat(ofType(events, "rejected")).isEmpty();

    // carol: 2000 - 37.5 fee - 4.95 funding = 1957.55 for a long 0.5 from 100000: bankruptcy
    // 96084.9, above every bid at mark 95000. The fund (1000) takes the position over, posting
    // 0.5 * 1084.9 = 542.45 of loss and 166.25 of maintenance margin, then sells it to the book's
    // best bid (94990.50, within its 0.5% offload slippage) and takes back what its account no
    // longer needs: 161.50 of the 708.70.
    assertThat(ofType(events, "liquidated")).isEmpty();
    assertThat(ofType(events, "taken-over"))
        .extracting(e -> e.get("account").asText())
        .containsExactly("carol", "alice");
    List<JsonNode> margin =
        ofType(events, "insurance-fund-changed").stream()
            .filter(e -> e.get("reason").asText().startsWith("takeover-"))
            .toList();
    assertThat(margin)
        .extracting(e -> e.get("reason").asText(), e -> e.get("amount").asText())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("takeover-margin", "-708.7"),
            org.assertj.core.groups.Tuple.tuple("takeover-return", "161.5"),
            org.assertj.core.groups.Tuple.tuple("takeover-margin", "-452.73668"),
            org.assertj.core.groups.Tuple.tuple("takeover-return", "56.60864"));

    // alice: 10000 - 75 - 9.9 = 9915.1 for a long 1 from 100000: bankruptcy 90084.9. At mark
    // 88000 her order finds no bid within it; the fund's 452.80 carries 0.1892 of her long (its
    // loss at mark plus maintenance margin), and BitMEX's queue deleverages the other 0.8108
    // against bob (the top of the short queue) at the bankruptcy price: bob gives up 1690.43692 of
    // profit, and nothing is written off.
    JsonNode deleveraged = ofType(events, "deleveraged").getFirst();
    assertThat(deleveraged.get("account").asText()).isEqualTo("alice");
    assertThat(deleveraged.get("counterparty").asText()).isEqualTo("bob");
    assertThat(deleveraged.get("price").asText()).isEqualTo("90084.9");
    assertThat(deleveraged.get("rule").asText()).isEqualTo("queue");
    JsonNode offsetting = ofType(events, "offsetting").getFirst();
    assertThat(offsetting.get("account").asText()).isEqualTo("bob");
    assertThat(offsetting.get("liquidatedAccount").asText()).isEqualTo("alice");
    assertThat(offsetting.get("rank").asLong()).isEqualTo(1);
    assertThat(offsetting.get("amount").asText()).isEqualTo("1690.43692");
    JsonNode applied = ofType(events, "backstop-applied").getFirst();
    assertThat(applied.get("budgetNeeded").asText()).isEqualTo("1690.43692");
    assertThat(applied.get("budgetTaken").asText()).isEqualTo("1690.43692");
    assertThat(applied.get("overshootSize").asText()).isEqualTo("0");
    assertThat(applied.get("fundBalance").asText()).isEqualTo("0.06332");
    assertThat(applied.get("residual").asText()).isEqualTo("0");
    assertThat(ofType(events, "trader-notice"))
        .extracting(e -> e.get("account").asText())
        .containsExactly("bob");
    assertThat(ofType(events, "bad-debt-recorded")).isEmpty();

    JsonNode state = state("quickstart");
    assertThat(state.get("badDebt").asText()).isEqualTo("0");
    assertThat(state.get("insuranceFunds").get(0).get("balance").asText()).isEqualTo("56.67196");
    assertThat(state.get("time").asLong()).isEqualTo(1_700_000_180_000L);
  }

  @Test
  void rankingShowsWhereEachOpenPositionStands() throws IOException {
    Path ranking = dir.resolve("ranking.json");
    CliRun run =
        run(
            "run",
            "--commands",
            Path.of("..", "examples", "quickstart.jsonl").toString(),
            "--ranking",
            ranking.toString());
    assertThat(run.exitCode()).isZero();
    // After the second crash three positions are open: the book's maker's long (it bought
    // carol's and part of alice's back from the fund; a maker is ranked like anyone), dave's
    // short and what is left of bob's. dave leads the short side with the top light.
    JsonNode market = JSON.readTree(ranking.toFile()).get("markets").get(0);
    assertThat(market.get("market").asText()).isEqualTo("BTC-PERP");
    assertThat(market.get("rule").asText()).isEqualTo("queue");
    assertThat(market.get("entries")).hasSize(3);
    JsonNode entry =
        java.util.stream.StreamSupport.stream(market.get("entries").spliterator(), false)
            .filter(e -> e.get("side").asText().equals("short"))
            .findFirst()
            .orElseThrow();
    assertThat(entry.get("account").asText()).isEqualTo("dave");
    assertThat(entry.get("rank").asLong()).isEqualTo(1);
    assertThat(entry.get("quantile").asInt()).isEqualTo(4);
  }

  @Test
  void omniLiquidatesTheOlpSideOfThePoolAtMarkPlusPenaltyInTheUsersFavour() throws IOException {
    CliRun run = runFile(Path.of("..", "examples", "omni.jsonl"), "omni");
    assertThat(run.exitCode()).isZero();
    List<JsonNode> events = events("omni");
    assertThat(ofType(events, "rejected")).isEmpty();

    // The OLP is short 10 from 3000 with 2000 in the pool: at 3180 its equity is 200, below
    // the 1% maintenance margin of 318. It buys back from the trader at 3180 * 1.005 = 3195.9.
    JsonNode liquidated = ofType(events, "liquidated").getFirst();
    assertThat(liquidated.get("account").asText()).isEqualTo("olp");
    assertThat(liquidated.get("margin").asText()).isEqualTo("pool:trader-olp");
    assertThat(liquidated.get("maker").asText()).isEqualTo("trader");
    assertThat(liquidated.get("makerMargin").asText()).isEqualTo("pool:trader-olp");
    assertThat(liquidated.get("markPrice").asText()).isEqualTo("3180");
    assertThat(liquidated.get("price").asText()).isEqualTo("3195.9");
    assertThat(liquidated.get("sizeClosed").asText()).isEqualTo("10");

    JsonNode state = state("omni");
    List<String> poolSides = new ArrayList<>();
    for (JsonNode a : state.get("accounts")) {
      if (a.get("margin").asText().equals("pool:trader-olp")) {
        poolSides.add(a.get("account").asText() + " " + a.get("collateral").asText());
        assertThat(a.get("positions")).isEmpty();
      }
    }
    // trader: 5000 + 10 * (3195.9 - 3000) - 6000 withdrawn; olp keeps 2000 - 1959.
    assertThat(poolSides).containsExactly("trader 959", "olp 41");
    assertThat(state.get("badDebt").asText()).isEqualTo("0");
  }

  /**
   * The seed's option case (examples/omni-options.jsonl, numbers as in the core's OptionsTest): at
   * 3300 the trader short 10 calls buys them back at volatility 61% (60% plus the 1% penalty in vol
   * points), premium 401.20 against a mark premium of 398.11; the OLP side of the second pool,
   * short as many calls, is counterparty-liquidated at the same premium and its user paid 30.9; the
   * put expires at the index 3251.5 and pays 2 * (3400 - 3251.5) = 297.
   */
  @Test
  void omniOptionsLiquidateAtTheVolatilityPlusThePenaltyAndExpireAtTheIndex() throws IOException {
    CliRun run = runFile(Path.of("..", "examples", "omni-options.jsonl"), "options");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("24 commands read, 42 events, 1 rejected, state hash ");
    assertThat(Files.readString(Path.of("..", "docs", "options.md")).replaceAll("\\s+", " "))
        .as("docs/options.md quotes the summary")
        .contains(run.out().strip());
    List<JsonNode> events = events("options");
    assertThat(ofType(events, "rejected"))
        .singleElement()
        .satisfies(r -> assertThat(r.get("code").asText()).isEqualTo("not-expired"));
    List<JsonNode> liquidated = ofType(events, "option-liquidated");
    assertThat(liquidated).hasSize(2);
    for (JsonNode l : liquidated) {
      assertThat(l.get("volatility").asText()).isEqualTo("0.61");
      assertThat(l.get("premium").asText()).isEqualTo("401.2");
      assertThat(l.get("markPremium").asText()).isEqualTo("398.11");
      assertThat(l.get("penalty").asText()).isEqualTo("30.9");
    }
    assertThat(liquidated.getFirst().get("account").asText()).isEqualTo("trader");
    JsonNode cl = ofType(events, "counterparty-liquidation").getFirst();
    assertThat(cl.get("user").asText()).isEqualTo("buyer");
    assertThat(cl.get("reward").asText()).isEqualTo("30.9");
    JsonNode expired = ofType(events, "option-expired").getFirst();
    assertThat(expired.get("payoff").asText()).isEqualTo("148.5");
    assertThat(expired.get("paid").asText()).isEqualTo("297");

    JsonNode state = state("options");
    assertThat(state.get("options")).hasSize(2);
    assertThat(state.get("options").get(1).get("settlementPrice").asText()).isEqualTo("3251.5");
    assertThat(state.get("badDebt").asText()).isEqualTo("0");
  }

  @Test
  void withoutOutputFilesPrintsOnlyTheSummary() throws IOException {
    CliRun run = run("run", "--commands", commands("cli.jsonl", CLI_MD_EXAMPLE).toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .matches("8 commands read, 19 events, 0 rejected, state hash [0-9a-f]{16}\\R");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void aMissingCommandFileIsAnError() {
    CliRun run = run("run", "--commands", dir.resolve("absent.jsonl").toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("no such file").contains("absent.jsonl");
  }

  @Test
  void aMissingOutputDirectoryIsCreated() throws IOException {
    Path events = dir.resolve("absent").resolve("deeper").resolve("events.jsonl");
    CliRun run =
        run(
            "run",
            "--commands",
            commands("cli.jsonl", CLI_MD_EXAMPLE).toString(),
            "--events",
            events.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(Files.readAllLines(events)).isNotEmpty().allMatch(l -> l.contains("\"seq\""));
  }

  @Test
  void outputsHaveThePermissionsOfAnyNewFile() throws IOException {
    assumeTrue(CliRun.posix());
    Path out = dir.resolve("out");
    CliRun run =
        run(
            "run",
            "--commands",
            commands("cli.jsonl", CLI_MD_EXAMPLE).toString(),
            "--events",
            out.resolve("events.jsonl").toString(),
            "--state",
            out.resolve("state.json").toString(),
            "--ranking",
            out.resolve("ranking.json").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    Set<PosixFilePermission> ordinary = CliRun.newFilePermissions(dir);
    for (String name : List.of("events.jsonl", "state.json", "ranking.json")) {
      assertThat(Files.getPosixFilePermissions(out.resolve(name))).as(name).isEqualTo(ordinary);
    }
  }

  @Test
  void helpDescribesEveryOption() {
    CliRun run = run("run", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--commands=FILE.jsonl", "--events=OUT.jsonl", "--state=OUT.json", "--strict");
  }

  @Test
  void theHelpListsEveryCommandTypeAndPreset() {
    CliRun help = run("run", "--help");
    assertThat(help.exitCode()).isZero();
    // the help wraps lines anywhere, even inside a name: compare without white space
    String text = help.out().replaceAll("\\s", "");
    assertThat(text).contains("(types:" + String.join(",", CommandReader.types()) + ";");
    assertThat(text).contains("preset(" + String.join(",", MarketPresets.names()) + ")");
  }

  /** docs/run.md's table of rejection codes lists every code, by its wire name, once. */
  @Test
  void docsRunMdTabulatesEveryRejectionCode() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "run.md"));
    String rejections = doc.substring(doc.indexOf("## Rejections"));
    rejections = rejections.substring(0, rejections.indexOf("\n## ", 1) + 1);
    List<String> tabulated = new ArrayList<>();
    for (String line : rejections.lines().toList()) {
      if (line.startsWith("| `")) {
        for (String cell : line.substring(1, line.indexOf('|', 1)).split(",")) {
          tabulated.add(cell.strip().replace("`", ""));
        }
      }
    }
    List<String> codes = new ArrayList<>();
    for (RejectionCode code : RejectionCode.values()) {
      codes.add(WireName.of(code));
    }
    assertThat(tabulated).containsExactlyInAnyOrderElementsOf(codes);
  }

  /** docs/run.md's table of command types, read from the file. */
  @Test
  void docsRunMdTabulatesEveryCommandTypeAndNamesEveryPreset() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "run.md"));
    String commands = doc.substring(doc.indexOf("## Commands"), doc.indexOf("## Rejections"));
    List<String> tabulated = new ArrayList<>();
    for (String line : commands.lines().toList()) {
      if (line.startsWith("| `")) {
        String first = line.substring(1, line.indexOf('|', 1));
        for (String cell : first.split(",")) {
          tabulated.add(cell.strip().replace("`", ""));
        }
      }
    }
    assertThat(tabulated).containsExactlyInAnyOrderElementsOf(CommandReader.types());
    for (String preset : MarketPresets.names()) {
      assertThat(commands).contains("`" + preset + "`");
    }
    // The only defaults a market's backstop takes, as core documents them.
    assertThat(commands.replaceAll("\\s+", " "))
        .contains(
            "`riskWeight` is `"
                + AllocationPolicies.riskWeightNames()
                    .get(new RiskAwareProRataPolicy().riskWeight().ordinal())
                + "`")
        .contains("`maxIterations` " + RandomPolicy.DEFAULT_MAX_ITERATIONS);
  }
}
