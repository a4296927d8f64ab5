package dev.backstop.cli;

import dev.backstop.core.command.Command;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandLines;
import dev.backstop.json.CommandReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The lines of a command file read and parsed on a thread of their own, ahead of the engine, and
 * handed over in their order: what {@code backstop run} would get from reading and parsing each
 * line itself, line for line, with the reading and the parsing (about a third of a line's cost) off
 * the engine's thread. Lines travel in batches of {@value #BATCH} through a queue of at most
 * {@value #BATCHES} batches, so the reader runs at most that far ahead and holds no more in memory.
 *
 * <p>A failure of the reader (the file cannot be read) is handed over where it happened, after
 * every line read before it, and thrown by {@link #next()} there: the run sees it at the same line
 * as if it had read the file itself. {@link #close()} stops the reader, wherever it is, and closes
 * the file.
 */
final class ParsedCommands implements Closeable {

  static final int BATCH = 256;
  static final int BATCHES = 64;

  /** One line: its number, and either its command, why it is not one, or neither (a blank line). */
  record Parsed(long number, Command command, BadCommandException bad) {
    boolean isBlank() {
      return command == null && bad == null;
    }
  }

  /** What the reader hands over: a batch of lines, then the end or the failure that stopped it. */
  private record Batch(Parsed[] lines, int count, Throwable failure, boolean end) {}

  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES);
  private final Thread reader;
  private volatile boolean stopped;
  private Batch current;
  private int next;

  /** Starts reading {@code lines}, which the reader's thread closes when it stops. */
  ParsedCommands(CommandLines lines) {
    reader = new Thread(() -> readAll(lines), "backstop-run-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The next line, or null after the last.
   *
   * @throws IOException if the file could not be read at this point
   */
  Parsed next() throws IOException {
    while (current == null || next == current.count()) {
      if (current != null && (current.end() || current.failure() != null)) {
        return finish(current);
      }
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the command file's next line", e);
      }
      next = 0;
    }
    return current.lines()[next++];
  }

  private static Parsed finish(Batch last) throws IOException {
    Throwable failure = last.failure();
    if (failure == null) {
      return null;
    }
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    throw new UncheckedIOException(new IOException(failure));
  }

  /** The reader's thread: every line read and parsed, in batches, then the end or the failure. */
  private void readAll(CommandLines lines) {
    CommandReader parser = new CommandReader();
    Parsed[] batch = new Parsed[BATCH];
    int count = 0;
    Throwable failure = null;
    try (lines) {
      for (CommandLines.Line line = lines.next(); line != null; line = lines.next()) {
        if (stopped) {
          return;
        }
        batch[count++] = parse(parser, line);
        if (count == BATCH) {
          if (!hand(new Batch(batch, count, null, false))) {
            return;
          }
          batch = new Parsed[BATCH];
          count = 0;
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    }
    hand(new Batch(batch, count, failure, failure == null));
  }

  private static Parsed parse(CommandReader parser, CommandLines.Line line) {
    if (line.isBlank()) {
      return new Parsed(line.number(), null, null);
    }
    try {
      return new Parsed(line.number(), parser.read(line.text()), null);
    } catch (BadCommandException e) {
      return new Parsed(line.number(), null, e);
    }
  }

  /** Puts a batch in the queue, waiting for room; false if the run stopped meanwhile. */
  private boolean hand(Batch batch) {
    try {
      queue.put(batch);
      return !stopped;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Stops the reader and waits for it to close the file. */
  @Override
  public void close() throws IOException {
    stopped = true;
    reader.interrupt();
    queue.clear();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while closing the command file", e);
    }
  }
}
