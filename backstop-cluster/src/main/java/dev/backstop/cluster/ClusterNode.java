package dev.backstop.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backstop.json.EngineJson;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.MillisecondClusterClock;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NoOpLock;

/**
 * One member of a Backstop cluster, in one process: an Aeron media driver, archive and consensus
 * module ({@link ClusteredMediaDriver}), the {@link EngineClusteredService} in its container, and a
 * small HTTP status endpoint ({@code GET /status}: the node's {@link NodeStatus} as JSON; {@code
 * POST /snapshot}: asks the leader to take a snapshot on every member). Everything it keeps is
 * under its own directory: {@code aeron} (the media driver's files), {@code archive} (the recorded
 * log and snapshots) and {@code cluster} (the consensus module's and the service's mark files and
 * the recording log). Settings, ports and the JVM flags it needs are in {@code docs/cluster.md}.
 */
public final class ClusterNode implements AutoCloseable {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** How long a restarted node waits for the mark files of a killed one to go stale. */
  private static final long MARK_FILE_WAIT_MS = 30_000;

  /**
   * How to run a node.
   *
   * @param member this node's member id, 0 to {@code layout.members() - 1}
   * @param layout the cluster's hosts and ports
   * @param dir this node's own directory
   * @param heartbeatTimeoutMs how long followers wait for the leader's heartbeat before they elect
   *     a new one (Aeron's default is 10 s)
   */
  public record Options(int member, ClusterLayout layout, Path dir, long heartbeatTimeoutMs) {
    /** Checks the options. */
    public Options {
      layout.port(member, 0);
      if (heartbeatTimeoutMs < 100 || heartbeatTimeoutMs > 600_000) {
        throw new IllegalArgumentException(
            "the heartbeat timeout is 100 ms to 10 minutes, not " + heartbeatTimeoutMs + " ms");
      }
    }
  }

  private final EngineClusteredService service = new EngineClusteredService();
  private final ClusteredMediaDriver driver;
  private final ClusteredServiceContainer container;
  private final HttpServer http;

  private ClusterNode(Options options, ErrorHandler errors) throws IOException {
    Path dir = options.dir().toAbsolutePath();
    Files.createDirectories(dir);
    ClusterLayout layout = options.layout();
    int member = options.member();
    String host = layout.host();
    String aeronDir = dir.resolve("aeron").toString();
    MediaDriver.Context media =
        new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(errors);
    Archive.Context archive =
        new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(dir.resolve("archive").toFile())
            .archiveId(member)
            .controlChannel(layout.udp(layout.port(member, ClusterLayout.ARCHIVE)))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel(layout.udp(0))
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel(layout.udp(0)))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .errorHandler(errors);
    AeronArchive.Context archiveClient =
        new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(archive.localControlChannel())
            .controlResponseChannel(archive.localControlChannel())
            .aeronDirectoryName(aeronDir);
    ConsensusModule.Context consensus =
        new ConsensusModule.Context()
            .clusterMemberId(member)
            .clusterMembers(layout.clusterMembers())
            .clusterClock(new MillisecondClusterClock())
            .clusterDir(dir.resolve("cluster").toFile())
            .ingressChannel("aeron:udp")
            .replicationChannel(layout.udp(0))
            .archiveContext(archiveClient.clone())
            .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(options.heartbeatTimeoutMs()))
            .errorHandler(errors);
    ClusteredServiceContainer.Context serviceContext =
        new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(archiveClient.clone())
            .clusterDir(dir.resolve("cluster").toFile())
            .clusteredService(service)
            .errorHandler(errors);
    ClusteredMediaDriver launched = null;
    ClusteredServiceContainer started = null;
    try {
      launched = ClusteredMediaDriver.launch(media, archive, consensus);
      started = ClusteredServiceContainer.launch(serviceContext);
      this.http = HttpServer.create(new InetSocketAddress(host, layout.port(member, 0)), 16);
    } catch (RuntimeException | IOException e) {
      CloseHelper.quietCloseAll(started, launched);
      throw e;
    }
    this.driver = launched;
    this.container = started;
    http.createContext("/status", this::status);
    http.createContext("/snapshot", this::snapshot);
    http.start();
  }

  /**
   * Starts a node. A node restarted after a kill waits (up to 30 s) until the mark files its killed
   * process left stop looking alive.
   */
  public static ClusterNode launch(Options options, ErrorHandler errors) throws IOException {
    long deadline = System.currentTimeMillis() + MARK_FILE_WAIT_MS;
    while (true) {
      try {
        return new ClusterNode(options, errors);
      } catch (RuntimeException e) {
        if (!activeMarkFile(e) || System.currentTimeMillis() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static boolean activeMarkFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("active Mark file")) {
        return true;
      }
    }
    return false;
  }

  /** The node's status (see {@link EngineClusteredService#status()}). */
  public NodeStatus status() {
    return service.status();
  }

  /**
   * Asks this node's consensus module for a snapshot; only the leader's starts one, taken by every
   * member at the same log position.
   *
   * @return false if this node is not the leader or an action is already under way
   */
  public boolean requestSnapshot() {
    NodeStatus now = service.status();
    if (now == null || !now.role().equals("leader")) {
      return false;
    }
    return ClusterControl.ToggleState.SNAPSHOT.toggle(
        driver.consensusModule().context().controlToggleCounter());
  }

  private void status(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      respond(exchange, 405, error("method-not-allowed", "GET /status"));
      return;
    }
    NodeStatus s = service.status();
    if (s == null) {
      respond(exchange, 503, error("starting", "the node has not joined the cluster yet"));
      return;
    }
    respond(exchange, 200, json(s).toString());
  }

  /**
   * The JSON of a status, as {@code GET /status} answers and {@code backstop cluster check} reads.
   */
  public static ObjectNode json(NodeStatus s) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("member", s.member());
    node.put("role", s.role());
    node.put("commands", s.commands());
    node.put("events", s.events());
    node.put("engineTime", s.engineTime());
    node.put("stateHash", EngineJson.stateHash(s.stateHash()));
    node.put("snapshots", s.snapshots());
    node.put("restoredFrom", s.restoredFrom());
    return node;
  }

  private void snapshot(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      respond(exchange, 405, error("method-not-allowed", "POST /snapshot"));
      return;
    }
    if (requestSnapshot()) {
      respond(exchange, 202, "{\"snapshot\":\"requested\"}");
    } else {
      respond(
          exchange,
          409,
          error("not-leader", "only the leader, with no other action under way, takes snapshots"));
    }
  }

  private static String error(String code, String message) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("code", code);
    node.put("message", message);
    return node.toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops the status endpoint, the service and the consensus module, archive and driver. */
  @Override
  public void close() {
    http.stop(0);
    CloseHelper.closeAll(container, driver);
  }

  /**
   * Runs one node until SIGTERM or SIGINT: {@code --member N --members M --base-port P --dir DIR
   * [--host H] [--heartbeat-timeout-ms T]}; {@code backstop cluster node} takes the same options.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    Options options = parse(args);
    ClusterNode node;
    try {
      node =
          launch(
              options,
              e -> {
                System.err.println("backstop-cluster node " + options.member() + ":");
                e.printStackTrace(System.err);
              });
    } catch (IOException | RuntimeException | Error e) {
      // threads a half-started driver left would keep the process alive: exit
      System.err.println("backstop-cluster node " + options.member() + " did not start:");
      e.printStackTrace(System.err);
      System.exit(1);
      return;
    }
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("node " + options.member() + " stopping");
                  node.close();
                  closed.countDown();
                },
                "backstop-cluster-stop"));
    System.out.println(
        "node "
            + options.member()
            + " of "
            + options.layout().members()
            + " started; status on http://"
            + options.layout().statusEndpoint(options.member())
            + "/status");
    closed.await();
  }

  static Options parse(String[] args) {
    Integer member = null;
    int members = 3;
    Integer basePort = null;
    Path dir = null;
    String host = "127.0.0.1";
    long heartbeat = 10_000;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--member" -> member = Integer.parseInt(value);
        case "--members" -> members = Integer.parseInt(value);
        case "--base-port" -> basePort = Integer.parseInt(value);
        case "--dir" -> dir = Path.of(value);
        case "--host" -> host = value;
        case "--heartbeat-timeout-ms" -> heartbeat = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (member == null || basePort == null || dir == null) {
      throw new IllegalArgumentException("--member, --base-port and --dir are required");
    }
    return new Options(member, new ClusterLayout(host, members, basePort), dir, heartbeat);
  }
}
