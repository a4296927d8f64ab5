package dev.backstop.bench;

import dev.backstop.core.engine.Engine;
import dev.backstop.core.event.Event;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What {@code backstop run} does per line, without the file: parse a JSON command line ({@link
 * CommandReader}), apply it, and write each event it caused as a JSON line ({@link
 * EngineJson#appendEventLine}); the mix of {@link MixBench} (trades, deposits, quiet ticks among
 * 1,000 traders beside {@code n} accounts) as lines. The baseline reads the same lines, character
 * by character: the least a reader of the file does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RunBench {
  @Param({"10000"})
  public int n;

  private static final int CYCLE = 1 << 16;

  Engine engine;
  private final CommandReader reader = new CommandReader();
  private final EngineJson json = new EngineJson();
  String[] lines;
  private int next;
  private long written;

  /** Where the lines go, as into the events file's buffered writer. */
  private final StringBuilder sink = new StringBuilder(4096);

  /** Builds the engine with the traders funded and the cycle of lines. */
  @Setup
  public void setup() {
    engine = Fixtures.engine(n, false, 0);
    Fixtures.fundTraders(engine);
    lines = new String[CYCLE];
    Fixtures.MixStep[] steps = Fixtures.mix(CYCLE);
    for (int k = 0; k < CYCLE; k++) {
      Fixtures.MixStep step = steps[k];
      lines[k] =
          switch (step.kind()) {
            case 't' ->
                "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"t"
                    + step.buyer()
                    + "\",\"seller\":\"t"
                    + step.seller()
                    + "\",\"size\":\"0.01\",\"price\":\"100000\",\"taker\":\"buyer\"}";
            case 'd' ->
                "{\"type\":\"deposit\",\"account\":\"t" + step.buyer() + "\",\"amount\":\"1\"}";
            default ->
                "{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\""
                    + (step.high() ? "100050" : "100000")
                    + "\"}";
          };
    }
  }

  /** One line: parsed, applied, its events written. */
  @Benchmark
  public long measured() throws BadCommandException, IOException {
    String line = lines[next];
    next = (next + 1) & (CYCLE - 1);
    List<Event> events = engine.apply(reader.read(line));
    for (Event e : events) {
      if (e instanceof Event.Rejected r) {
        throw new IllegalStateException(line + " rejected: " + r.reason());
      }
      sink.setLength(0);
      json.appendEventLine(sink, ++written, next, e);
      sink.append('\n');
      written += sink.length();
    }
    return written;
  }

  /** One line read, character by character. */
  @Benchmark
  public long baseline() {
    String line = lines[next];
    next = (next + 1) & (CYCLE - 1);
    long h = 0;
    for (int i = 0; i < line.length(); i++) {
      h = 31 * h + line.charAt(i);
    }
    return h;
  }
}
