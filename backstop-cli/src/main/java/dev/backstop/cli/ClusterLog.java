package dev.backstop.cli;

import dev.backstop.cluster.ClusterClient;
import dev.backstop.cluster.ClusterLayout;
import dev.backstop.server.ReplicatedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The Backstop cluster as the server's replicated log ({@code backstop serve --cluster}): a {@link
 * ClusterClient} with its media driver in a temporary directory of its own, removed on close.
 */
final class ClusterLog implements ReplicatedLog {

  private final ClusterLayout layout;
  private final Path dir;
  private final ClusterClient client;

  ClusterLog(ClusterLayout layout, Duration timeout) throws IOException {
    this.layout = layout;
    this.dir = Files.createTempDirectory("backstop-serve-cluster");
    ClusterClient connected;
    try {
      connected = new ClusterClient(layout, dir, timeout);
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
    this.client = connected;
  }

  @Override
  public CompletableFuture<Committed> commit(String lines) {
    return client
        .submit(lines)
        .thenApply(a -> new Committed(a.firstCommand(), a.stamp(), a.events()));
  }

  @Override
  public CompletableFuture<State> state() {
    return client.sync().thenApply(s -> new State(s.commands(), s.events(), s.snapshot()));
  }

  @Override
  public CompletableFuture<Applied> applied(long from) {
    return client.recent(from).thenApply(r -> new Applied(r.first(), r.lines()));
  }

  @Override
  public String describe() {
    return "backstop cluster of " + layout.members() + " at " + layout.ingressEndpoints();
  }

  @Override
  public void close() throws IOException {
    client.close();
    deleteTree(dir);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
