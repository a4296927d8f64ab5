package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackstopServerTest {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Two traders at 100000 on BTC-PERP (from the default genesis) and a price move. */
  static final String BOOK =
      String.join(
          "\n",
          "{\"type\":\"time\",\"time\":1700000000000}",
          "{\"type\":\"deposit\",\"account\":\"alice\",\"amount\":\"10000\"}",
          "{\"type\":\"deposit\",\"account\":\"bob\",\"amount\":\"20000\"}",
          "{\"type\":\"deposit\",\"account\":\"carol\",\"amount\":\"20000\"}",
          "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"alice\",\"seller\":\"bob\","
              + "\"size\":\"0.5\",\"price\":\"100000\",\"taker\":\"buyer\"}",
          "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"carol\",\"seller\":\"bob\","
              + "\"size\":\"0.1\",\"price\":\"100000\",\"taker\":\"buyer\"}",
          "{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\"101000\","
              + "\"time\":1700000060000}");

  @TempDir Path dir;
  BackstopServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    server = BackstopServer.start(dir, ServerConfig.load(dir).withPort(0));
    http = new Http(server.port(), server.initialOperatorKey());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return MAPPER.readTree(response.body());
  }

  @Test
  void firstStartWritesTheDefaultConfigurationAndJournalsTheGenesisMarkets() throws Exception {
    assertThat(Files.readString(dir.resolve(ServerConfig.FILE))).contains("\"genesis\"");
    JsonNode state = json(http.get("/api/state"));
    assertThat(state.path("markets").findValuesAsText("market")).contains("BTC-PERP", "ETH-PERP");
    assertThat(json(http.get("/api/health")).path("commands").asLong()).isEqualTo(2);
  }

  @Test
  void postedCommandsAnswerWithTheirEventsInRunsShape() throws Exception {
    HttpResponse<String> response = http.post("/api/commands", BOOK);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.path("firstCommand").asLong()).isEqualTo(3);
    assertThat(body.path("commands").asInt()).isEqualTo(7);
    JsonNode events = body.path("events");
    assertThat(events.size()).isGreaterThanOrEqualTo(7);
    JsonNode first = events.get(0);
    assertThat(first.fieldNames())
        .toIterable()
        .startsWith("seq", "eventSeq", "type", "time", "line");
    assertThat(events.findValuesAsText("type")).contains("deposited", "fill");
    assertThat(events.get(events.size() - 1).path("line").asLong()).isEqualTo(9);

    JsonNode one =
        json(
            http.post(
                "/api/commands",
                "{\"type\":\"withdraw\",\"account\":\"nobody\",\"amount\":\"1\"}"));
    assertThat(one.path("firstCommand").asLong()).isEqualTo(10);
    assertThat(one.path("events").get(0).path("type").asText()).isEqualTo("rejected");
    assertThat(one.path("events").get(0).path("line").asLong()).isEqualTo(10);
  }

  @Test
  void aMalformedLineRefusesTheWholeRequestAndChangesNothing() throws Exception {
    String before = json(http.get("/api/health")).path("stateHash").asText();
    HttpResponse<String> response =
        http.post(
            "/api/commands",
            "{\"type\":\"deposit\",\"account\":\"a\",\"amount\":\"1\"}\n{\"type\":\"deposit\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response);
    assertThat(error.path("code").asText()).isEqualTo("malformed-command");
    assertThat(error.path("line").asInt()).isEqualTo(2);
    assertThat(error.path("field").asText()).isEqualTo("account");
    assertThat(error.path("message").asText()).startsWith("line 2: ");

    assertThat(json(http.post("/api/commands", "not json")).path("code").asText())
        .isEqualTo("malformed-command");
    HttpResponse<String> empty = http.post("/api/commands", "\n \n");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).path("code").asText()).isEqualTo("empty-request");
    HttpResponse<String> large =
        http.post("/api/commands", "{\"type\":\"time\",\"time\":1}\n".repeat((1 << 20) / 20 + 1));
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(json(large).path("code").asText()).isEqualTo("request-too-large");

    JsonNode health = json(http.get("/api/health"));
    assertThat(health.path("stateHash").asText()).isEqualTo(before);
    assertThat(health.path("commands").asLong()).isEqualTo(2);
  }

  @Test
  void healthNamesTheStateHashEventSequenceAndJournalPosition() throws Exception {
    http.post("/api/commands", BOOK);
    JsonNode health = json(http.get("/api/health"));
    assertThat(health.path("status").asText()).isEqualTo("ok");
    assertThat(health.path("stateHash").asText()).matches("[0-9a-f]{16}");
    assertThat(health.path("stateHash").asText())
        .isEqualTo(json(http.get("/api/state")).path("stateHash").asText());
    assertThat(health.path("commands").asLong()).isEqualTo(9);
    assertThat(health.path("journalBytes").asLong())
        .isEqualTo(Files.size(dir.resolve("journal.bin")));
    assertThat(health.path("nextEventSeq").asLong()).isPositive();
    assertThat(health.path("events").asLong()).isGreaterThanOrEqualTo(9);
  }

  @Test
  void rankingAndAdlQuantileShowWhereEachPositionStands() throws Exception {
    http.post("/api/commands", BOOK);
    JsonNode ranking = json(http.get("/api/ranking?market=BTC-PERP"));
    JsonNode entries = ranking.path("markets").get(0).path("entries");
    assertThat(entries.findValuesAsText("account")).contains("alice", "bob", "carol");
    assertThat(json(http.get("/api/ranking")).path("markets").size()).isEqualTo(2);
    HttpResponse<String> unknown = http.get("/api/ranking?market=DOGE-PERP");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("code").asText()).isEqualTo("unknown-market");

    JsonNode alice = json(http.get("/fapi/v1/adlQuantile?symbol=BTC-PERP&account=alice"));
    assertThat(alice.size()).isEqualTo(1);
    assertThat(alice.get(0).path("symbol").asText()).isEqualTo("BTC-PERP");
    JsonNode q = alice.get(0).path("adlQuantile");
    assertThat(q.fieldNames()).toIterable().containsExactly("LONG", "SHORT", "BOTH");
    assertThat(q.path("SHORT").asInt()).isZero();
    assertThat(q.path("BOTH").asInt()).isEqualTo(q.path("LONG").asInt());
    int bobShort =
        json(http.get("/fapi/v1/adlQuantile?account=bob"))
            .get(0)
            .path("adlQuantile")
            .path("SHORT")
            .asInt();
    assertThat(bobShort).isBetween(0, 4);
    assertThat(json(http.get("/fapi/v1/adlQuantile?account=bob")).size()).isEqualTo(1);

    // the operator names the account; a trader key is its own account (AuthTest)
    HttpResponse<String> noAccount = http.get("/fapi/v1/adlQuantile?symbol=BTC-PERP");
    assertThat(noAccount.statusCode()).isEqualTo(400);
    assertThat(json(noAccount).path("code").asText()).isEqualTo("missing-parameter");
    assertThat(http.get("/fapi/v1/adlQuantile?symbol=NOPE&account=bob").statusCode())
        .isEqualTo(404);
  }

  @Test
  void unknownPathsAnswerWithACode() throws Exception {
    HttpResponse<String> response = http.get("/api/nothing");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).path("code").asText()).isEqualTo("not-found");
  }

  @Test
  void metricsCountCommandsRejectionsAndForces() throws Exception {
    http.post("/api/commands", "{\"type\":\"withdraw\",\"account\":\"nobody\",\"amount\":\"1\"}");
    String metrics = http.get("/metrics").body();
    assertThat(metrics).contains("backstop_commands_total 3.0");
    assertThat(metrics).containsPattern("backstop_rejections_total\\{code=\"[a-z-]+\"} 1.0");
    assertThat(metrics).contains("backstop_journal_force_seconds_count");
  }

  /** Collects text messages of one WebSocket. */
  static final class Listener implements WebSocket.Listener {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status);
      return null;
    }

    JsonNode next() throws Exception {
      String message = messages.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a message within 10 s").isNotNull();
      return MAPPER.readTree(message);
    }
  }

  Listener connect(String query) throws Exception {
    Listener listener = new Listener();
    http.client()
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .header("X-API-Key", http.key())
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/events" + query), listener)
        .get(10, TimeUnit.SECONDS);
    return listener;
  }

  @Test
  void eventsStreamLiveAndResumeFromASequenceNumber() throws Exception {
    Listener live = connect("");
    JsonNode posted = json(http.post("/api/commands", BOOK)).path("events");
    for (JsonNode expected : posted) {
      assertThat(live.next()).isEqualTo(expected);
    }
    long third = posted.get(2).path("seq").asLong();
    Listener resumed = connect("?from=" + third);
    assertThat(resumed.next()).isEqualTo(posted.get(2));
    for (int i = 3; i < posted.size(); i++) {
      assertThat(resumed.next()).isEqualTo(posted.get(i));
    }
    JsonNode more =
        json(http.post("/api/commands", "{\"type\":\"time\",\"time\":1700000120000}"))
            .path("events");
    for (JsonNode expected : more) {
      assertThat(resumed.next()).isEqualTo(expected);
      assertThat(live.next()).isEqualTo(expected);
    }
    // the genesis events are in the ring too, from seq 1
    assertThat(connect("?from=1").next().path("seq").asLong()).isEqualTo(1);
  }

  @Test
  void aResumePointThatCannotBeServedIsRefusedWithACode() throws Exception {
    for (String bad : List.of("?from=999999", "?from=abc")) {
      Listener refused = connect(bad);
      JsonNode error = refused.next();
      assertThat(error.path("code").asText())
          .isEqualTo(bad.equals("?from=abc") ? "bad-parameter" : "resume-unavailable");
      assertThat(error.path("message").asText()).isNotBlank();
      assertThat(refused.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    }
  }
}
