package dev.backstop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.cluster.NodeProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backstop cluster start, send, check, snapshot, stop} on a 3-node cluster of processes on
 * loopback, ports of its own.
 */
class ClusterCommandTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void startSendCheckSnapshotAndStopAThreeNodeCluster() throws Exception {
    String port = Integer.toString(NodeProcesses.freeBasePort(3));
    String nodes = dir.resolve("nodes").toString();
    try {
      CliRun start =
          CliRun.run(
              "cluster",
              "start",
              "--dir",
              nodes,
              "--base-port",
              port,
              "--heartbeat-timeout-ms",
              "1500",
              "--heap",
              "256m");
      assertThat(start.exitCode()).as(start.err()).isZero();
      assertThat(start.out()).contains("node 0: pid", "leader");

      Path commands = dir.resolve("commands.jsonl");
      Files.writeString(
          commands,
          """
          {"type":"market","market":"BTC-PERP","preset":"bybit"}
          {"type":"deposit","account":"alice","amount":"10000"}
          {"type":"deposit","account":"bob","amount":"10000"}
          {"type":"trade","market":"BTC-PERP","buyer":"alice","seller":"bob","size":"0.1","price":"100000","taker":"buyer"}
          {"type":"withdraw","account":"zoe","amount":"1"}
          """);
      Path events = dir.resolve("events.jsonl");
      CliRun send =
          CliRun.run(
              "cluster",
              "send",
              "--base-port",
              port,
              "--commands",
              commands.toString(),
              "--events",
              events.toString(),
              "--batch",
              "2");
      assertThat(send.exitCode()).as(send.err()).isZero();
      assertThat(send.out()).contains("5 commands sent", "1 rejected");
      assertThat(Files.readString(events)).contains("\"code\":\"unknown-account\"");

      CliRun check = CliRun.run("cluster", "check", "--base-port", port, "--wait", "20");
      assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
      assertThat(check.out()).contains("3 nodes agree");

      CliRun snapshot = CliRun.run("cluster", "snapshot", "--base-port", port);
      assertThat(snapshot.exitCode()).as(snapshot.err()).isZero();
      assertThat(snapshot.out()).contains("snapshot requested");
    } finally {
      CliRun stop = CliRun.run("cluster", "stop", "--dir", nodes);
      assertThat(stop.exitCode()).as(stop.err()).isZero();
      assertThat(stop.out()).contains("3 node(s) stopped");
    }
    CliRun down = CliRun.run("cluster", "check", "--base-port", port, "--wait", "0");
    assertThat(down.exitCode()).isEqualTo(1);
    assertThat(down.err()).contains("a node does not answer");
  }
}
