package dev.backstop.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of a 3-node cluster of separate processes on loopback: every node restarted from its
 * snapshot and the log after it comes back to the same state hash, and a follower stopped while the
 * cluster went on catches up to the same hash. The commands are the README tour's streams ({@code
 * examples/cluster.jsonl}, the live form of {@code quickstart.jsonl}, then {@code
 * examples/more.jsonl} likewise): trades, a crash, liquidations, the fund's takeover and ADL.
 */
class ClusterRecoveryTest {

  @TempDir Path dir;

  /**
   * A tour stream as a live feed: without its {@code time} commands and the prices' own times,
   * which lie in 2023, before the cluster's clock; the engine's time is the log's.
   */
  private static String example(String name) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("..", "examples", name))) {
      if (!line.isBlank() && !line.contains("\"type\":\"time\"")) {
        out.append(line.replaceAll(",\"time\":\\d+", "")).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void everyNodeRestartedFromItsSnapshotAndTheLogComesBackToTheSameHash() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, 1_500)) {
      cluster.startAll();
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      ClusterClient.Status before;
      long snapshotAt;
      try (ClusterClient client =
          new ClusterClient(cluster.layout, dir.resolve("client"), Duration.ofSeconds(10))) {
        String live = Files.readString(Path.of("..", "examples", "cluster.jsonl"));
        assertThat(live).as("examples/cluster.jsonl").isEqualTo(example("quickstart.jsonl"));
        ClusterClient.Applied first = client.submit(live).get(20, TimeUnit.SECONDS);
        assertThat(first.events()).noneMatch(e -> e.contains("\"type\":\"rejected\""));
        assertThat(first.events()).anyMatch(e -> e.contains("\"type\":\"taken-over\""));
        assertThat(first.events()).anyMatch(e -> e.contains("\"type\":\"deleveraged\""));
        snapshotAt = client.status().get(20, TimeUnit.SECONDS).commands();

        assertThat(cluster.requestSnapshot(leader)).isTrue();
        LocalCluster.await(
            "a snapshot on every node",
            Duration.ofSeconds(30),
            () ->
                java.util.stream.IntStream.range(0, 3)
                    .mapToObj(cluster::status)
                    .allMatch(s -> s != null && s.snapshots() >= 1));

        client.submit(example("more.jsonl")).get(20, TimeUnit.SECONDS);
        before = client.status().get(20, TimeUnit.SECONDS);
        assertThat(before.commands()).isGreaterThan(snapshotAt);
      }
      cluster.awaitConverged(Duration.ofSeconds(30));
      for (int i = 0; i < 3; i++) {
        cluster.stop(i);
      }

      cluster.startAll();
      cluster.awaitLeader(Duration.ofSeconds(60));
      List<NodeStatus> after = cluster.awaitConverged(Duration.ofSeconds(60));
      assertThat(after).extracting(NodeStatus::commands).containsOnly(before.commands());
      assertThat(after).extracting(NodeStatus::stateHash).containsOnly(before.stateHash());
      // each node started from the snapshot, not from the beginning of the log
      assertThat(after).extracting(NodeStatus::restoredFrom).containsOnly(snapshotAt);
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aStoppedFollowerRestartedCatchesUpToTheSameHash() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, 1_500)) {
      cluster.startAll();
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      int follower = (leader + 1) % 3;
      try (ClusterClient client =
          new ClusterClient(cluster.layout, dir.resolve("client"), Duration.ofSeconds(10))) {
        client.submit(example("quickstart.jsonl")).get(20, TimeUnit.SECONDS);
        long stoppedAt = cluster.awaitConverged(Duration.ofSeconds(30)).get(follower).commands();
        cluster.stop(follower);

        // the two others are a majority: the cluster goes on committing
        client.submit(example("more.jsonl")).get(20, TimeUnit.SECONDS);
        for (int i = 1; i <= 100; i++) {
          client
              .submit("{\"type\":\"deposit\",\"account\":\"late" + i + "\",\"amount\":\"5\"}")
              .get(20, TimeUnit.SECONDS);
        }
        // one message of 3,000 commands: its answer (about 600 KB of events) comes in chunks
        StringBuilder bulk = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
          bulk.append("{\"type\":\"deposit\",\"account\":\"bulk").append(i);
          bulk.append("\",\"amount\":\"1\"}\n");
        }
        ClusterClient.Applied applied = client.submit(bulk.toString()).get(30, TimeUnit.SECONDS);
        assertThat(applied.commands()).isEqualTo(3000);
        assertThat(applied.events().stream().filter(e -> e.contains("\"type\":\"deposited\"")))
            .hasSize(3000);
        assertThat(applied.events().get(applied.events().size() - 1)).contains("\"bulk3000\"");
        ClusterClient.Status leaderStatus = client.status().get(20, TimeUnit.SECONDS);
        assertThat(leaderStatus.commands()).isGreaterThan(stoppedAt + 3100);

        cluster.start(follower);
        List<NodeStatus> all = cluster.awaitConverged(Duration.ofSeconds(60));
        assertThat(all.get(follower).commands()).isEqualTo(leaderStatus.commands());
        assertThat(all.get(follower).stateHash()).isEqualTo(leaderStatus.stateHash());
      }
    }
  }
}
