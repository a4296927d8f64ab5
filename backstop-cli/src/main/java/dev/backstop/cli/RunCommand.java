package dev.backstop.cli;

import dev.backstop.core.engine.AdlRanking;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.engine.SnapshotException;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandLines;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import dev.backstop.sim.io.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

  private final CommandReader reader = new CommandReader();
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
    try (CommandLines in = new CommandLines(Files.newInputStream(commands));
        AtomicFile eventsOut = events == null ? null : AtomicFile.create(events);
        AtomicFile stateOut = state == null ? null : AtomicFile.create(state);
        AtomicFile rankingOut = ranking == null ? null : AtomicFile.create(ranking)) {
      for (CommandLines.Line line = in.next(); line != null; line = in.next()) {
        lineNumber = line.number();
        if (line.isBlank()) {
          continue;
        }
        commandsRead++;
        List<Event> caused;
        try {
          caused = engine.apply(reader.read(line.text()));
        } catch (BadCommandException e) {
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
            eventsOut.writer().write(json.eventLine(seq, lineNumber, event));
            eventsOut.writer().write('\n');
          }
        }
      }
      if (stateOut != null) {
        stateOut.writer().write(json.state(engine.state()));
        stateOut.writer().write('\n');
      }
      if (rankingOut != null) {
        List<AdlRanking> rankings = new ArrayList<>();
        for (EngineState.Market m : engine.state().markets()) {
          rankings.add(engine.adlRanking(m.market()));
        }
        rankingOut.writer().write(json.rankings(rankings));
        rankingOut.writer().write('\n');
        rankingOut.commit();
      }
      if (eventsOut != null) {
        eventsOut.commit();
      }
      if (stateOut != null) {
        stateOut.commit();
      }
    }
    if (snapshot != null) {
      try (AtomicFile snapshotOut = AtomicFile.create(snapshot)) {
        snapshotOut.write(engine.snapshot());
        snapshotOut.commit();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%d commands read, %d events, %d rejected, state hash %s%n",
        commandsRead, seq, rejected, EngineJson.stateHash(engine.stateHash()));
    out.flush();
    return 0;
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
