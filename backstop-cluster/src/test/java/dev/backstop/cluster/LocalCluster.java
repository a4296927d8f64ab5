package dev.backstop.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * A cluster of separate node processes on loopback for the tests: each node a JVM of its own,
 * forked with the test's classpath, so a node can be killed with SIGKILL ({@link #kill}). Ports are
 * chosen free at random per cluster, directories under the test's temporary directory; {@link
 * #close} kills every node still running, so none outlives its test.
 */
final class LocalCluster implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** A node's status as its endpoint reports it. */
  record Reported(
      int member,
      String role,
      long commands,
      String stateHash,
      long snapshots,
      long restoredFrom) {}

  final ClusterLayout layout;
  private final Path dir;
  private final Process[] nodes;
  private final long heartbeatMs;

  LocalCluster(Path dir, int members, long heartbeatMs) {
    this.dir = dir;
    this.layout = new ClusterLayout("127.0.0.1", members, freeBasePort(members));
    this.nodes = new Process[members];
    this.heartbeatMs = heartbeatMs;
    Runtime.getRuntime().addShutdownHook(new Thread(this::close));
  }

  /** A base port whose every port (TCP and UDP) is free now, at random in 20000-59999. */
  private static int freeBasePort(int members) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(4_000) * 10;
      if (free(base, members * ClusterLayout.PORTS_PER_NODE)) {
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

  Path nodeDir(int member) {
    return dir.resolve("node-" + member);
  }

  /** Starts node {@code member} as a process of its own; its output goes to its directory. */
  void start(int member) throws IOException {
    if (nodes[member] != null && nodes[member].isAlive()) {
      throw new IllegalStateException("node " + member + " runs already");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("backstop.aeron.opens", "").split("\\s+")));
    command.removeIf(String::isBlank);
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(ClusterNode.class.getName());
    command.addAll(
        List.of(
            "--member",
            Integer.toString(member),
            "--members",
            Integer.toString(layout.members()),
            "--base-port",
            Integer.toString(layout.basePort()),
            "--dir",
            nodeDir(member).toString(),
            "--heartbeat-timeout-ms",
            Long.toString(heartbeatMs)));
    java.nio.file.Files.createDirectories(nodeDir(member));
    nodes[member] =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(nodeDir(member).resolve("node.log").toFile()))
            .start();
  }

  void startAll() throws IOException {
    for (int i = 0; i < nodes.length; i++) {
      start(i);
    }
  }

  /** SIGKILL: the node gets no chance to close anything. */
  void kill(int member) throws InterruptedException {
    Process p = nodes[member];
    p.destroyForcibly();
    p.waitFor();
  }

  /** SIGTERM: the node closes its service, consensus module, archive and driver. */
  void stop(int member) throws InterruptedException {
    Process p = nodes[member];
    p.destroy();
    if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  boolean alive(int member) {
    return nodes[member] != null && nodes[member].isAlive();
  }

  /** The node's status, or null while it does not answer. */
  Reported status(int member) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + layout.statusEndpoint(member) + "/status"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      JsonNode n = MAPPER.readTree(r.body());
      return new Reported(
          n.get("member").asInt(),
          n.get("role").asText(),
          n.get("commands").asLong(),
          n.get("stateHash").asText(),
          n.get("snapshots").asLong(),
          n.get("restoredFrom").asLong());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Asks node {@code member} for a snapshot; true if it accepted (it is the leader). */
  boolean requestSnapshot(int member) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + layout.statusEndpoint(member) + "/snapshot"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 202;
  }

  /** The member that reports itself leader, waiting up to {@code timeout}. */
  int awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < nodes.length; i++) {
        if (alive(i)) {
          Reported s = status(i);
          if (s != null && s.role().equals("leader")) {
            return i;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no leader within " + timeout + "; " + logs());
  }

  /**
   * Waits until every running node reports the same command count and state hash; returns the
   * statuses then.
   */
  List<Reported> awaitConverged(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Reported> last = List.of();
    while (System.nanoTime() < deadline) {
      List<Reported> all = new ArrayList<>();
      for (int i = 0; i < nodes.length; i++) {
        all.add(alive(i) ? status(i) : null);
      }
      last = all;
      if (all.stream().allMatch(s -> s != null)
          && all.stream().map(Reported::commands).distinct().count() == 1
          && all.stream().map(Reported::stateHash).distinct().count() == 1) {
        return all;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the nodes did not converge within " + timeout + ": " + last);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  /** The last lines of every node's log, for a failure's message. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nodes.length; i++) {
      Path log = nodeDir(i).resolve("node.log");
      try {
        List<String> lines = java.nio.file.Files.readAllLines(log);
        out.append("\n--- node ").append(i).append(" ---\n");
        lines
            .subList(Math.max(0, lines.size() - 20), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (IOException e) {
        out.append("\n--- node ").append(i).append(": no log ---");
      }
    }
    return out.toString();
  }

  /** Kills every node still running. */
  @Override
  public void close() {
    for (Process p : nodes) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        try {
          p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
