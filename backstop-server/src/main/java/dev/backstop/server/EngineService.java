package dev.backstop.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.backstop.core.command.Command;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: one thread owns the {@link Engine} and the {@link Journal}. Requests reach it
 * as tasks on a bounded queue; it takes every task waiting (a batch), appends each command to the
 * journal and applies it, forces the journal once, and only then completes the requests and
 * publishes their events (group commit: no acknowledgement before its force). Queries run on the
 * same thread after the commands before them are forced, so they see acknowledged state only.
 *
 * <p>Every command that reached the engine is journaled, in arrival order, rejections included: a
 * rejection changes nothing but the order of arrival is the record, and replaying the journal gives
 * the same events, rejections included, and the same state hash. Lines that are not commands are
 * refused before they reach the queue and are not journaled.
 *
 * <p>If the journal cannot be written or forced, the service stops accepting commands for good
 * (fail-stop): what is on the device is no longer known, so nothing more is acknowledged.
 *
 * <p>With a {@link ReplicatedLog} in the journal's place ({@code backstop serve --cluster}) the
 * engine is a replica: the thread sends each request's commands to the log as one message and, once
 * the log has committed and applied it, applies what the log applied (its clock stamp, then the
 * commands), checks the events are the log's, and only then completes the request. A gap in the
 * log's command numbers (another client's commands, an answer lost in an election) is filled from
 * the log first; commands the log no longer holds, or a difference in the events, stop the service
 * the same way.
 */
public final class EngineService implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(EngineService.class);
  private static final int QUEUE = 4096;

  /** Why a request was not served: a code for the client, a message, an HTTP status. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    Refused(int status, String code, String message) {
      this(status, code, message, 0);
    }

    Refused(int status, String code, String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which a retry may succeed ({@code Retry-After}); 0 when not said. */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }

    /** The machine-readable code. */
    public String code() {
      return code;
    }
  }

  /**
   * The outcome of one request's commands.
   *
   * @param firstCommand the journal number of its first command
   * @param events its events as JSON lines, in order
   * @param caused the same events as the engine gave them, for filtering by audience
   * @param published the history rows and market data they add to the account streams
   */
  public record Outcome(
      long firstCommand,
      List<String> events,
      List<Event> caused,
      List<History.Published> published) {}

  /** A parsed command with the text to journal. */
  public record Line(String text, Command command) {}

  private sealed interface Task {}

  private record Submit(List<Line> lines, CompletableFuture<Outcome> done) implements Task {}

  private record Query<T>(Function<Engine, T> query, CompletableFuture<T> done) implements Task {
    void run(Engine engine) {
      try {
        done.complete(query.apply(engine));
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }
  }

  private record Stop() implements Task {}

  private final CommandReader reader = new CommandReader();
  private final EngineJson json = new EngineJson();
  private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUE);

  /** The journal, or null when a replicated log takes its place. */
  private final Journal journal;

  /** The replicated log, or null for the journal. */
  private final ReplicatedLog log;

  private final Snapshots snapshots;
  private final long snapshotEvery;
  private final EventFeed feed;
  private final AccountFeed accountFeed = new AccountFeed();
  private final History history;
  private final Metrics metrics;
  private final Thread thread;
  private final Engine engine;
  private final List<Submit> unforced = new ArrayList<>();
  private final List<Outcome> unforcedOutcomes = new ArrayList<>();
  private final long recoveredCommands;
  private final List<Submit> uncommitted = new ArrayList<>();
  private long commands;
  private long events;
  private long lastSnapshot;
  private long stateAt = -1;
  private EngineState state;
  private Map<String, List<EngineState.MarginAccount>> accountsByName;
  private volatile Throwable failure;
  private volatile boolean stopping;

  /**
   * Recovers the state of {@code dataDir} (newest snapshot, then the journal after it), journals
   * {@code genesis} if the journal is empty, and starts the engine thread.
   */
  public EngineService(Path dataDir, ServerConfig config, Metrics metrics) throws IOException {
    Files.createDirectories(dataDir);
    this.log = null;
    this.snapshots = new Snapshots(dataDir);
    this.snapshotEvery = config.snapshotEvery();
    this.metrics = metrics;
    Snapshots.Snapshot snapshot = snapshots.latest();
    long fromCommand = snapshot == null ? 0 : snapshot.commands();
    this.events = snapshot == null ? 0 : snapshot.events();
    this.engine = snapshot == null ? new Engine() : snapshot.engine();
    this.history = new History(config.history());
    if (snapshot != null && snapshot.history() != null) {
      history.read(new DataInputStream(new ByteArrayInputStream(snapshot.history())));
    }
    this.journal = Journal.open(dataDir.resolve("journal.bin"), fromCommand);
    if (journal.discardedBytes() > 0) {
      LOG.warn(
          "{}: cut off a torn last record of {} bytes (kept beside it as .torn-{})",
          journal.path(),
          journal.discardedBytes(),
          journal.forcedBytes());
    }
    if (journal.records() < fromCommand) {
      journal.close();
      throw new IOException(
          journal.path()
              + " holds "
              + journal.records()
              + " records but the newest snapshot was taken after "
              + fromCommand);
    }
    this.feed = new EventFeed(config.eventRing(), events + 1);
    long command = fromCommand;
    for (byte[] record : journal.recovered()) {
      command++;
      String text = new String(record, StandardCharsets.UTF_8);
      List<Event> caused = replay(text);
      long firstSeq = events + 1;
      List<String> lines = eventLines(command, caused);
      history.apply(command, caused, lines, firstSeq);
      lines.forEach(feed::publish);
    }
    this.recoveredCommands = command;
    this.commands = command;
    this.lastSnapshot = fromCommand;
    if (journal.records() == 0) {
      List<Line> lines = new ArrayList<>();
      for (String text : config.genesisLines()) {
        try {
          lines.add(new Line(text, reader.read(text)));
        } catch (BadCommandException e) {
          journal.close();
          throw new IOException(
              ServerConfig.FILE + ": genesis command " + text + ": " + e.describe());
        }
      }
      Outcome outcome = applyAll(lines);
      journal.force();
      publish(outcome);
    }
    this.thread = new Thread(this::loop, "backstop-engine");
    thread.start();
  }

  /**
   * Starts a replica of the engine behind {@code log}: its state now (the engine's snapshot and
   * counters), then the commands this service sends, each applied once the log committed it. Puts
   * {@code genesis} in the log if the log is empty. No journal and no snapshots of its own: the log
   * is the record, and a restart takes the log's state again. The history and the event stream
   * start at that state.
   */
  public EngineService(ReplicatedLog log, ServerConfig config, Metrics metrics) throws IOException {
    this.log = log;
    this.journal = null;
    this.snapshots = null;
    this.snapshotEvery = Long.MAX_VALUE;
    this.metrics = metrics;
    ReplicatedLog.State now = await(log.state(), "the replicated engine's state");
    this.engine = Engine.restore(now.snapshot());
    this.commands = now.commands();
    this.events = now.events();
    this.recoveredCommands = now.commands();
    this.history = new History(config.history());
    this.feed = new EventFeed(config.eventRing(), events + 1);
    if (commands == 0) {
      List<Line> lines = new ArrayList<>();
      for (String text : config.genesisLines()) {
        try {
          lines.add(new Line(text, reader.read(text)));
        } catch (BadCommandException e) {
          throw new IOException(
              ServerConfig.FILE + ": genesis command " + text + ": " + e.describe());
        }
      }
      String text = String.join("\n", lines.stream().map(Line::text).toList());
      publish(applyCommitted(lines, await(log.commit(text), "the genesis commands")));
    }
    this.thread = new Thread(this::loop, "backstop-engine");
    thread.start();
  }

  private static <T> T await(CompletableFuture<T> future, String what) throws IOException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IOException(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted", e);
    }
  }

  /** The events of one recovered command, as {@code backstop run} gives them for its line. */
  private List<Event> replay(String text) {
    try {
      return engine.apply(reader.read(text));
    } catch (BadCommandException e) {
      return List.of(
          new Event.Rejected(
              engine.nextSequence(), engine.time(), e.command(), e.code(), e.describe()));
    }
  }

  private List<String> eventLines(long command, List<Event> caused) {
    List<String> lines = new ArrayList<>(caused.size());
    try {
      for (Event event : caused) {
        lines.add(json.eventLine(++events, command, event));
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** Commands recovered from the data directory on start. */
  public long recoveredCommands() {
    return recoveredCommands;
  }

  /** The stream of events for WebSocket subscribers. */
  EventFeed feed() {
    return feed;
  }

  /** The per-account streams of history rows and market data. */
  AccountFeed accountFeed() {
    return accountFeed;
  }

  /** The history derived from the events (read on the engine thread, through {@link #query}). */
  History history() {
    return history;
  }

  /**
   * The engine's state, computed once per command applied (read on the engine thread, through
   * {@link #query}): {@link Engine#state()} costs a pass over every account, and many reads come
   * between two commands.
   */
  EngineState state() {
    refreshState();
    return state;
  }

  /** One account's margin accounts (cross, isolated, pool sides), from {@link #state()}. */
  List<EngineState.MarginAccount> marginAccounts(String account) {
    refreshState();
    return accountsByName.getOrDefault(account, List.of());
  }

  private void refreshState() {
    if (stateAt != commands || state == null) {
      state = engine.state();
      Map<String, List<EngineState.MarginAccount>> by = new HashMap<>();
      for (EngineState.MarginAccount a : state.accounts()) {
        by.computeIfAbsent(a.account(), k -> new ArrayList<>()).add(a);
      }
      accountsByName = by;
      stateAt = commands;
    }
  }

  /**
   * Queues commands; the future completes once they are journaled, forced and applied.
   *
   * @throws Refused if the service is stopping, failed or its queue is full
   */
  public CompletableFuture<Outcome> submit(List<Line> lines) {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    enqueue(new Submit(List.copyOf(lines), done));
    return done;
  }

  /** Runs {@code query} on the engine thread after every command queued before it is forced. */
  public <T> CompletableFuture<T> query(Function<Engine, T> query) {
    CompletableFuture<T> done = new CompletableFuture<>();
    enqueue(new Query<>(query, done));
    return done;
  }

  private void enqueue(Task task) {
    Throwable failed = failure;
    if (failed != null) {
      throw failedRefusal(failed);
    }
    if (stopping) {
      throw new Refused(503, "shutting-down", "the server is stopping");
    }
    if (!queue.offer(task)) {
      throw new Refused(503, "overloaded", "too many requests waiting; retry later");
    }
  }

  /** The failure that stopped the journal, or null. */
  public Throwable failure() {
    return failure;
  }

  private void loop() {
    List<Task> batch = new ArrayList<>();
    boolean running = true;
    while (running) {
      try {
        Task first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        for (Task task : batch) {
          switch (task) {
            case Submit s -> {
              if (log != null) {
                uncommitted.add(s);
              } else {
                unforced.add(s);
                unforcedOutcomes.add(applyAll(s.lines()));
              }
            }
            case Query<?> q -> {
              forcePending();
              commitPending();
              q.run(engine);
            }
            case Stop stop -> running = false;
          }
        }
        batch.clear();
        forcePending();
        commitPending();
      } catch (InterruptedException e) {
        running = false;
      } catch (IOException | RuntimeException e) {
        fail(e, batch);
        batch.clear();
      }
    }
    for (Task task : queue) {
      refuse(task, new Refused(503, "shutting-down", "the server is stopping"));
    }
  }

  private Outcome applyAll(List<Line> lines) {
    long first = commands + 1;
    List<String> served = new ArrayList<>();
    List<Event> all = new ArrayList<>();
    List<History.Published> published = new ArrayList<>();
    for (Line line : lines) {
      long command = journal.append(line.text().getBytes(StandardCharsets.UTF_8));
      commands = command;
      List<Event> caused = engine.apply(line.command());
      for (Event event : caused) {
        if (event instanceof Event.Rejected r) {
          metrics.rejected(r.code());
          if (r.code() == RejectionCode.INTERNAL && engine.lastInternalError() != null) {
            LOG.error(
                "command {}: internal error, rolled back", command, engine.lastInternalError());
          }
        }
      }
      long firstSeq = events + 1;
      List<String> eventLines = eventLines(command, caused);
      published.addAll(history.apply(command, caused, eventLines, firstSeq));
      served.addAll(eventLines);
      all.addAll(caused);
    }
    metrics.commands(lines.size());
    return new Outcome(first, served, all, published);
  }

  /**
   * Sends every request waiting to the replicated log, one message each, then, in order, applies to
   * the replica what the log applied for each (its clock stamp, then its commands) and completes
   * the request. A request whose outcome the log does not know fails with {@code outcome-unknown}.
   */
  private void commitPending() {
    if (uncommitted.isEmpty()) {
      return;
    }
    List<CompletableFuture<ReplicatedLog.Committed>> sent = new ArrayList<>();
    for (Submit s : uncommitted) {
      sent.add(log.commit(String.join("\n", s.lines().stream().map(Line::text).toList())));
    }
    for (int i = 0; i < uncommitted.size(); i++) {
      Submit s = uncommitted.get(i);
      ReplicatedLog.Committed committed;
      try {
        committed = sent.get(i).get();
      } catch (ExecutionException e) {
        s.done()
            .completeExceptionally(
                new Refused(
                    503,
                    "outcome-unknown",
                    "the replicated log did not confirm the commands; they may or may not be"
                        + " applied: "
                        + e.getCause().getMessage()));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.done().completeExceptionally(new Refused(503, "shutting-down", "the server is stopping"));
        continue;
      }
      Outcome outcome = applyCommitted(s.lines(), committed);
      publish(outcome);
      s.done().complete(outcome);
    }
    uncommitted.clear();
  }

  /**
   * Applies what the log committed for one message to the replica: first the commands before it
   * that the replica has not seen (a gap: another client's, or a message whose answer was lost when
   * the leader changed), asked of the log and published like any; then its clock stamp and its
   * commands, whose events must be the log's.
   *
   * @throws IllegalStateException if the log no longer holds the commands of a gap, or the events
   *     differ: the replica can no longer follow, and the service stops (a restart takes the log's
   *     state again)
   */
  private Outcome applyCommitted(List<Line> lines, ReplicatedLog.Committed committed) {
    // the outcome's events are the stamp's (if any), then the commands': all go to the streams
    long expected = commands + (committed.stamp() >= 0 ? 2 : 1);
    if (committed.firstCommand() > expected) {
      fillGap(committed.firstCommand() - expected);
      expected = commands + (committed.stamp() >= 0 ? 2 : 1);
    }
    if (committed.firstCommand() != expected) {
      throw new IllegalStateException(
          "the replicated log answered with command "
              + committed.firstCommand()
              + " where "
              + expected
              + " was next; restart the server to take the log's state");
    }
    List<String> served = new ArrayList<>();
    List<Event> all = new ArrayList<>();
    List<History.Published> published = new ArrayList<>();
    List<Line> applied = new ArrayList<>();
    if (committed.stamp() >= 0) {
      applied.add(
          new Line(
              "{\"type\":\"time\",\"time\":" + committed.stamp() + "}",
              new Command.AdvanceTime(committed.stamp())));
    }
    applied.addAll(lines);
    for (Line line : applied) {
      long command = ++commands;
      List<Event> caused = engine.apply(line.command());
      long firstSeq = events + 1;
      List<String> eventLines = eventLines(command, caused);
      published.addAll(history.apply(command, caused, eventLines, firstSeq));
      served.addAll(eventLines);
      all.addAll(caused);
    }
    if (!served.equals(committed.events())) {
      throw new IllegalStateException(
          "the replica's events differ from the replicated log's at commands "
              + (expected - (committed.stamp() >= 0 ? 1 : 0))
              + " to "
              + commands
              + "; the service stops");
    }
    metrics.commands(lines.size());
    return new Outcome(committed.firstCommand(), served, all, published);
  }

  /** Asks the log for the next {@code count} commands and applies them as recovery replays. */
  private void fillGap(long count) {
    long from = commands + 1;
    ReplicatedLog.Applied gap;
    try {
      gap = await(log.applied(from), "the commands from " + from);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    if (gap.first() != from || gap.lines().size() < count) {
      throw new IllegalStateException(
          "the replicated log applied commands "
              + from
              + " to "
              + (from + count - 1)
              + " that this server did not see, and no longer holds them; restart the server to"
              + " take the log's state");
    }
    LOG.info("commands {} to {} came from another client or lost answers", from, from + count - 1);
    List<History.Published> published = new ArrayList<>();
    List<String> served = new ArrayList<>();
    for (String text : gap.lines().subList(0, (int) count)) {
      long command = ++commands;
      List<Event> caused = replay(text);
      long firstSeq = events + 1;
      List<String> eventLines = eventLines(command, caused);
      published.addAll(history.apply(command, caused, eventLines, firstSeq));
      served.addAll(eventLines);
    }
    publish(new Outcome(from, served, List.of(), published));
  }

  private void publish(Outcome outcome) {
    outcome.events().forEach(feed::publish);
    accountFeed.publish(outcome.published());
  }

  private void forcePending() throws IOException {
    if (unforced.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    journal.force();
    metrics.forced(System.nanoTime() - start);
    for (int i = 0; i < unforced.size(); i++) {
      Outcome outcome = unforcedOutcomes.get(i);
      publish(outcome);
      unforced.get(i).done().complete(outcome);
    }
    unforced.clear();
    unforcedOutcomes.clear();
    if (commands - lastSnapshot >= snapshotEvery) {
      snapshot();
    }
  }

  private void snapshot() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      history.write(out);
    }
    snapshots.write(commands, events, engine.snapshot(), bytes.toByteArray());
    lastSnapshot = commands;
  }

  /** Why no more commands are accepted, for the client. */
  private Refused failedRefusal(Throwable failed) {
    if (log != null) {
      return new Refused(
          503,
          "replica-stopped",
          "the server stopped following the replicated log (commands sent may have been applied"
              + " there); restart it: "
              + failed.getMessage());
    }
    return new Refused(503, "journal-failed", "the journal could not be written: " + failed);
  }

  private void fail(Throwable e, List<Task> batch) {
    failure = e;
    LOG.error(
        log != null
            ? "the replica stopped following the replicated log; no more commands are accepted"
            : "journal failed; no more commands are accepted",
        e);
    Refused refused = failedRefusal(e);
    for (Submit s : unforced) {
      s.done().completeExceptionally(refused);
    }
    unforced.clear();
    for (Submit s : uncommitted) {
      s.done().completeExceptionally(refused);
    }
    uncommitted.clear();
    unforcedOutcomes.clear();
    for (Task task : batch) {
      refuse(task, refused);
    }
  }

  private static void refuse(Task task, Refused refused) {
    switch (task) {
      case Submit s -> s.done().completeExceptionally(refused);
      case Query<?> q -> q.done().completeExceptionally(refused);
      case Stop stop -> {}
    }
  }

  /** The journal, or null when a replicated log takes its place (read on the engine thread). */
  Journal journal() {
    return journal;
  }

  /** The replicated log, or null for the journal. */
  ReplicatedLog replicatedLog() {
    return log;
  }

  /** Commands applied so far, recovered ones included (read on the engine thread). */
  long commands() {
    return commands;
  }

  /** Events served so far, recovered ones included (read on the engine thread). */
  long events() {
    return events;
  }

  /**
   * Stops the engine thread after the tasks queued before this call and closes the journal (or the
   * replicated log's client). No closing snapshot: a stop and a crash recover the same way, from
   * the last periodic snapshot and the journal after it.
   */
  @Override
  public void close() throws IOException {
    stopping = true;
    try {
      queue.put(new Stop());
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (journal != null) {
        journal.close();
      }
      if (log != null) {
        log.close();
      }
    }
  }
}
