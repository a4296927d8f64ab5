package dev.backstop.server;

import java.io.Closeable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated log in place of the journal ({@code backstop serve --cluster}): the engine behind
 * the service is a replicated one, and the server holds a replica of it, fed by the answers to its
 * own commands. A command is acknowledged once the log has committed it; the server then applies
 * exactly what the log applied (the clock stamp included) to its replica and checks that it got the
 * same events.
 */
public interface ReplicatedLog extends Closeable {

  /**
   * What the log applied for one message.
   *
   * @param firstCommand the number of the message's first command
   * @param stamp the time of the clock stamp applied just before it (a {@code time} command of the
   *     log's own, numbered {@code firstCommand - 1}), or -1
   * @param events the events, as JSON lines, numbered as the replica numbers them
   */
  record Committed(long firstCommand, long stamp, List<String> events) {}

  /** The replicated engine's snapshot and counters at one point of the log. */
  record State(long commands, long events, byte[] snapshot) {}

  /**
   * Commands the log applied, as it still holds them.
   *
   * @param first the number of the first, or -1 when the log no longer holds the one asked for
   * @param lines their text, the clock stamps included
   */
  record Applied(long first, List<String> lines) {}

  /**
   * Sends the commands of one request as one message; completes once the log committed and applied
   * them, or exceptionally when the outcome is unknown.
   */
  CompletableFuture<Committed> commit(String lines);

  /** The replicated engine's state now, in the log's order. */
  CompletableFuture<State> state();

  /**
   * The commands the log applied from number {@code from} on: how the replica fills a gap (another
   * client's commands, or a message whose answer was lost when the leader changed).
   */
  CompletableFuture<Applied> applied(long from);

  /** What the log is, for the health endpoint: its members' addresses. */
  String describe();
}
