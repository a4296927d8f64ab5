package dev.backstop.cli;

import dev.backstop.cluster.ClusterClient;
import dev.backstop.cluster.ClusterLayout;
import dev.backstop.cluster.ClusterNode;
import dev.backstop.cluster.NodeProcesses;
import dev.backstop.cluster.NodeStatus;
import dev.backstop.json.EngineJson;
import dev.backstop.sim.io.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstop cluster}: the engine replicated on Aeron Cluster ({@code docs/cluster.md}). Runs
 * a node, starts and stops a cluster of node processes on one machine, checks that the nodes hold
 * the same state hash, sends commands through the leader and asks for a snapshot.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "The engine replicated on Aeron Cluster (Raft): every node applies the same log to its own"
          + " engine, and a command is answered once a majority has it (docs/cluster.md).",
      "Node i of a cluster listens on the ten ports from BASE + 10 * i: status (+0), archive (+1),"
          + " ingress (+2), consensus (+3), log (+4), catch-up (+5)."
    },
    subcommands = {
      ClusterCommand.Node.class,
      ClusterCommand.Start.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Check.class,
      ClusterCommand.Send.class,
      ClusterCommand.Snapshot.class
    })
public final class ClusterCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The options every subcommand shares: where the cluster's members listen. */
  static final class Where {
    @Option(
        names = "--members",
        paramLabel = "N",
        defaultValue = "3",
        description = "Members of the cluster (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(
        names = "--base-port",
        paramLabel = "PORT",
        defaultValue = "9000",
        description = "Node 0's first port (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(
        names = "--host",
        paramLabel = "ADDRESS",
        defaultValue = "127.0.0.1",
        description = "The members' address, one machine (default: ${DEFAULT-VALUE}).")
    String host;

    ClusterLayout layout() {
      return new ClusterLayout(host, members, basePort);
    }
  }

  /** The options of the commands that run nodes. */
  static final class Nodes {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = "backstop-cluster",
        description =
            "Directory of the nodes: node-0, node-1, ... each with its own aeron, archive and"
                + " cluster directories (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
        names = "--heartbeat-timeout-ms",
        paramLabel = "MS",
        defaultValue = "10000",
        description =
            "How long followers wait for the leader's heartbeat before electing another (default:"
                + " ${DEFAULT-VALUE}, Aeron's).")
    long heartbeatTimeoutMs;

    ClusterNode.Options options(Where where, int member) {
      return new ClusterNode.Options(
          member, where.layout(), dir.resolve("node-" + member), heartbeatTimeoutMs);
    }
  }

  private static int fail(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("backstop cluster " + spec.name() + ": " + message);
    err.flush();
    return 1;
  }

  /** {@code backstop cluster node}: one member, in the foreground, until SIGTERM or Ctrl-C. */
  @Command(
      name = "node",
      mixinStandardHelpOptions = true,
      description = "Runs one member of the cluster in this process until SIGTERM or Ctrl-C.")
  static final class Node implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Where where = new Where();
    @Mixin Nodes nodes = new Nodes();

    @Option(
        names = "--member",
        required = true,
        paramLabel = "I",
        description = "This node's member id, 0 to N-1.")
    int member;

    @Override
    public Integer call() throws IOException, InterruptedException {
      List<String> args =
          List.of(
              "--member",
              Integer.toString(member),
              "--members",
              Integer.toString(where.members),
              "--base-port",
              Integer.toString(where.basePort),
              "--host",
              where.host,
              "--dir",
              nodes.dir.resolve("node-" + member).toString(),
              "--heartbeat-timeout-ms",
              Long.toString(nodes.heartbeatTimeoutMs));
      try {
        ClusterNode.main(args.toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        return fail(spec, e.getMessage());
      }
      return 0;
    }
  }

  /** {@code backstop cluster start}: every member as a background process. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Starts every member as a process of its own in the background (logs and pid files in"
            + " DIR/node-I), waits for a leader and prints the nodes' status.",
        "Stop them with 'backstop cluster stop'."
      })
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Where where = new Where();
    @Mixin Nodes nodes = new Nodes();

    @Option(
        names = "--heap",
        paramLabel = "SIZE",
        defaultValue = "512m",
        description = "Each node's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() throws Exception {
      ClusterLayout layout;
      try {
        layout = where.layout();
      } catch (IllegalArgumentException e) {
        return fail(spec, e.getMessage());
      }
      for (int i = 0; i < layout.members(); i++) {
        Optional<ProcessHandle> running = running(nodes.dir, i);
        if (running.isPresent()) {
          return fail(spec, "node " + i + " runs already (pid " + running.get().pid() + ")");
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      for (int i = 0; i < layout.members(); i++) {
        ClusterNode.Options options = nodes.options(where, i);
        Process process = NodeProcesses.fork(options, heap);
        try (AtomicFile pid = AtomicFile.create(options.dir().resolve("node.pid"))) {
          pid.write((process.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
          pid.commit();
        }
        out.printf(
            "node %d: pid %d, log %s%n", i, process.pid(), options.dir().resolve("node.log"));
      }
      out.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < layout.members(); i++) {
          NodeStatus s = NodeProcesses.status(layout, i);
          if (s != null && s.role().equals("leader")) {
            print(out, layout, NodeProcesses.converged(layout, Duration.ofSeconds(10)));
            return 0;
          }
        }
        Thread.sleep(200);
      }
      return fail(spec, "no leader within 60 s; see the nodes' logs");
    }
  }

  /** The process of node {@code member} started by {@code start}, if it still runs. */
  static Optional<ProcessHandle> running(Path dir, int member) throws IOException {
    Path pid = dir.resolve("node-" + member).resolve("node.pid");
    if (!Files.exists(pid)) {
      return Optional.empty();
    }
    try {
      return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
          .filter(ProcessHandle::isAlive);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code backstop cluster stop}: SIGTERM to the processes {@code start} began. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stops the members 'backstop cluster start' began (SIGTERM), and waits.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Where where = new Where();
    @Mixin Nodes nodes = new Nodes();

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      int stopped = 0;
      for (int i = 0; i < where.members; i++) {
        Optional<ProcessHandle> p = running(nodes.dir, i);
        if (p.isPresent()) {
          p.get().destroy();
          p.get().onExit().get(30, TimeUnit.SECONDS);
          out.printf("node %d: stopped (pid %d)%n", i, p.get().pid());
          stopped++;
        }
        Files.deleteIfExists(nodes.dir.resolve("node-" + i).resolve("node.pid"));
      }
      out.printf("%d node(s) stopped%n", stopped);
      out.flush();
      return 0;
    }
  }

  private static void print(PrintWriter out, ClusterLayout layout, List<NodeStatus> all) {
    for (int i = 0; i < all.size(); i++) {
      NodeStatus s = all.get(i);
      if (s == null) {
        out.printf("node %d: no answer at http://%s/status%n", i, layout.statusEndpoint(i));
      } else {
        out.printf(
            "node %d: %-9s %d commands, %d events, state hash %s%n",
            i, s.role(), s.commands(), s.events(), EngineJson.stateHash(s.stateHash()));
      }
    }
    out.flush();
  }

  /** {@code backstop cluster check}: the nodes' state hashes, compared. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Reads every node's status and compares their state hashes once they have applied the"
            + " same commands (waiting up to --wait for a node that is behind).",
        "Exit 0 when every node answers with the same commands and state hash; 1 otherwise."
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Where where = new Where();

    @Option(
        names = "--wait",
        paramLabel = "SECONDS",
        defaultValue = "10",
        description = "How long to wait for the nodes to agree (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Override
    public Integer call() throws InterruptedException {
      ClusterLayout layout;
      try {
        layout = where.layout();
      } catch (IllegalArgumentException e) {
        return fail(spec, e.getMessage());
      }
      List<NodeStatus> all = NodeProcesses.converged(layout, Duration.ofSeconds(waitSeconds));
      PrintWriter out = spec.commandLine().getOut();
      print(out, layout, all);
      if (NodeProcesses.agree(all)) {
        out.printf(
            "%d nodes agree: %d commands, state hash %s%n",
            all.size(), all.get(0).commands(), EngineJson.stateHash(all.get(0).stateHash()));
        out.flush();
        return 0;
      }
      List<String> why = new ArrayList<>();
      if (all.stream().anyMatch(s -> s == null)) {
        why.add("a node does not answer");
      }
      if (all.stream().filter(s -> s != null).map(NodeStatus::commands).distinct().count() > 1) {
        why.add("the nodes applied different numbers of commands within " + waitSeconds + " s");
      } else if (all.stream().filter(s -> s != null).map(NodeStatus::stateHash).distinct().count()
          > 1) {
        why.add("the state hashes DIFFER at the same command");
      }
      return fail(spec, String.join("; ", why));
    }
  }

  /** {@code backstop cluster send}: a command file through the leader. */
  @Command(
      name = "send",
      mixinStandardHelpOptions = true,
      description = {
        "Sends a JSONL command file (as 'backstop run' reads it) to the cluster, one message per"
            + " --batch lines, each answered once the cluster committed and applied it; writes"
            + " the events and prints: commands sent, events, rejected, the leader's state hash.",
        "Before the commands of a message the cluster stamps its log's time into the engine (a"
            + " 'time' command of its own), so times earlier than the cluster's clock are"
            + " refused as stale (docs/cluster.md)."
      })
  static final class Send implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Where where = new Where();

    @Option(
        names = "--commands",
        required = true,
        paramLabel = "FILE.jsonl",
        description = "Command file: one JSON command per line; blank lines are skipped.")
    Path commands;

    @Option(
        names = "--events",
        paramLabel = "OUT.jsonl",
        description = "Writes every event, one JSON object per line, as the cluster gave them.")
    Path events;

    @Option(
        names = "--batch",
        paramLabel = "N",
        defaultValue = "100",
        description = "Lines per message (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
      if (batch < 1) {
        return fail(spec, "--batch must be 1 or more, not " + batch);
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(commands, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return fail(spec, "cannot read " + commands + ": " + e.getMessage());
      }
      lines.removeIf(String::isBlank);
      Path clientDir = Files.createTempDirectory("backstop-cluster-client");
      List<String> out = new ArrayList<>();
      int sent = 0;
      try (ClusterClient client =
          new ClusterClient(where.layout(), clientDir, Duration.ofSeconds(30))) {
        for (int from = 0; from < lines.size(); from += batch) {
          List<String> part = lines.subList(from, Math.min(lines.size(), from + batch));
          ClusterClient.Applied applied =
              client.submit(String.join("\n", part)).get(60, TimeUnit.SECONDS);
          out.addAll(applied.events());
          sent += part.size();
        }
        ClusterClient.Status status = client.status().get(60, TimeUnit.SECONDS);
        if (events != null) {
          try (AtomicFile file = AtomicFile.create(events)) {
            for (String line : out) {
              file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            file.commit();
          }
        }
        long rejected = out.stream().filter(e -> e.contains("\"type\":\"rejected\"")).count();
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
            "%d commands sent, %d events, %d rejected; the cluster at %d commands, state hash %s%n",
            sent,
            out.size(),
            rejected,
            status.commands(),
            EngineJson.stateHash(status.stateHash()));
        w.flush();
        return 0;
      } catch (java.util.concurrent.ExecutionException e) {
        return fail(spec, sent + " commands acknowledged, then: " + e.getCause().getMessage());
      } catch (IllegalStateException e) {
        return fail(spec, e.getMessage());
      } finally {
        ClusterLog.deleteTree(clientDir);
      }
    }
  }

  /** {@code backstop cluster snapshot}: the leader starts a snapshot on every member. */
  @Command(
      name = "snapshot",
      mixinStandardHelpOptions = true,
      description =
          "Asks the leader for a snapshot: every member writes the engine's canonical snapshot at"
              + " the same log position, and a restart replays only the log after it.")
  static final class Snapshot implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Where where = new Where();

    @Override
    public Integer call() {
      ClusterLayout layout;
      try {
        layout = where.layout();
      } catch (IllegalArgumentException e) {
        return fail(spec, e.getMessage());
      }
      for (int i = 0; i < layout.members(); i++) {
        NodeStatus s = NodeProcesses.status(layout, i);
        if (s != null && s.role().equals("leader")) {
          if (NodeProcesses.requestSnapshot(layout, i)) {
            spec.commandLine().getOut().printf("node %d (leader): snapshot requested%n", i);
            spec.commandLine().getOut().flush();
            return 0;
          }
          return fail(spec, "the leader (node " + i + ") refused: another action is under way");
        }
      }
      return fail(spec, "no node answers as the leader");
    }
  }
}
