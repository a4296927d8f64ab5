package dev.backstop.cluster;

import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A client of a Backstop cluster: its own embedded media driver and an {@link AeronCluster}
 * session, owned by one thread that sends the requests queued by any thread and completes them as
 * the leader's replies come back. A reply comes only once the cluster has committed the message (a
 * majority of the members has it in its log) and the leader's service has applied it; so a
 * completed {@link #submit} is an acknowledged command, applied exactly once, whatever member fails
 * later.
 *
 * <p>When the leader is lost the session follows the new leader. A message in flight then may or
 * may not have been committed: its future fails after the request timeout with an {@link
 * OutcomeUnknown}, and the client does not send it again (a second copy could be applied twice). If
 * the session itself is lost the client opens a new one.
 */
public final class ClusterClient implements AutoCloseable {

  /**
   * The reply to one message of commands.
   *
   * @param firstCommand the number of its first command
   * @param commands how many commands it held
   * @param stamp the time of the clock stamp the cluster applied before them, or -1
   * @param events the events, as JSON lines
   */
  public record Applied(long firstCommand, int commands, long stamp, List<String> events) {}

  /** The engine's canonical snapshot and counters at one point of the log. */
  public record Sync(long commands, long events, byte[] snapshot) {}

  /**
   * Commands applied, as the leader still holds them.
   *
   * @param first the number of the first, or -1 when the leader no longer holds the one asked for
   * @param lines their text, the clock stamps included
   */
  public record Recent(long first, List<String> lines) {}

  /** The leader's status at the point of the log where the request was. */
  public record Status(long commands, long events, long engineTime, long stateHash) {}

  /** No reply within the timeout: the commands may or may not have been applied. */
  public static final class OutcomeUnknown extends TimeoutException {
    private static final long serialVersionUID = 1L;

    OutcomeUnknown(String message) {
      super(message);
    }
  }

  private record Request(int type, byte[] text, CompletableFuture<Object> done, long deadlineNs) {}

  /** The chunks of a reply's body received so far. */
  private static final class Chunks {
    private byte[] bytes;
    private int filled;
  }

  private final Map<Long, Chunks> chunks = new HashMap<>();

  private final ClusterLayout layout;
  private final long timeoutNs;
  private final MediaDriver driver;
  private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
  private final Map<Long, Request> pending = new HashMap<>();
  private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
  private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 200_000);
  private final Thread thread;
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private AeronCluster cluster;
  private long nextCorrelation = 1;
  private long keepAliveNs;
  private volatile boolean running = true;

  /**
   * Connects to the cluster (waiting up to {@code timeout} for a leader).
   *
   * @param dir a directory of the client's own for its media driver's files
   * @param timeout how long a request waits for its reply
   */
  public ClusterClient(ClusterLayout layout, Path dir, java.time.Duration timeout) {
    this.layout = layout;
    this.timeoutNs = timeout.toNanos();
    this.driver =
        MediaDriver.launchEmbedded(
            new MediaDriver.Context()
                .aeronDirectoryName(dir.toAbsolutePath().resolve("aeron").toString())
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
    this.thread = new Thread(this::run, "backstop-cluster-client");
    thread.setDaemon(true);
    thread.start();
    try {
      connected.get(timeoutNs + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "no cluster leader answered at " + layout.ingressEndpoints() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sends commands, JSON lines joined by {@code \n}, as one message: the cluster applies them in
   * order, one after the other, with nothing between them.
   */
  public CompletableFuture<Applied> submit(String lines) {
    return send(Protocol.COMMANDS, lines.getBytes(StandardCharsets.UTF_8))
        .thenApply(Applied.class::cast);
  }

  /** The state document ({@code EngineJson.state}), in the log's order. */
  public CompletableFuture<String> state() {
    return send(Protocol.STATE, new byte[0]).thenApply(String.class::cast);
  }

  /** The engine's snapshot and counters, in the log's order (a replica's starting point). */
  public CompletableFuture<Sync> sync() {
    return send(Protocol.SYNC, new byte[0]).thenApply(Sync.class::cast);
  }

  /** The commands applied from number {@code from} on (the clock stamps included). */
  public CompletableFuture<Recent> recent(long from) {
    byte[] number = new byte[8];
    new org.agrona.concurrent.UnsafeBuffer(number).putLong(0, from);
    return send(Protocol.LOG, number).thenApply(Recent.class::cast);
  }

  /** The leader's status, in the log's order with the commands sent before it. */
  public CompletableFuture<Status> status() {
    return send(Protocol.STATUS, new byte[0]).thenApply(Status.class::cast);
  }

  private CompletableFuture<Object> send(int type, byte[] text) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IllegalStateException("the client is closed"));
      return done;
    }
    queue.add(new Request(type, text, done, System.nanoTime() + timeoutNs));
    return done;
  }

  private void run() {
    try {
      while (running) {
        if (cluster == null || cluster.isClosed()) {
          failPending("the cluster session was lost");
          connect();
          if (cluster == null) {
            continue;
          }
        }
        int work = cluster.pollEgress();
        work += sendQueued();
        long now = System.nanoTime();
        if (now - keepAliveNs > TimeUnit.SECONDS.toNanos(1)) {
          cluster.sendKeepAlive();
          keepAliveNs = now;
          expire(now);
        }
        idle.idle(work);
      }
    } catch (RuntimeException e) {
      failPending("the client stopped: " + e);
      connected.completeExceptionally(e);
    } finally {
      CloseHelper.quietClose(cluster);
      failPending("the client is closed");
    }
  }

  private void connect() {
    try {
      cluster =
          AeronCluster.connect(
              new AeronCluster.Context()
                  .aeronDirectoryName(driver.aeronDirectoryName())
                  .egressListener(new Listener())
                  .egressChannel("aeron:udp?endpoint=" + layout.host() + ":0")
                  .ingressChannel("aeron:udp")
                  .ingressEndpoints(layout.ingressEndpoints())
                  .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
      connected.complete(null);
    } catch (RuntimeException e) {
      cluster = null;
      if (!running) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException interrupted) {
        running = false;
      }
    }
  }

  private int sendQueued() {
    int sent = 0;
    Request request;
    while ((request = queue.peek()) != null) {
      long id = nextCorrelation;
      int at = Protocol.putHeader(buffer, request.type(), id);
      buffer.putBytes(at, request.text());
      long result = cluster.offer(buffer, 0, at + request.text().length);
      if (result < 0) {
        if (result == Publication.MAX_POSITION_EXCEEDED || result == Publication.CLOSED) {
          queue.poll();
          request.done().completeExceptionally(new IllegalStateException("offer: " + result));
          continue;
        }
        // back pressure, or no leader for now: the message was not sent; try again later
        if (System.nanoTime() > request.deadlineNs()) {
          queue.poll();
          request.done().completeExceptionally(new OutcomeUnknown("not sent: no leader"));
        }
        return sent;
      }
      queue.poll();
      nextCorrelation++;
      pending.put(id, request);
      sent++;
    }
    return sent;
  }

  private void expire(long now) {
    Iterator<Map.Entry<Long, Request>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Request> e = it.next();
      Request r = e.getValue();
      if (now > r.deadlineNs()) {
        it.remove();
        chunks.remove(e.getKey());
        r.done()
            .completeExceptionally(
                new OutcomeUnknown(
                    "no reply within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNs)
                        + " ms: the commands may or may not have been applied"));
      }
    }
  }

  private void failPending(String why) {
    List<Request> lost = new ArrayList<>(pending.values());
    pending.clear();
    chunks.clear();
    for (Request r : lost) {
      r.done().completeExceptionally(new OutcomeUnknown(why + ": the outcome is unknown"));
    }
    if (!running) {
      Request r;
      while ((r = queue.poll()) != null) {
        r.done().completeExceptionally(new IllegalStateException(why));
      }
    }
  }

  private final class Listener implements EgressListener {
    @Override
    public void onMessage(
        long clusterSessionId,
        long timestamp,
        DirectBuffer message,
        int offset,
        int length,
        Header header) {
      if (length < Protocol.HEADER) {
        return;
      }
      long id = Protocol.correlationId(message, offset);
      int type = Protocol.type(message, offset);
      int at = offset + Protocol.HEADER;
      if (Protocol.fields(type) >= 0) {
        Request request = pending.get(id);
        if (request != null && chunk(id, request, message, offset, length)) {
          pending.remove(id);
        }
        return;
      }
      Request request = pending.remove(id);
      if (request == null) {
        return;
      }
      switch (type) {
        case Protocol.STATUS ->
            request
                .done()
                .complete(
                    new Status(
                        message.getLong(at),
                        message.getLong(at + 8),
                        message.getLong(at + 16),
                        message.getLong(at + 24)));
        default ->
            request
                .done()
                .completeExceptionally(
                    new IllegalStateException("a reply of unknown type " + type));
      }
    }
  }

  /**
   * Adds one chunk of a reply with a body ({@link Protocol#fields}); true when the body is whole
   * (or the chunks came out of order) and the request is completed.
   */
  private boolean chunk(long id, Request request, DirectBuffer message, int offset, int length) {
    int type = Protocol.type(message, offset);
    int fields = offset + Protocol.HEADER;
    int at = fields + Protocol.fields(type);
    int total = message.getInt(at);
    int from = message.getInt(at + 4);
    int size = length - (at - offset) - 8;
    Chunks c = chunks.computeIfAbsent(id, k -> new Chunks());
    if (c.bytes == null) {
      c.bytes = new byte[total];
    }
    if (total != c.bytes.length || from != c.filled || size < 0 || size > total - from) {
      chunks.remove(id);
      request
          .done()
          .completeExceptionally(new IllegalStateException("a reply's chunks out of order"));
      return true;
    }
    message.getBytes(at + 8, c.bytes, from, size);
    c.filled += size;
    if (c.filled < total) {
      return false;
    }
    chunks.remove(id);
    byte[] body = c.bytes;
    switch (type) {
      case Protocol.APPLIED -> {
        String text = new String(body, StandardCharsets.UTF_8);
        List<String> events = text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
        request
            .done()
            .complete(
                new Applied(
                    message.getLong(fields),
                    message.getInt(fields + 8),
                    message.getLong(fields + 12),
                    events));
      }
      case Protocol.STATE -> request.done().complete(new String(body, StandardCharsets.UTF_8));
      case Protocol.LOG -> {
        String text = new String(body, StandardCharsets.UTF_8);
        request
            .done()
            .complete(
                new Recent(
                    message.getLong(fields),
                    text.isEmpty() ? List.of() : List.of(text.split("\n", -1))));
      }
      default ->
          request
              .done()
              .complete(new Sync(message.getLong(fields), message.getLong(fields + 8), body));
    }
    return true;
  }

  /** Stops the client thread (pending requests fail), closes the session and the media driver. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CloseHelper.quietClose(driver);
  }
}
