package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trader's endpoints over {@link Crash}: the ADL queue (rank, size ahead, lights), the venue
 * shapes (Binance, Bybit, OKX) agreeing with it, the history by category derived from the events,
 * the notices, the operator's views, and the history kept across a restart from a snapshot.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccountEndpointsTest {

  @TempDir Path dir;
  ServerFixture f;
  Http bob;

  @BeforeEach
  void start() throws Exception {
    f = ServerFixture.start(dir, ServerConfig.load(dir).withPort(0).withSnapshotEvery(7));
    f.run(Crash.SETUP);
    bob = f.trader("bob");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private JsonNode get(Http client, String path) throws Exception {
    var response = client.get(path);
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return ServerFixture.json(response);
  }

  private static List<String> categories(JsonNode rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.path("category").asText()));
    return out;
  }

  @Test
  void theQueueShowsRankSizeAheadAndLightsAndTheVenueShapesAgree() throws Exception {
    JsonNode queue = get(bob, "/api/account/adl").path("positions");
    assertThat(queue.size()).isEqualTo(1); // the pool has no ADL queue
    JsonNode xbt = queue.get(0);
    assertThat(xbt.path("market").asText()).isEqualTo("XBT-PERP");
    assertThat(xbt.path("side").asText()).isEqualTo("short");
    // erin's short (0.2 at 20x) is ahead of bob's (1 at 5x); dave's (2.5x) behind
    assertThat(xbt.path("rank").asInt()).isEqualTo(2);
    assertThat(xbt.path("of").asInt()).isEqualTo(3);
    assertThat(xbt.path("sizeAhead").asText()).isEqualTo("0.2");
    assertThat(xbt.path("quantile").asInt()).isEqualTo(3);
    assertThat(xbt.path("lights").asInt()).isEqualTo(4);

    JsonNode binance = get(bob, "/fapi/v1/adlQuantile?symbol=XBT-PERP").get(0);
    assertThat(binance.path("adlQuantile").path("SHORT").asInt()).isEqualTo(3);
    JsonNode bybit = get(bob, "/v5/position/list?category=linear&symbol=XBT-PERP");
    assertThat(bybit.path("retCode").asInt()).isZero();
    JsonNode b = bybit.path("result").path("list").get(0);
    assertThat(b.path("side").asText()).isEqualTo("Sell");
    assertThat(b.path("size").asText()).isEqualTo("1");
    assertThat(b.path("adlRankIndicator").asInt()).isEqualTo(4);
    assertThat(b.path("avgPrice").asText()).isEqualTo("100000");
    JsonNode empty = get(bob, "/v5/position/list?category=linear&symbol=BTC-PERP");
    assertThat(empty.path("result").path("list").get(0).path("adlRankIndicator").asInt()).isZero();
    assertThat(empty.path("result").path("list").get(0).path("size").asText()).isEqualTo("0");
    JsonNode okx = get(bob, "/api/v5/account/positions?instId=XBT-PERP");
    assertThat(okx.path("code").asText()).isEqualTo("0");
    JsonNode o = okx.path("data").get(0);
    assertThat(o.path("pos").asText()).isEqualTo("-1");
    assertThat(o.path("mgnMode").asText()).isEqualTo("cross");
    assertThat(o.path("adl").asText()).isEqualTo("4");
    assertThat(get(bob, "/api/v5/account/positions").path("data").size()).isEqualTo(2);

    JsonNode portfolio = get(bob, "/api/account");
    assertThat(portfolio.path("marginAccounts").findValuesAsText("margin"))
        .containsExactly("cross", "pool:bob-olp");
    assertThat(portfolio.path("equity").asText()).isEqualTo("25000");
    assertThat(portfolio.findValue("adl").path("lights").asInt()).isEqualTo(4);
  }

  @Test
  void historyNamesEveryTradeAndTransferByCategoryAndNoOtherAccount() throws Exception {
    f.run(Crash.FALL + Crash.ADL + Crash.OMNI);
    JsonNode trades = get(bob, "/api/account/trades").path("trades");
    assertThat(categories(trades))
        .containsExactly("counterparty-liquidation", "offsetting", "trade", "trade");
    JsonNode offsetting = trades.get(1);
    // The fund took 0.1892 of alice's long over with what it had; the queue took erin's 0.2, then
    // 0.6108 of bob's short.
    assertThat(offsetting.path("size").asText()).isEqualTo("0.6108");
    assertThat(offsetting.path("side").asText()).isEqualTo("buy");
    assertThat(offsetting.path("sizeAfter").asText()).isEqualTo("-0.3892");
    assertThat(offsetting.path("rank").asInt()).isEqualTo(2);
    assertThat(offsetting.path("clawed").asText()).isEqualTo("1273.45692");
    JsonNode counterparty = trades.get(0);
    assertThat(counterparty.path("reward").asText()).isEqualTo("159");
    assertThat(counterparty.path("margin").asText()).isEqualTo("pool:bob-olp");
    assertThat(trades.toString()).doesNotContain("alice", "erin", "\"olp\"", "dave");

    JsonNode filtered = get(bob, "/api/account/trades?category=trade").path("trades");
    assertThat(categories(filtered)).containsExactly("trade", "trade");
    JsonNode page = get(bob, "/api/account/trades?limit=1&before=" + trades.get(0).path("seq"));
    assertThat(categories(page.path("trades"))).containsExactly("offsetting");

    assertThat(categories(get(bob, "/api/account/transfers").path("transfers")))
        .containsExactly("funding", "deposit", "deposit");
    JsonNode notices = get(bob, "/api/account/notifications").path("notifications");
    assertThat(categories(notices))
        .containsExactly("counterparty-liquidation", "auto-deleveraging");
    assertThat(notices.get(1).path("message").asText()).contains("auto-deleveraged");

    JsonNode alice = get(f.operator, "/api/account/trades?account=alice").path("trades");
    assertThat(categories(alice))
        .containsExactly("deleveraged", "deleveraged", "taken-over", "trade");
    JsonNode carol = get(f.operator, "/api/account/trades?account=carol").path("trades");
    // The book could not fill carol's order within her bankruptcy price: the fund took it over,
    // and sold it back to the book's maker.
    assertThat(carol.get(0).path("category").asText()).isEqualTo("taken-over");
    assertThat(
            categories(get(f.operator, "/api/account/transfers?account=carol").path("transfers")))
        .containsExactly("funding", "deposit");
    JsonNode book = get(f.operator, "/api/account/trades?account=book").path("trades");
    assertThat(book.get(0).path("category").asText()).isEqualTo("takeover-offload");
    JsonNode olp = get(f.operator, "/api/account/trades?account=olp").path("trades");
    assertThat(olp.get(0).path("role").asText()).isEqualTo("liquidated");
  }

  @Test
  void theOperatorSeesMarketsFundsAndTheBackstopLog() throws Exception {
    f.run(Crash.FALL + Crash.ADL + Crash.OMNI);
    JsonNode markets = get(f.operator, "/api/markets").path("markets");
    JsonNode xbt = null;
    for (JsonNode m : markets) {
      if (m.path("market").asText().equals("XBT-PERP")) {
        xbt = m;
      }
    }
    assertThat(xbt).isNotNull();
    // frank's 0.2, the book's maker's 0.5 (carol's, bought back from the fund) and the fund's
    // 0.1892 of alice's.
    assertThat(xbt.path("openInterest").asText()).isEqualTo("0.8892");
    assertThat(xbt.path("insuranceFund").asText()).isEqualTo("XBT-PERP");
    assertThat(xbt.path("insuranceBalance").asText()).isEqualTo("56.67196");
    assertThat(xbt.path("rule").asText()).isEqualTo("queue");

    JsonNode funds = get(f.operator, "/api/insurance").path("funds");
    JsonNode changes = null;
    for (JsonNode fund : funds) {
      if (fund.path("fund").asText().equals("XBT-PERP")) {
        changes = fund.path("changes");
      }
    }
    assertThat(changes.findValuesAsText("reason"))
        .containsExactly(
            "top-up", "takeover-margin", "takeover-return", "takeover-margin", "takeover-return");
    assertThat(changes.findValuesAsText("balance"))
        .containsExactly("1000", "291.3", "452.8", "0.06332", "56.67196");

    JsonNode log = get(f.operator, "/api/backstop").path("events");
    assertThat(log.findValuesAsText("type"))
        .contains(
            "liquidation-order",
            "taken-over",
            "deleveraged",
            "offsetting",
            "counterparty-liquidation")
        .contains("backstop-applied");
    JsonNode decisions = get(f.operator, "/api/backstop?type=backstop-applied").path("events");
    assertThat(decisions.size()).isEqualTo(1);
    assertThat(decisions.get(0).path("trigger").asText()).isEqualTo("fund");
    assertThat(decisions.get(0).path("account").asText()).isEqualTo("alice");
  }

  @Test
  void historyIsKeptAcrossARestartFromTheSnapshotAndTheJournalTail() throws Exception {
    f.run(Crash.FALL + Crash.ADL + Crash.OMNI);
    String trades = bob.get("/api/account/trades").body();
    String transfers = bob.get("/api/account/transfers").body();
    String log = f.operator.get("/api/backstop").body();
    String funds = f.operator.get("/api/insurance").body();
    String operatorKey = f.operator.key();
    f.close();
    assertThat(dir.resolve("snapshots")).isNotEmptyDirectory();
    f = ServerFixture.start(dir, ServerConfig.load(dir).withPort(0).withSnapshotEvery(7));
    Http again = new Http(f.server.port(), bob.key());
    Http operator = new Http(f.server.port(), operatorKey);
    assertThat(again.get("/api/account/trades").body()).isEqualTo(trades);
    assertThat(again.get("/api/account/transfers").body()).isEqualTo(transfers);
    assertThat(operator.get("/api/backstop").body()).isEqualTo(log);
    assertThat(operator.get("/api/insurance").body()).isEqualTo(funds);
  }

  @Test
  void theAccountStreamPushesTheAccountsRowsAndMarketDataOnly() throws Exception {
    BackstopServerTest.Listener listener = new BackstopServerTest.Listener();
    java.net.http.WebSocket socket = f.socket("/ws/account", bob.key(), listener);
    assertThat(listener.next().path("channel").asText()).isEqualTo("subscribed");
    f.run(Crash.FALL + Crash.ADL);
    List<String> channels = new ArrayList<>();
    JsonNode offsetting = null;
    JsonNode notice = null;
    while (notice == null) {
      JsonNode m = listener.next();
      channels.add(m.path("channel").asText());
      assertThat(m.toString()).doesNotContain("alice", "erin", "carol");
      if (m.path("data").path("category").asText().equals("offsetting")) {
        offsetting = m;
      }
      if (m.path("channel").asText().equals("notifications")) {
        notice = m;
      }
    }
    assertThat(channels).contains("market", "transfers", "trades");
    assertThat(offsetting).isNotNull();
    assertThat(notice.path("data").path("category").asText()).isEqualTo("auto-deleveraging");
    // the operator may watch any account's stream by naming it
    BackstopServerTest.Listener watching = new BackstopServerTest.Listener();
    f.socket("/ws/account?account=bob", f.operator.key(), watching);
    assertThat(watching.next().path("data").path("account").asText()).isEqualTo("bob");
    assertThat(f.server.accountSubscribers()).isEqualTo(2);
    socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (f.server.accountSubscribers() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(f.server.accountSubscribers()).as("a closed stream is unsubscribed").isEqualTo(1);
  }
}
