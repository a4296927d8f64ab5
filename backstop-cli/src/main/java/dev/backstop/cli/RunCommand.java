package dev.backstop.cli;

import dev.backstop.core.engine.AdlRanking;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.engine.SnapshotException;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandLines;
import dev.backstop.json.EngineJson;
import dev.backstop.sim.io.AtomicFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstop run}: feeds a JSONL command file to one {@link Engine}, in order, and writes the
 * events and the final state as {@code docs/run.md} describes.
 *
 * <p>A line that is not a valid command, or that the engine refuses, becomes a {@code rejected}
 * event and changes nothing; the run goes on. With {@code --strict} the first such line stops the
 * run with an error naming it, and no output file is written.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    resourceBundle = HelpLists.BUNDLE,
    description = {
      "Runs engine commands from a JSONL file, one JSON object per line (types:"
          + " ${bundle:list.commandTypes}; amounts, sizes, prices and rates as decimal strings)."
          + " Writes every event and the final state as JSON and prints a one-line summary:"
          + " commands read, events, rejected, state hash.",
      "A market starts from a preset (${bundle:list.presets}) or the neutral defaults; fields"
          + " it gives override the preset's, and one the market's backstop does not take, or"
          + " needs and the preset cannot supply, is refused (docs/run.md).",
      "A line that is malformed or that the engine refuses becomes a 'rejected' event naming"
          + " the line and the reason, changes nothing, and the run continues (exit 0) unless"
          + " --strict is given."
    })
public final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--commands",
      required = true,
      paramLabel = "FILE.jsonl",
      description = "Command file: one JSON command per line; blank lines are skipped.")
  Path commands;

  @Option(
      names = "--events",
      paramLabel = "OUT.jsonl",
      description =
          "Writes every event, one JSON object per line: seq (1, 2, ...), eventSeq (the engine's"
              + " number, continued across --restore), type, time, the"
              + " command line that caused it, then the event's fields.")
  Path events;

  @Option(
      names = "--state",
      paramLabel = "OUT.json",
      description =
          "Writes the final state: accounts with collateral, equity, margins and positions;"
              + " insurance funds; fees collected; bad debt; totals; markets; state hash.")
  Path state;

  @Option(
      names = "--ranking",
      paramLabel = "OUT.json",
      description =
          "Writes, per market, where every open position stands in its backstop at the end:"
              + " rank, score, quantile band 0-4 (the five ADL lights), and the lots and profit it"
              + " would give up if the most endangered position of the other side were"
              + " deleveraged now.")
  Path ranking;

  @Option(
      names = "--restore",
      paramLabel = "SNAPSHOT",
      description =
          "Starts from an engine snapshot written by --snapshot instead of an empty engine; the"
              + " commands continue from it, with the event sequence where it stopped.")
  Path restore;

  @Option(
      names = "--snapshot",
      paramLabel = "OUT.snapshot",
      description =
          "Writes the engine's canonical snapshot at the end (binary; its SHA-256 gives the"
              + " state hash), for --restore.")
  Path snapshot;

  @Option(
      names = "--strict",
      description =
          "Stops at the first malformed or rejected command with a non-zero exit and an error"
              + " naming its line; writes no output file.")
  boolean strict;

  private final EngineJson json = new EngineJson();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      checkFiles();
      return run();
    } catch (IOException e) {
      err.println("backstop run: " + CliErrors.describe(e));
    } catch (SnapshotException e) {
      err.println("backstop run: --restore " + restore + ": cannot be restored: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      err.println("backstop run: " + e.getMessage());
    } catch (StrictStop e) {
      err.println("backstop run: " + commands + " line " + e.line + ": " + e.getMessage());
    }
    err.flush();
    return 1;
  }

  /** The files named by the options, before anything is read or written. */
  private void checkFiles() {
    CliInputs.readableFile("--commands", commands, "examples/quickstart.jsonl is an example");
    if (restore != null) {
      CliInputs.readableFile("--restore", restore, "--snapshot FILE writes one");
    }
    String[] names = {"--events", "--state", "--ranking", "--snapshot"};
    Path[] outputs = {events, state, ranking, snapshot};
    for (int i = 0; i < outputs.length; i++) {
      if (outputs[i] == null) {
        continue;
      }
      CliInputs.writableFile(names[i], outputs[i]);
      CliInputs.distinct(names[i], outputs[i], "--commands", commands);
      for (int j = i + 1; j < outputs.length; j++) {
        CliInputs.distinct(names[i], outputs[i], names[j], outputs[j]);
      }
    }
  }

  private int run() throws IOException, StrictStop {
    Engine engine = restore == null ? new Engine() : Engine.restore(Files.readAllBytes(restore));
    long lineNumber = 0;
    long commandsRead = 0;
    long seq = 0;
    long rejected = 0;
    // The file is read and parsed ahead on a thread of its own (ParsedCommands); the engine and the
    // event lines stay on this one, line by line in the file's order.
    try (ParsedCommands in = new ParsedCommands(new CommandLines(Files.newInputStream(commands)));
        Output eventsOut = Output.open("--events", events);
        Output stateOut = Output.open("--state", state);
        Output rankingOut = Output.open("--ranking", ranking);
        Output snapshotOut = Output.open("--snapshot", snapshot)) {
      for (ParsedCommands.Parsed line = in.next(); line != null; line = in.next()) {
        lineNumber = line.number();
        if (line.isBlank()) {
          continue;
        }
        commandsRead++;
        List<Event> caused;
        if (line.bad() == null) {
          caused = engine.apply(line.command());
        } else {
          BadCommandException e = line.bad();
          if (strict) {
            throw new StrictStop(lineNumber, e.describe());
          }
          caused =
              List.of(
                  new Event.Rejected(
                      engine.nextSequence(),
                      engine.time(),
                      e.command(),
                      e.code(),
                      "line " + lineNumber + ": " + e.describe()));
        }
        for (Event event : caused) {
          if (event instanceof Event.Rejected r) {
            if (r.code() == RejectionCode.INTERNAL && engine.lastInternalError() != null) {
              PrintWriter err = spec.commandLine().getErr();
              err.println("backstop run: line " + lineNumber + ": internal error, rolled back:");
              engine.lastInternalError().printStackTrace(err);
              err.flush();
            }
            if (strict) {
              throw new StrictStop(lineNumber, r.command() + " rejected: " + r.reason());
            }
            rejected++;
          }
          seq++;
          if (eventsOut != null) {
            eventsOut.writeEvent(json, seq, lineNumber, event);
          }
        }
      }
      if (stateOut != null) {
        stateOut.write(json.state(engine.state()) + "\n");
      }
      if (rankingOut != null) {
        List<AdlRanking> rankings = new ArrayList<>();
        for (EngineState.Market m : engine.state().markets()) {
          rankings.add(engine.adlRanking(m.market()));
        }
        rankingOut.write(json.rankings(rankings) + "\n");
      }
      if (snapshotOut != null) {
        snapshotOut.write(engine.snapshot());
      }
      // Every output is complete and on the device before any is moved into place, and if one
      // cannot be, those already moved are put back.
      List<Output> outputs = new ArrayList<>();
      for (Output o : new Output[] {eventsOut, stateOut, rankingOut, snapshotOut}) {
        if (o != null) {
          outputs.add(o);
        }
      }
      Output.commitAll(outputs);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%d commands read, %d events, %d rejected, state hash %s%n",
        commandsRead, seq, rejected, EngineJson.stateHash(engine.stateHash()));
    out.flush();
    return 0;
  }

  /**
   * One output file of the run, staged in its directory's staging area ({@link AtomicFile}); a
   * failure names the option and the path asked for, not the staged file.
   */
  private static final class Output implements Closeable {
    private final String option;
    private final Path path;
    private final AtomicFile file;

    private Output(String option, Path path, AtomicFile file) {
      this.option = option;
      this.path = path;
      this.file = file;
    }

    /** The staged file for {@code path}, or null when the option is not given. */
    static Output open(String option, Path path) throws IOException {
      if (path == null) {
        return null;
      }
      try {
        return new Output(option, path, AtomicFile.create(path));
      } catch (IOException e) {
        throw failed(option, path, e);
      }
    }

    void write(String text) throws IOException {
      try {
        file.writer().write(text);
      } catch (IOException e) {
        throw failed(option, path, e);
      }
    }

    /** Appends one event's JSON line ({@link EngineJson#appendEventLine}) and a newline. */
    void writeEvent(EngineJson json, long seq, long line, Event event) throws IOException {
      try {
        json.appendEventLine(file.writer(), seq, line, event);
        file.writer().write('\n');
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw e;
      } catch (IOException e) {
        throw failed(option, path, e);
      }
    }

    void write(byte[] bytes) throws IOException {
      try {
        file.write(bytes);
      } catch (IOException e) {
        throw failed(option, path, e);
      }
    }

    /** Moves every output into place, or none; a failure names the output that failed. */
    static void commitAll(List<Output> outputs) throws IOException {
      List<AtomicFile> files = new ArrayList<>();
      for (Output o : outputs) {
        files.add(o.file);
      }
      try {
        AtomicFile.commitAll(files);
      } catch (AtomicFile.CommitException e) {
        for (Output o : outputs) {
          if (o.file.target().equals(e.target())) {
            throw failed(o.option, o.path, (IOException) e.getCause());
          }
        }
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      file.close();
    }

    private static IOException failed(String option, Path path, IOException e) {
      String reason =
          e instanceof FileSystemException f
              ? (f.getReason() != null ? f.getReason() : describeKind(f))
              : (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return new IOException(option + " " + path + ": cannot be written: " + reason, e);
    }

    private static String describeKind(FileSystemException e) {
      return switch (e) {
        case NoSuchFileException missing -> "no such file or directory";
        case AccessDeniedException denied -> "permission denied";
        default -> e.getClass().getSimpleName();
      };
    }
  }

  /** The first bad or rejected line of a {@code --strict} run. */
  private static final class StrictStop extends Exception {
    private static final long serialVersionUID = 1L;

    final long line;

    StrictStop(long line, String reason) {
      super(reason, null, false, false);
      this.line = line;
    }
  }
}
