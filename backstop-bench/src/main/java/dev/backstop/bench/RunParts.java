package dev.backstop.bench;

import dev.backstop.core.command.Command;
import dev.backstop.core.event.Event;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RunBench}'s line split into its three parts, each timed by thread CPU time over the whole
 * cycle of lines: parsing the lines ({@link CommandReader}), applying the parsed commands, and
 * writing the events they caused ({@link EngineJson#appendEventLine}), each per line. The issue's
 * target is that writing the events costs less than the engine; JMH's {@code RunBench} gives the
 * three together. The reading baseline is {@code RunBench.baseline}. Usage: {@code java -cp
 * backstop-bench/target/benchmarks.jar dev.backstop.bench.RunParts 10000 8}.
 */
public final class RunParts {

  private RunParts() {}

  /**
   * Prints each part's CPU time per line for each round.
   *
   * @param args {@code n} (accounts beside the traders), rounds (the first two are warm-up)
   * @throws BadCommandException if a line of the cycle does not read
   * @throws IOException if an event line cannot be written
   */
  public static void main(String[] args) throws BadCommandException, IOException {
    int n = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    RunBench bench = new RunBench();
    bench.n = n;
    bench.setup();
    String[] lines = bench.lines;
    CommandReader reader = new CommandReader();
    EngineJson json = new EngineJson();
    Command[] commands = new Command[lines.length];
    for (int i = 0; i < lines.length; i++) {
      commands[i] = reader.read(lines[i]);
    }
    List<Event> events = new ArrayList<>();
    for (Command c : commands) {
      events.addAll(bench.engine.apply(c));
    }
    StringBuilder sink = new StringBuilder(4096);
    long check = 0;
    System.out.printf(
        "%d lines, %.2f events a line; CPU time per line:%n",
        lines.length, events.size() / (double) lines.length);
    for (int round = 0; round < rounds; round++) {
      long start = threads.getCurrentThreadCpuTime();
      for (String line : lines) {
        check += reader.read(line).hashCode();
      }
      long parsed = threads.getCurrentThreadCpuTime();
      for (Command c : commands) {
        for (Event e : bench.engine.apply(c)) {
          if (e instanceof Event.Rejected r) {
            throw new IllegalStateException(c + " rejected: " + r.reason());
          }
          check++;
        }
      }
      long applied = threads.getCurrentThreadCpuTime();
      long seq = 0;
      for (Event e : events) {
        sink.setLength(0);
        json.appendEventLine(sink, ++seq, seq, e);
        check += sink.length();
      }
      long written = threads.getCurrentThreadCpuTime();
      double perLine = 1000.0 * lines.length;
      System.out.printf(
          "%s parse %.3f us, engine %.3f us, write %.3f us (write / engine %.2f)%n",
          round < 2 ? "warm-up" : "round  ",
          (parsed - start) / perLine,
          (applied - parsed) / perLine,
          (written - applied) / perLine,
          (written - applied) / (double) (applied - parsed));
    }
    System.out.println("(checksum " + (check & 0xFF) + ")");
  }
}
