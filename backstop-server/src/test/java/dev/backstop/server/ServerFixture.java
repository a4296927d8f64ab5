package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A server on loopback with API keys, its operator's client, and keys made for traders. */
final class ServerFixture implements AutoCloseable {

  final Path dir;
  final BackstopServer server;
  final Http operator;

  private ServerFixture(Path dir, BackstopServer server, Http operator) {
    this.dir = dir;
    this.server = server;
    this.operator = operator;
  }

  /** Starts a server in {@code dir} with its configuration there, on a free port. */
  static ServerFixture start(Path dir) throws Exception {
    return start(dir, ServerConfig.load(dir).withPort(0));
  }

  static ServerFixture start(Path dir, ServerConfig config) throws Exception {
    BackstopServer server = BackstopServer.start(dir, config);
    return new ServerFixture(dir, server, new Http(server.port(), server.initialOperatorKey()));
  }

  /** A new trader key for {@code account}, and a client using it. */
  Http trader(String account) throws Exception {
    HttpResponse<String> created = operator.post("/api/keys", "{\"account\":\"" + account + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return operator.as(json(created).path("key").asText());
  }

  /** Posts commands as the operator and checks that none was refused or rejected. */
  JsonNode run(String commands) throws Exception {
    HttpResponse<String> response = operator.post("/api/commands", commands);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.path("events").findValuesAsText("type")).doesNotContain("rejected");
    return body;
  }

  /** The state hash and journal length, which a refused request must leave as they were. */
  String position() throws Exception {
    JsonNode health = json(operator.get("/api/health"));
    return health.path("stateHash").asText() + "/" + health.path("commands").asLong();
  }

  /** Opens a WebSocket with {@code key} in the X-API-Key header (none when null). */
  WebSocket socket(String pathAndQuery, String key, BackstopServerTest.Listener listener)
      throws Exception {
    WebSocket.Builder builder =
        operator.client().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (key != null) {
      builder.header("X-API-Key", key);
    }
    return builder
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery), listener)
        .get(10, TimeUnit.SECONDS);
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return BackstopServerTest.MAPPER.readTree(response.body());
  }

  @Override
  public void close() throws java.io.IOException {
    server.close();
  }
}
