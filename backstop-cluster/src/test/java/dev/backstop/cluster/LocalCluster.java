package dev.backstop.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A cluster of separate node processes on loopback for the tests: each node a JVM of its own,
 * forked with the test's classpath, so a node can be killed with SIGKILL ({@link #kill}). Ports are
 * chosen free at random per cluster, directories under the test's temporary directory; {@link
 * #close} kills every node still running, so none outlives its test.
 */
final class LocalCluster implements AutoCloseable {

  final ClusterLayout layout;
  private final Path dir;
  private final Process[] nodes;
  private final long heartbeatMs;

  LocalCluster(Path dir, int members, long heartbeatMs) {
    this.dir = dir;
    this.layout = new ClusterLayout("127.0.0.1", members, NodeProcesses.freeBasePort(members));
    this.nodes = new Process[members];
    this.heartbeatMs = heartbeatMs;
    Runtime.getRuntime().addShutdownHook(new Thread(this::close));
  }

  Path nodeDir(int member) {
    return dir.resolve("node-" + member);
  }

  /** Starts node {@code member} as a process of its own; its output goes to its directory. */
  void start(int member) throws IOException {
    if (nodes[member] != null && nodes[member].isAlive()) {
      throw new IllegalStateException("node " + member + " runs already");
    }
    nodes[member] =
        NodeProcesses.fork(
            new ClusterNode.Options(member, layout, nodeDir(member), heartbeatMs), "256m");
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
  NodeStatus status(int member) {
    return NodeProcesses.status(layout, member);
  }

  /** Asks node {@code member} for a snapshot; true if it accepted (it is the leader). */
  boolean requestSnapshot(int member) {
    return NodeProcesses.requestSnapshot(layout, member);
  }

  /** The member that reports itself leader, waiting up to {@code timeout}. */
  int awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < nodes.length; i++) {
        if (alive(i)) {
          NodeStatus s = status(i);
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
   * Waits until every node reports the same command count and state hash; returns the statuses
   * then.
   */
  List<NodeStatus> awaitConverged(Duration timeout) throws InterruptedException {
    List<NodeStatus> all = NodeProcesses.converged(layout, timeout);
    if (!NodeProcesses.agree(all)) {
      throw new AssertionError("the nodes did not converge within " + timeout + ": " + all);
    }
    return all;
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
