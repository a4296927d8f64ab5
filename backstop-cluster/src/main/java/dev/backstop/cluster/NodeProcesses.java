package dev.backstop.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Nodes as processes of their own, and their status endpoints: how {@code backstop cluster start}
 * and the tests run a cluster on one machine, and how {@code backstop cluster check} reads it.
 */
public final class NodeProcesses {

  /**
   * The JVM flag Agrona, and so Aeron, needs on JDK 16+: its {@code UnsafeApi} uses {@code
   * jdk.internal.misc.Unsafe}, and without the flag a node fails at its first buffer ({@code
   * IllegalAccessError}). The same flag is in the launcher and in surefire's argLine.
   */
  public static final List<String> JVM_FLAGS =
      List.of("--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED");

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private NodeProcesses() {}

  /**
   * Starts node {@code options.member()} as a process of its own, with this JVM's {@code java} and
   * classpath, {@link #JVM_FLAGS} and {@code heap}; its output is appended to {@code node.log} in
   * its directory.
   */
  public static Process fork(ClusterNode.Options options, String heap) throws IOException {
    Files.createDirectories(options.dir());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-Xmx" + heap, "-XX:+UseSerialGC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(ClusterNode.class.getName());
    command.addAll(
        List.of(
            "--member",
            Integer.toString(options.member()),
            "--members",
            Integer.toString(options.layout().members()),
            "--base-port",
            Integer.toString(options.layout().basePort()),
            "--host",
            options.layout().host(),
            "--dir",
            options.dir().toString(),
            "--heartbeat-timeout-ms",
            Long.toString(options.heartbeatTimeoutMs())));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(options.dir().resolve("node.log").toFile()))
        .start();
  }

  /** Node {@code member}'s status, or null while it does not answer. */
  public static NodeStatus status(ClusterLayout layout, int member) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + layout.statusEndpoint(member) + "/status"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? read(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** A status as {@link ClusterNode#json} writes it. */
  static NodeStatus read(String json) throws IOException {
    JsonNode n = MAPPER.readTree(json);
    return new NodeStatus(
        n.get("member").asInt(),
        n.get("role").asText(),
        n.get("commands").asLong(),
        n.get("events").asLong(),
        n.get("engineTime").asLong(),
        HexFormat.fromHexDigitsToLong(n.get("stateHash").asText()),
        n.get("snapshots").asLong(),
        n.get("restoredFrom").asLong());
  }

  /** Asks node {@code member} for a snapshot; true if it accepted (it is the leader). */
  public static boolean requestSnapshot(ClusterLayout layout, int member) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + layout.statusEndpoint(member) + "/snapshot"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 202;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Every node's status (null for one that does not answer) once the nodes that answer agree on the
   * commands applied, or the last statuses read when {@code wait} ran out.
   */
  public static List<NodeStatus> converged(ClusterLayout layout, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<NodeStatus> all = new ArrayList<>();
      for (int i = 0; i < layout.members(); i++) {
        all.add(status(layout, i));
      }
      if (agree(all) || System.nanoTime() > deadline) {
        return all;
      }
      Thread.sleep(100);
    }
  }

  /** True when every node answered and all applied the same commands with the same hash. */
  public static boolean agree(List<NodeStatus> all) {
    return all.stream().allMatch(s -> s != null)
        && all.stream().map(NodeStatus::commands).distinct().count() == 1
        && all.stream().map(NodeStatus::stateHash).distinct().count() == 1;
  }

  /**
   * A base port whose every port (TCP and UDP, on loopback) is free now, at random from 20000 up to
   * 32767: for tests, each cluster on ports of its own, below Linux's ephemeral range (32768 and
   * up), where the replication and egress endpoints take theirs.
   */
  public static int freeBasePort(int members) {
    int span = members * ClusterLayout.PORTS_PER_NODE;
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt((32_768 - 20_000 - span) / 10) * 10;
      if (free(base, span)) {
        return base;
      }
    }
    throw new IllegalStateException("no free block of ports on loopback");
  }

  private static boolean free(int base, int count) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int port = base; port < base + count; port++) {
      try (ServerSocket tcp = new ServerSocket(port, 1, loopback);
          DatagramSocket udp = new DatagramSocket(port, loopback)) {
        if (!tcp.isBound() || !udp.isBound()) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
