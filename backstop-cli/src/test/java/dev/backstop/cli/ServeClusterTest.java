package dev.backstop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.cluster.ClusterLayout;
import dev.backstop.cluster.NodeProcesses;
import dev.backstop.cluster.NodeStatus;
import dev.backstop.json.EngineJson;
import dev.backstop.server.BackstopServer;
import dev.backstop.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backstop serve --cluster}: the HTTP API, unchanged, on a 3-node cluster of processes on
 * loopback. Commands are answered once committed, the server's replica holds the nodes' state hash,
 * a restarted server takes the cluster's state again, and without a majority a command is not
 * acknowledged.
 */
class ServeClusterTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static HttpResponse<String> post(BackstopServer server, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(BackstopServer server, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void theApiServesTheClusteredEngineAndAcknowledgesOnlyCommittedCommands() throws Exception {
    int port = NodeProcesses.freeBasePort(3);
    ClusterLayout layout = new ClusterLayout("127.0.0.1", 3, port);
    String nodes = dir.resolve("nodes").toString();
    Path data = dir.resolve("data");
    ServerConfig config = ServerConfig.load(data).withDevMode().withPort(0);
    try {
      CliRun start =
          CliRun.run(
              "cluster",
              "start",
              "--dir",
              nodes,
              "--base-port",
              Integer.toString(port),
              "--heartbeat-timeout-ms",
              "1500",
              "--heap",
              "256m");
      assertThat(start.exitCode()).as(start.err()).isZero();

      String hash;
      long commands;
      try (BackstopServer server =
          BackstopServer.start(data, config, new ClusterLog(layout, Duration.ofSeconds(10)))) {
        HttpResponse<String> sent =
            post(
                server,
                "/api/commands",
                """
                {"type":"deposit","account":"alice","amount":"10000"}
                {"type":"deposit","account":"bob","amount":"10000"}
                {"type":"trade","market":"BTC-PERP","buyer":"alice","seller":"bob","size":"0.1","price":"100000","taker":"buyer"}""");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        JsonNode outcome = MAPPER.readTree(sent.body());
        assertThat(outcome.get("commands").asInt()).isEqualTo(3);
        assertThat(sent.body()).contains("\"type\":\"deposited\"", "\"type\":\"fill\"");

        JsonNode health = get(server, "/api/health");
        hash = health.get("stateHash").asText();
        commands = health.get("commands").asLong();
        assertThat(health.get("replicatedLog").asText()).contains("backstop cluster of 3");
        List<NodeStatus> all = NodeProcesses.converged(layout, Duration.ofSeconds(30));
        assertThat(all).extracting(s -> EngineJson.stateHash(s.stateHash())).containsOnly(hash);
        assertThat(all).extracting(NodeStatus::commands).containsOnly(commands);

        JsonNode alice = get(server, "/api/account?account=alice");
        assertThat(alice.toString()).contains("BTC-PERP");
        assertThat(get(server, "/api/account/trades?account=alice&category=trade").toString())
            .contains("BTC-PERP");
      }

      // a new server takes the cluster's state: the same hash, the same portfolio
      try (BackstopServer again =
          BackstopServer.start(data, config, new ClusterLog(layout, Duration.ofSeconds(3)))) {
        assertThat(again.recoveredCommands()).isEqualTo(commands);
        JsonNode health = get(again, "/api/health");
        assertThat(health.get("stateHash").asText()).isEqualTo(hash);
        assertThat(get(again, "/api/account?account=alice").toString()).contains("BTC-PERP");

        // two of three members stopped: no majority, so nothing is acknowledged
        int leader = -1;
        for (int i = 0; i < 3; i++) {
          NodeStatus s = NodeProcesses.status(layout, i);
          if (s != null && s.role().equals("leader")) {
            leader = i;
          }
        }
        assertThat(leader).isNotNegative();
        for (int i = 0; i < 3; i++) {
          if (i != leader) {
            ProcessHandle node = ClusterCommand.running(Path.of(nodes), i).orElseThrow();
            node.destroy();
            node.onExit().get(30, TimeUnit.SECONDS);
          }
        }
        HttpResponse<String> refused =
            post(
                again,
                "/api/commands",
                "{\"type\":\"deposit\",\"account\":\"carol\",\"amount\":\"1\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("outcome-unknown");
        assertThat(get(again, "/api/health").get("commands").asLong()).isEqualTo(commands);
      }
    } finally {
      CliRun.run("cluster", "stop", "--dir", nodes);
    }
  }
}
