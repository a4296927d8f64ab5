package dev.backstop.cli;

import dev.backstop.server.ApiKeys;
import dev.backstop.server.BackstopServer;
import dev.backstop.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backstop serve}: the engine as a service ({@code docs/api.md}), until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves one engine over HTTP and WebSocket (docs/api.md): commands are journaled and forced"
          + " to disk before they are answered; snapshots every N commands; a restart recovers"
          + " the same state hash.",
      "On first start the data directory gets backstop-server.json (host, port, snapshot"
          + " interval, request limit, the genesis markets), which later starts read. Stop with"
          + " Ctrl-C or SIGTERM."
    })
public final class ServeCommand implements Callable<Integer> {

  /** How long a command waits for the cluster's answer before it is {@code outcome-unknown}. */
  private static final java.time.Duration CLUSTER_TIMEOUT = java.time.Duration.ofSeconds(20);

  /** {@code HOST:PORT} as a cluster's layout. */
  static dev.backstop.cluster.ClusterLayout layout(String hostPort, int members) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "--cluster is HOST:PORT (node 0's base port), not '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--cluster is HOST:PORT (node 0's base port), not '" + hostPort + "'");
    }
    return new dev.backstop.cluster.ClusterLayout(hostPort.substring(0, colon), members, port);
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "backstop-data",
      description =
          "Data directory: configuration, journal, snapshots (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "HTTP port, overriding the configuration's (0 picks a free one).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on, overriding the configuration's (loopback by default; 0.0.0.0 in"
              + " a container).")
  String host;

  @Option(
      names = "--dev",
      description =
          "No API keys: every request acts as the operator (a loopback demo only; docs/api.md).")
  boolean devMode;

  @Option(
      names = "--snapshot-every",
      paramLabel = "N",
      description = "A snapshot after every N commands, overriding the configuration's.")
  Long snapshotEvery;

  @Option(
      names = "--cluster",
      paramLabel = "HOST:PORT",
      description =
          "Serves the engine of a Backstop cluster (docs/cluster.md) instead of a journal: HOST"
              + " and node 0's base port (backstop cluster --base-port). A command is answered"
              + " once the cluster committed it; the data directory keeps only the configuration"
              + " and the API keys.")
  String cluster;

  @Option(
      names = "--cluster-members",
      paramLabel = "N",
      defaultValue = "3",
      description = "Members of the --cluster (default: ${DEFAULT-VALUE}).")
  int clusterMembers;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    BackstopServer server;
    try {
      ServerConfig config = ServerConfig.load(data);
      if (port != null) {
        config = config.withPort(port);
      }
      if (snapshotEvery != null) {
        config = config.withSnapshotEvery(snapshotEvery);
      }
      if (host != null) {
        config = config.withHost(host);
      }
      if (devMode) {
        config = config.withDevMode();
      }
      server =
          cluster == null
              ? BackstopServer.start(data, config)
              : BackstopServer.start(
                  data, config, new ClusterLog(layout(cluster, clusterMembers), CLUSTER_TIMEOUT));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "backstop serve: http://%s:%d (data %s, %d commands %s%s)%n",
          config.host(),
          server.port(),
          data,
          server.recoveredCommands(),
          cluster == null ? "recovered" : "in the cluster at " + cluster,
          config.auth().dev() ? ", dev mode: no API keys" : "");
      if (server.initialOperatorKey() != null) {
        out.printf(
            "operator key (shown once, stored hashed in %s): %s%n",
            data.resolve(ApiKeys.FILE), server.initialOperatorKey());
      }
      out.flush();
    } catch (IOException | RuntimeException e) {
      err.println("backstop serve: " + e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (IOException e) {
                    System.err.println("backstop serve: stopping: " + e);
                  }
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
