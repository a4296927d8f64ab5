package dev.backstop.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes on loopback; commands go through the leader while it is killed with SIGKILL
 * mid-load. A new leader is elected; every acknowledged command is in its state exactly once; after
 * the old leader rejoins and catches up, the three state hashes are equal.
 */
class ClusterFailoverTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void theLeaderKilledMidLoadLosesNoAcknowledgedCommandAndAppliesNoneTwice() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, 1_500)) {
      cluster.startAll();
      cluster.awaitLeader(Duration.ofSeconds(30));
      int killed = -1;
      try (ClusterClient client =
          new ClusterClient(cluster.layout, dir.resolve("client"), Duration.ofSeconds(8))) {
        ClusterClient.Applied genesis =
            client
                .submit(
                    """
                    {"type":"market","market":"BTC-PERP","preset":"binance"}
                    {"type":"deposit","account":"maker","amount":"1000000"}
                    {"type":"price","market":"BTC-PERP","mark":"100000"}""")
                .get(20, TimeUnit.SECONDS);
        assertThat(genesis.commands()).isEqualTo(3);
        assertThat(genesis.events()).anyMatch(e -> e.contains("\"type\":\"market-created\""));

        // deposits of 1 to accounts t1, t2, ...: one each, so a command applied twice shows as 2;
        // a deposit every 5 ms, the leader killed after the 200th is acknowledged, and the load
        // goes on until 200 more are acknowledged by the new leader (at most 60 s)
        Map<Integer, CompletableFuture<ClusterClient.Applied>> sent = new HashMap<>();
        int killedAfter = 200;
        int n = 0;
        long killedAt = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int afterKill = 0;
        while (System.nanoTime() < deadline) {
          n++;
          sent.put(
              n,
              client.submit("{\"type\":\"deposit\",\"account\":\"t" + n + "\",\"amount\":\"1\"}"));
          if (n == killedAfter) {
            sent.get(n).get(20, TimeUnit.SECONDS);
            // the leader now (an election on a busy machine may have moved it since the start)
            killed = cluster.awaitLeader(Duration.ofSeconds(10));
            cluster.kill(killed);
            killedAt = n;
          }
          if (killedAt > 0) {
            final long from = killedAt;
            afterKill =
                (int)
                    sent.entrySet().stream()
                        .filter(e -> e.getKey() > from)
                        .filter(
                            e -> e.getValue().isDone() && !e.getValue().isCompletedExceptionally())
                        .count();
            if (afterKill >= 200) {
              break;
            }
          }
          Thread.sleep(5);
        }
        assertThat(afterKill).as("acknowledged after the kill").isGreaterThanOrEqualTo(200);
        List<Integer> acknowledged = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        for (Map.Entry<Integer, CompletableFuture<ClusterClient.Applied>> e : sent.entrySet()) {
          try {
            ClusterClient.Applied applied = e.getValue().get(30, TimeUnit.SECONDS);
            // the deposit's event, after the clock's when the cluster's time moved
            assertThat(applied.commands()).isEqualTo(1);
            assertThat(applied.events().get(applied.events().size() - 1))
                .contains("\"type\":\"deposited\"", "\"account\":\"t" + e.getKey() + "\"");
            acknowledged.add(e.getKey());
          } catch (ExecutionException failed) {
            assertThat(failed.getCause()).isInstanceOf(ClusterClient.OutcomeUnknown.class);
            unknown.add(e.getKey());
          }
        }
        int newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
        assertThat(newLeader).isNotEqualTo(killed);
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(killedAfter + 200);

        Map<String, String> cash = cash(client.state().get(20, TimeUnit.SECONDS));
        for (int i : acknowledged) {
          assertThat(cash.get("t" + i)).as("t" + i + " acknowledged").isEqualTo("1");
        }
        for (int i : unknown) {
          assertThat(cash.getOrDefault("t" + i, "1")).as("t" + i + " unknown").isEqualTo("1");
        }
        ClusterClient.Status status = client.status().get(20, TimeUnit.SECONDS);

        cluster.start(killed);
        List<NodeStatus> converged = cluster.awaitConverged(Duration.ofSeconds(60));
        assertThat(converged).extracting(NodeStatus::commands).containsOnly(status.commands());
        assertThat(converged).extracting(NodeStatus::stateHash).containsOnly(status.stateHash());
      }
    }
  }

  /** Each account's cross collateral, from the state document. */
  static Map<String, String> cash(String state) throws Exception {
    Map<String, String> cash = new HashMap<>();
    for (JsonNode account : MAPPER.readTree(state).get("accounts")) {
      cash.put(account.get("account").asText(), account.get("collateral").asText());
    }
    return cash;
  }
}
