package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
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
 * API keys and isolation: every route refuses a request without a valid key, an account's key
 * reaches only its own data and its own commands, and a refused request changes nothing (the state
 * hash and the journal are as before). Every route is probed from {@link BackstopServer#routes()},
 * so a new route is covered without editing this test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthTest {

  @TempDir Path dir;
  ServerFixture f;
  Http bob;
  Http alice;

  @BeforeEach
  void start() throws Exception {
    f = startWithoutRateLimits();
    f.run(Crash.SETUP + Crash.FALL);
    bob = f.trader("bob");
    alice = f.trader("alice");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  /** One request on {@code route} as {@code client}, naming {@code account} where it can. */
  private HttpResponse<String> probe(Http client, BackstopServer.Route route, String account)
      throws Exception {
    String path = route.path().replace("{id}", "k1");
    String query = account == null ? "" : "?account=" + account;
    return switch (route.method()) {
      case "GET" -> client.get(path + query + (path.startsWith("/v5/") ? "&category=linear" : ""));
      case "DELETE" -> client.delete(path);
      case "POST" ->
          client.post(
              path,
              path.equals("/api/keys")
                  ? "{\"account\":\"mallory\"}"
                  : "{\"type\":\"withdraw\",\"account\":\"alice\",\"amount\":\"1\"}");
      default -> throw new IllegalArgumentException(route.toString());
    };
  }

  private List<BackstopServer.Route> routes(BackstopServer.Access... access) {
    List<BackstopServer.Route> out = new ArrayList<>();
    for (BackstopServer.Route r : f.server.routes()) {
      if (List.of(access).contains(r.access()) && !r.method().equals("WS")) {
        out.add(r);
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  @Test
  void everyRouteButThePublicOnesRefusesARequestWithoutAValidKey() throws Exception {
    String before = f.position();
    Http none = f.operator.as(null);
    Http forged = f.operator.as("bk_" + "A".repeat(43));
    for (BackstopServer.Route route :
        routes(
            BackstopServer.Access.KEY,
            BackstopServer.Access.ACCOUNT,
            BackstopServer.Access.OPERATOR)) {
      for (Http client : List.of(none, forged)) {
        HttpResponse<String> response = probe(client, route, "alice");
        assertThat(response.statusCode()).as(route + " " + response.body()).isEqualTo(401);
        assertThat(ServerFixture.json(response).path("code").asText()).isEqualTo("unauthorized");
      }
    }
    for (String path : List.of("/ws/events", "/ws/account?account=alice")) {
      for (String key : java.util.Arrays.asList(null, "bk_" + "A".repeat(43))) {
        assertThatThrownBy(() -> f.socket(path, key, new BackstopServerTest.Listener()))
            .as(path)
            .satisfies(
                e ->
                    assertThat(
                            ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));
      }
    }
    assertThat(f.position()).isEqualTo(before);
    for (BackstopServer.Route route : routes(BackstopServer.Access.PUBLIC)) {
      assertThat(none.get(route.path()).statusCode()).as(route.toString()).isEqualTo(200);
    }
  }

  @Test
  void anotherAccountsKeyIsRefusedOnEveryRouteAndNothingChanges() throws Exception {
    String before = f.position();
    String keys = f.operator.get("/api/keys").body();
    for (BackstopServer.Route route : routes(BackstopServer.Access.ACCOUNT)) {
      HttpResponse<String> response = probe(bob, route, "alice");
      assertThat(response.statusCode()).as(route + " " + response.body()).isEqualTo(403);
      assertThat(ServerFixture.json(response).path("code").asText())
          .isIn("forbidden-account", "forbidden-command");
    }
    for (BackstopServer.Route route : routes(BackstopServer.Access.OPERATOR)) {
      HttpResponse<String> response = probe(bob, route, null);
      assertThat(response.statusCode()).as(route + " " + response.body()).isEqualTo(403);
      assertThat(ServerFixture.json(response).path("code").asText()).isEqualTo("forbidden");
    }
    // the WebSockets: the operator's event stream, and another account's stream
    for (String path : List.of("/ws/events", "/ws/account?account=alice")) {
      assertThatThrownBy(() -> f.socket(path, bob.key(), new BackstopServerTest.Listener()))
          .as(path)
          .satisfies(
              e ->
                  assertThat(
                          ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                      .isEqualTo(403));
    }
    assertThat(f.position()).isEqualTo(before);
    assertThat(f.operator.get("/api/keys").body()).isEqualTo(keys);
  }

  @Test
  void aTraderKeySendsOnlyItsOwnWithdrawalsAndSeesOnlyEventsNamingItAlone() throws Exception {
    String before = f.position();
    for (String command :
        List.of(
            "{\"type\":\"deposit\",\"account\":\"bob\",\"amount\":\"1000000\"}",
            "{\"type\":\"withdraw\",\"account\":\"alice\",\"amount\":\"1\"}",
            "{\"type\":\"trade\",\"market\":\"XBT-PERP\",\"buyer\":\"bob\",\"seller\":\"alice\","
                + "\"size\":\"0.1\",\"price\":\"1\",\"taker\":\"buyer\"}",
            "{\"type\":\"price\",\"market\":\"XBT-PERP\",\"mark\":\"1\"}",
            "{\"type\":\"insurance\",\"market\":\"XBT-PERP\",\"amount\":\"5\"}")) {
      // a refused line refuses the whole request, even after a permitted one
      HttpResponse<String> response =
          bob.post(
              "/api/commands",
              "{\"type\":\"withdraw\",\"account\":\"bob\",\"amount\":\"1\"}\n" + command);
      assertThat(response.statusCode()).as(command).isEqualTo(403);
      JsonNode error = ServerFixture.json(response);
      assertThat(error.path("code").asText()).isEqualTo("forbidden-command");
      assertThat(error.path("message").asText()).startsWith("line 2: ");
    }
    assertThat(f.position()).isEqualTo(before);

    JsonNode own =
        ServerFixture.json(
            bob.post(
                "/api/commands", "{\"type\":\"withdraw\",\"account\":\"bob\",\"amount\":\"1\"}"));
    // the withdrawal first settles the funding bob's position owes since the fixture's round
    assertThat(own.path("events").findValuesAsText("type"))
        .containsExactly("funding-paid", "withdrawn");
    assertThat(own.toString()).doesNotContain("alice", "dave", "erin");
    JsonNode portfolio = ServerFixture.json(bob.get("/api/account"));
    assertThat(portfolio.path("account").asText()).isEqualTo("bob");
    assertThat(portfolio.toString()).doesNotContain("alice");
    assertThat(ServerFixture.json(bob.get("/api/whoami")).path("account").asText())
        .isEqualTo("bob");
    // naming itself is allowed
    assertThat(bob.get("/api/account?account=bob").statusCode()).isEqualTo(200);
  }

  @Test
  void theOperatorNamesTheAccountAndSeesAny() throws Exception {
    HttpResponse<String> unnamed = f.operator.get("/api/account");
    assertThat(unnamed.statusCode()).isEqualTo(400);
    assertThat(ServerFixture.json(unnamed).path("code").asText()).isEqualTo("missing-parameter");
    assertThat(
            ServerFixture.json(f.operator.get("/api/account?account=alice"))
                .path("account")
                .asText())
        .isEqualTo("alice");
  }

  @Test
  void keysAreStoredHashedRevocableAndSurviveARestart() throws Exception {
    String file = Files.readString(dir.resolve(ApiKeys.FILE));
    assertThat(file).doesNotContain(bob.key(), f.operator.key());
    assertThat(file).contains(ApiKeys.sha256(bob.key()));
    JsonNode listed = ServerFixture.json(f.operator.get("/api/keys")).path("keys");
    assertThat(listed.findValuesAsText("account")).contains("bob", "alice");
    assertThat(listed.toString()).doesNotContain("sha256", bob.key());

    String operatorKey = f.operator.key();
    f.close();
    f = startWithoutRateLimits();
    assertThat(f.server.initialOperatorKey()).as("no new operator key on a restart").isNull();
    Http operator = new Http(f.server.port(), operatorKey);
    Http bobAgain = new Http(f.server.port(), bob.key());
    Http aliceAgain = new Http(f.server.port(), alice.key());
    assertThat(bobAgain.get("/api/account").statusCode()).isEqualTo(200);
    String aliceId = ServerFixture.json(aliceAgain.get("/api/whoami")).path("keyId").asText();
    String operatorId = ServerFixture.json(operator.get("/api/whoami")).path("keyId").asText();

    assertThat(operator.delete("/api/keys/" + operatorId).statusCode()).isEqualTo(400);
    assertThat(operator.delete("/api/keys/k999").statusCode()).isEqualTo(404);
    assertThat(operator.delete("/api/keys/" + aliceId).statusCode()).isEqualTo(204);
    HttpResponse<String> revoked = aliceAgain.get("/api/account");
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(ServerFixture.json(revoked).path("code").asText()).isEqualTo("unauthorized");
    assertThat(bobAgain.get("/api/account").statusCode()).isEqualTo(200);
    assertThat(Files.readString(dir.resolve(ApiKeys.FILE)))
        .doesNotContain(ApiKeys.sha256(alice.key()));
  }

  @Test
  void malformedRequestsGetA400WithACodeAndChangeNothing() throws Exception {
    String before = f.position();
    record Case(String path, String code) {}
    for (Case c :
        List.of(
            new Case("/api/account/trades?limit=0", "bad-parameter"),
            new Case("/api/account/trades?limit=abc", "bad-parameter"),
            new Case("/api/account/trades?before=-1", "bad-parameter"),
            new Case("/api/account/trades?category=gift", "bad-parameter"),
            new Case("/api/account/transfers?category=trade", "bad-parameter"),
            new Case("/api/account/notifications?category=deposit", "bad-parameter"),
            new Case("/v5/position/list", "missing-parameter"),
            new Case("/v5/position/list?category=spot", "bad-parameter"),
            new Case("/api/v5/account/positions?instType=SPOT", "bad-parameter"),
            new Case("/api/v5/account/positions?instId=,", "bad-parameter"))) {
      HttpResponse<String> response = bob.get(c.path());
      assertThat(response.statusCode()).as(c.path()).isEqualTo(400);
      JsonNode error = ServerFixture.json(response);
      assertThat(error.path("code").asText()).as(c.path()).isEqualTo(c.code());
      assertThat(error.path("message").asText()).isNotBlank();
    }
    for (String body :
        List.of("not json", "[]", "{\"role\":\"root\"}", "{\"account\":\"x\",\"extra\":1}", "{}")) {
      HttpResponse<String> response = f.operator.post("/api/keys", body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(ServerFixture.json(response).path("code").asText()).isEqualTo("malformed-request");
    }
    for (String path :
        List.of("/api/account/adl?market=NOPE", "/v5/position/list?category=linear&symbol=NOPE")) {
      HttpResponse<String> response = bob.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(ServerFixture.json(response).path("code").asText()).isEqualTo("unknown-market");
    }
    assertThat(f.position()).isEqualTo(before);
  }

  /** A server with keys whose rates do not limit: rates are RateLimitTest's, not these tests'. */
  private ServerFixture startWithoutRateLimits() throws Exception {
    return ServerFixture.start(
        dir,
        ServerConfig.load(dir)
            .withPort(0)
            .withAuth(
                new ServerConfig.Auth(
                    "keys", null, null, new ServerConfig.RateLimit(100_000, 100_000))));
  }
}
