package dev.backstop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.cluster.ClusterClient;
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

        // another client writes to the cluster: the server fills the gap at its next command
        try (ClusterClient other =
            new ClusterClient(layout, dir.resolve("other"), Duration.ofSeconds(10))) {
          other
              .submit("{\"type\":\"deposit\",\"account\":\"dave\",\"amount\":\"700\"}")
              .get(20, TimeUnit.SECONDS);
        }
        HttpResponse<String> next =
            post(
                server,
                "/api/commands",
                "{\"type\":\"deposit\",\"account\":\"erin\",\"amount\":\"5\"}");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(get(server, "/api/account?account=dave").get("collateral").asText())
            .isEqualTo("700");
        assertThat(get(server, "/api/account/transfers?account=dave").toString()).contains("700");
        health = get(server, "/api/health");
        hash = health.get("stateHash").asText();
        commands = health.get("commands").asLong();
        all = NodeProcesses.converged(layout, Duration.ofSeconds(30));
        assertThat(all).extracting(s -> EngineJson.stateHash(s.stateHash())).containsOnly(hash);
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

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void theServerGoesOnWhenTheLeaderIsKilledUnderLoad() throws Exception {
    int port = NodeProcesses.freeBasePort(3);
    ClusterLayout layout = new ClusterLayout("127.0.0.1", 3, port);
    Path nodes = dir.resolve("nodes");
    Path data = dir.resolve("data");
    ServerConfig config = ServerConfig.load(data).withDevMode().withPort(0);
    try {
      CliRun start =
          CliRun.run(
              "cluster",
              "start",
              "--dir",
              nodes.toString(),
              "--base-port",
              Integer.toString(port),
              "--heartbeat-timeout-ms",
              "1500",
              "--heap",
              "256m");
      assertThat(start.exitCode()).as(start.err()).isZero();
      try (BackstopServer server =
          BackstopServer.start(data, config, new ClusterLog(layout, Duration.ofSeconds(5)))) {
        int ok = 0;
        int unknown = 0;
        int afterKill = 0;
        boolean killed = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 1; afterKill < 30 && System.nanoTime() < deadline; i++) {
          HttpResponse<String> r =
              post(
                  server,
                  "/api/commands",
                  "{\"type\":\"deposit\",\"account\":\"t" + i + "\",\"amount\":\"1\"}");
          if (r.statusCode() == 200) {
            ok++;
            afterKill += killed ? 1 : 0;
          } else {
            assertThat(r.body())
                .as("only an unknown outcome, never a stop")
                .contains("outcome-unknown");
            unknown++;
          }
          if (i == 30) {
            for (int m = 0; m < 3; m++) {
              NodeStatus s = NodeProcesses.status(layout, m);
              if (s != null && s.role().equals("leader")) {
                ProcessHandle leader = ClusterCommand.running(nodes, m).orElseThrow();
                leader.destroyForcibly();
                leader.onExit().get(30, TimeUnit.SECONDS);
                killed = true;
              }
            }
            assertThat(killed).isTrue();
          }
        }
        assertThat(afterKill).as("answered after the kill (%d unknown)", unknown).isEqualTo(30);
        assertThat(ok).isGreaterThanOrEqualTo(60);
        JsonNode health = get(server, "/api/health");
        // the two members left agree with the server's replica once they applied as much
        long commands = health.get("commands").asLong();
        List<NodeStatus> alive = new java.util.ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
          alive.clear();
          for (int m = 0; m < 3; m++) {
            NodeStatus s = NodeProcesses.status(layout, m);
            if (s != null) {
              alive.add(s);
            }
          }
          if (alive.size() == 2 && alive.stream().allMatch(s -> s.commands() == commands)) {
            break;
          }
          Thread.sleep(100);
        }
        assertThat(alive).extracting(NodeStatus::commands).containsExactly(commands, commands);
        assertThat(alive)
            .extracting(s -> EngineJson.stateHash(s.stateHash()))
            .containsOnly(health.get("stateHash").asText());
      }
    } finally {
      CliRun.run("cluster", "stop", "--dir", nodes.toString());
    }
  }
}
