package dev.backstop.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.backstop.core.command.Command;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.event.Event;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The replicated engine: the one {@link ClusteredService} of a Backstop cluster, the only door into
 * its {@link Engine}. Aeron Cluster delivers the same log, in the same order, to the service on
 * every node; each applies it to its own engine and so holds the same state, checked by the state
 * hash ({@link NodeStatus}).
 *
 * <p><b>Time.</b> The engine has no clock of its own: its time moves only by commands. The service
 * stamps the log's time into it: before the commands of a message whose cluster timestamp (the
 * leader's clock as written in the log, milliseconds, the same on every node and in every replay)
 * is later than the engine's time, it applies {@code {"type":"time","time":TIMESTAMP}} as a command
 * of its own. A {@code time} command sent by a client may move the clock further; one earlier than
 * the engine's clock is rejected ({@code stale-time}) as everywhere else. So the engine's time is
 * the cluster's, and never the wall clock of the node that applies it.
 *
 * <p><b>Numbering.</b> Commands are numbered from 1 in the order applied, the clock stamps
 * included, and events from 1 in the order served, as {@code backstop run} numbers the lines of a
 * file and its events: the commands of the log, stamps included, given to {@code backstop run} in
 * that order give the same events and the same state hash.
 *
 * <p><b>Snapshots.</b> {@link #onTakeSnapshot} writes the engine's canonical snapshot ({@link
 * Engine#snapshot()}) behind a small header (a format name, the commands applied, the events
 * served, the snapshot's length), in chunks; {@link #onStart} reads it back with {@link
 * Engine#restore}, which accepts only a canonical snapshot. A node that starts from a snapshot and
 * replays the log after it holds the same state as one that applied the whole log.
 */
public final class EngineClusteredService implements ClusteredService {

  static final byte[] SNAPSHOT_MAGIC =
      "backstop-cluster-snapshot-1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int RECENT = 100_000;
  private static final long STATUS_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(20);

  private final CommandReader reader = new CommandReader();
  private final EngineJson json = new EngineJson();
  private final ExpandableArrayBuffer reply = new ExpandableArrayBuffer(4096);
  private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[Protocol.CHUNK]);
  private Cluster cluster;
  private IdleStrategy idle;
  private Engine engine = new Engine();
  private long commands;
  private long events;
  private long snapshots;
  private long restoredFrom = -1;

  /**
   * The text of the last {@link #RECENT} commands applied, the stamps included, the first numbered
   * {@link #recentFirst}: what a replica outside the cluster asks for when it missed some ({@link
   * Protocol#LOG}). Not part of the state: a node started from a snapshot holds only what it
   * applied since, and the state hash ignores it.
   */
  private final ArrayDeque<String> recent = new ArrayDeque<>();

  private long recentFirst = 1;
  private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
  private volatile NodeStatus status;
  private boolean statusStale = true;
  private long statusNs;

  @Override
  public void onStart(Cluster cluster, Image snapshotImage) {
    this.cluster = cluster;
    this.idle = cluster.idleStrategy();
    if (snapshotImage != null) {
      load(snapshotImage);
    }
    publishStatus();
  }

  /** The log's timestamps are the engine's time: they must be milliseconds, as the engine's are. */
  @Override
  public void onNewLeadershipTermEvent(
      long leadershipTermId,
      long logPosition,
      long timestamp,
      long termBaseLogPosition,
      int leaderMemberId,
      int logSessionId,
      TimeUnit timeUnit,
      int appVersion) {
    if (timeUnit != TimeUnit.MILLISECONDS) {
      throw new IllegalStateException(
          "the cluster's clock is in " + timeUnit + "; the engine's time is milliseconds");
    }
  }

  @Override
  public void onSessionOpen(ClientSession session, long timestamp) {}

  @Override
  public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {}

  @Override
  public void onSessionMessage(
      ClientSession session,
      long timestamp,
      DirectBuffer buffer,
      int offset,
      int length,
      Header header) {
    if (length < Protocol.HEADER) {
      return;
    }
    long correlationId = Protocol.correlationId(buffer, offset);
    switch (Protocol.type(buffer, offset)) {
      case Protocol.COMMANDS -> {
        String text = Protocol.text(buffer, offset, length, Protocol.HEADER);
        applied(session, correlationId, timestamp, text);
      }
      case Protocol.STATUS -> {
        int at = Protocol.putHeader(reply, Protocol.STATUS, correlationId);
        reply.putLong(at, commands);
        reply.putLong(at + 8, events);
        reply.putLong(at + 16, engine.time());
        reply.putLong(at + 24, engine.stateHash());
        send(session, Protocol.STATUS_LENGTH);
      }
      case Protocol.STATE -> {
        String document;
        try {
          document = json.state(engine.state());
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(e);
        }
        Protocol.putHeader(reply, Protocol.STATE, correlationId);
        sendBody(session, Protocol.STATE, document.getBytes(StandardCharsets.UTF_8));
      }
      case Protocol.SYNC -> sync(session, correlationId);
      case Protocol.LOG -> {
        long from = length >= Protocol.HEADER + 8 ? buffer.getLong(offset + Protocol.HEADER) : -1;
        recent(session, correlationId, from);
      }
      default -> {
        // a message of another type changes nothing and is not answered
      }
    }
  }

  /** Applies one message's commands, after the clock stamp, and answers with their events. */
  private void applied(ClientSession session, long correlationId, long timestamp, String text) {
    StringBuilder out = new StringBuilder();
    long stamp = -1;
    if (timestamp > engine.time()) {
      stamp = timestamp;
      remember("{\"type\":\"time\",\"time\":" + timestamp + "}");
      apply(new Command.AdvanceTime(timestamp), out);
    }
    long first = commands + 1;
    List<String> lines = lines(text);
    for (String line : lines) {
      remember(line);
      Command command;
      try {
        command = reader.read(line);
      } catch (BadCommandException e) {
        commands++;
        statusStale = true;
        line(
            out,
            new Event.Rejected(
                engine.nextSequence(), engine.time(), e.command(), e.code(), e.describe()));
        continue;
      }
      apply(command, out);
    }
    int at = Protocol.putHeader(reply, Protocol.APPLIED, correlationId);
    reply.putLong(at, first);
    reply.putInt(at + 8, lines.size());
    reply.putLong(at + 12, stamp);
    sendBody(session, Protocol.APPLIED, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Keeps the text of the command about to be applied in {@link #recent}. */
  private void remember(String text) {
    recent.addLast(text);
    if (recent.size() > RECENT) {
      recent.pollFirst();
      recentFirst++;
    }
  }

  /**
   * The commands applied from {@code from} on, if this node still holds them all (number {@code
   * from}, or -1 and no text when it does not).
   */
  private void recent(ClientSession session, long correlationId, long from) {
    int at = Protocol.putHeader(reply, Protocol.LOG, correlationId);
    if (from < recentFirst || from > commands + 1) {
      reply.putLong(at, -1);
      sendBody(session, Protocol.LOG, new byte[0]);
      return;
    }
    StringBuilder out = new StringBuilder();
    int skip = (int) (from - recentFirst);
    int i = 0;
    for (String text : recent) {
      if (i++ >= skip) {
        out.append(out.isEmpty() ? "" : "\n").append(text);
      }
    }
    reply.putLong(at, from);
    sendBody(session, Protocol.LOG, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The engine's snapshot and counters, to one session. */
  private void sync(ClientSession session, long correlationId) {
    int at = Protocol.putHeader(reply, Protocol.SYNC, correlationId);
    reply.putLong(at, commands);
    reply.putLong(at + 8, events);
    sendBody(session, Protocol.SYNC, engine.snapshot());
  }

  /**
   * Sends {@code body} after the header and fixed fields already in {@link #reply}, in chunks of
   * {@link Protocol#CHUNK} bytes (one message for an empty body).
   */
  private void sendBody(ClientSession session, int type, byte[] body) {
    int at = Protocol.HEADER + Protocol.fields(type);
    int from = 0;
    do {
      int length = Math.min(Protocol.CHUNK, body.length - from);
      reply.putInt(at, body.length);
      reply.putInt(at + 4, from);
      reply.putBytes(at + 8, body, from, length);
      send(session, at + 8 + length);
      from += length;
    } while (from < body.length);
  }

  private void apply(Command command, StringBuilder out) {
    commands++;
    statusStale = true;
    for (Event event : engine.apply(command)) {
      line(out, event);
    }
  }

  private void line(StringBuilder out, Event event) {
    try {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(json.eventLine(++events, commands, event));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Offers the reply to its session (a no-op on a follower: only the leader answers), waiting out
   * back pressure; a session that is gone gets nothing, and the state does not depend on it.
   */
  private void send(ClientSession session, int length) {
    idle.reset();
    while (true) {
      long result = session.offer(reply, 0, length);
      if (result > 0
          || result == Publication.NOT_CONNECTED
          || result == Publication.CLOSED
          || result == Publication.MAX_POSITION_EXCEEDED) {
        return;
      }
      idle.idle();
    }
  }

  @Override
  public void onTimerEvent(long correlationId, long timestamp) {}

  @Override
  public void onTakeSnapshot(ExclusivePublication snapshotPublication) {
    byte[] state = engine.snapshot();
    ByteBuffer head = ByteBuffer.allocate(SNAPSHOT_MAGIC.length + 20);
    head.put(SNAPSHOT_MAGIC).putLong(commands).putLong(events).putInt(state.length);
    offer(snapshotPublication, head.array(), 0, head.capacity());
    for (int from = 0; from < state.length; from += Protocol.CHUNK) {
      offer(snapshotPublication, state, from, Math.min(Protocol.CHUNK, state.length - from));
    }
    snapshots++;
    statusStale = true;
  }

  private void offer(ExclusivePublication publication, byte[] bytes, int from, int length) {
    chunk.putBytes(0, bytes, from, length);
    idle.reset();
    while (true) {
      long result = publication.offer(chunk, 0, length);
      if (result > 0) {
        return;
      }
      if (result == Publication.CLOSED
          || result == Publication.NOT_CONNECTED
          || result == Publication.MAX_POSITION_EXCEEDED) {
        throw new IllegalStateException("the snapshot publication refused a chunk: " + result);
      }
      idle.idle();
    }
  }

  /** Reads a snapshot written by {@link #onTakeSnapshot}: the header, then its chunks. */
  private void load(Image image) {
    SnapshotLoader loader = new SnapshotLoader();
    FragmentAssembler assembler = new FragmentAssembler(loader);
    idle.reset();
    while (!loader.done()) {
      if (image.isEndOfStream() || image.isClosed()) {
        throw new IllegalStateException("the snapshot ended before the engine's state was whole");
      }
      idle.idle(image.poll(assembler, 16));
    }
    this.engine = Engine.restore(loader.state);
    this.commands = loader.commands;
    this.events = loader.events;
    this.restoredFrom = loader.commands;
    this.recentFirst = loader.commands + 1;
  }

  private static final class SnapshotLoader implements io.aeron.logbuffer.FragmentHandler {
    private long commands;
    private long events;
    private byte[] state;
    private int filled = -1;

    @Override
    public void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
      if (filled < 0) {
        byte[] magic = new byte[SNAPSHOT_MAGIC.length];
        if (length != SNAPSHOT_MAGIC.length + 20) {
          throw new IllegalStateException("not a Backstop cluster snapshot");
        }
        buffer.getBytes(offset, magic);
        if (!java.util.Arrays.equals(magic, SNAPSHOT_MAGIC)) {
          throw new IllegalStateException("not a Backstop cluster snapshot");
        }
        ByteBuffer head = ByteBuffer.allocate(20);
        buffer.getBytes(offset + magic.length, head, 20);
        head.flip();
        commands = head.getLong();
        events = head.getLong();
        int size = head.getInt();
        if (commands < 0 || events < 0 || size <= 0) {
          throw new IllegalStateException("a snapshot header of " + commands + " commands");
        }
        state = new byte[size];
        filled = 0;
        return;
      }
      if (length > state.length - filled) {
        throw new IllegalStateException("the snapshot holds more bytes than its header says");
      }
      buffer.getBytes(offset, state, filled, length);
      filled += length;
    }

    boolean done() {
      return state != null && filled == state.length;
    }
  }

  @Override
  public void onRoleChange(Cluster.Role newRole) {
    role = newRole;
    statusStale = true;
  }

  @Override
  public void onTerminate(Cluster cluster) {}

  /**
   * Refreshes {@link #status()} on the service's thread when it changed (a command, a snapshot, a
   * role), at most every 20 ms.
   */
  @Override
  public int doBackgroundWork(long nowNs) {
    if (cluster == null || !statusStale) {
      return 0;
    }
    if (nowNs - statusNs < STATUS_EVERY_NS) {
      return 0;
    }
    statusNs = nowNs;
    publishStatus();
    return 1;
  }

  private void publishStatus() {
    status =
        new NodeStatus(
            cluster.memberId(),
            roleName(),
            commands,
            events,
            engine.time(),
            engine.stateHash(),
            snapshots,
            restoredFrom);
    statusStale = false;
  }

  private String roleName() {
    return role.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The node's latest status, safe to read from any thread; refreshed within 20 ms of a change
   * while the node runs.
   */
  public NodeStatus status() {
    return status;
  }

  /** The commands of one message: its lines that are not blank. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
