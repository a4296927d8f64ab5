package dev.backstop.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded, open-loop load on a 3-node cluster of processes on loopback, with the same method and
 * mix as the single-node server's {@code LoadTest}: command {@code i} is due at {@code i / rate}
 * seconds whatever the answers' pace, one command per message, up to 512 in flight, and its latency
 * runs from its due time to the leader's answer, which comes once a majority has the command in its
 * log and the leader applied it. The mix: 70% trades between 1,000 funded accounts, 25% deposits,
 * 5% price ticks on one binance-preset market.
 *
 * <p>In the suite it runs 3 s at 300 commands/s and checks that every command was answered and
 * applied once. The figures of {@code docs/performance.md} come from {@code ./mvnw -B test -pl
 * backstop-cluster -am -Dtest=ClusterLoadTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbackstop.load.rate=1000 -Dbackstop.load.seconds=20}.
 */
class ClusterLoadTest {

  private static final int ACCOUNTS = 1000;
  private static final int IN_FLIGHT = 512;

  @TempDir Path dir;

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void committedCommandsAtAFixedRateAreAllAnsweredWithTheirLatencyMeasured() throws Exception {
    int rate = Integer.getInteger("backstop.load.rate", 300);
    int seconds = Integer.getInteger("backstop.load.seconds", 3);
    int total = rate * seconds;
    try (LocalCluster cluster = new LocalCluster(dir, 3, 10_000)) {
      cluster.startAll();
      cluster.awaitLeader(Duration.ofSeconds(30));
      try (ClusterClient client =
          new ClusterClient(cluster.layout, dir.resolve("client"), Duration.ofSeconds(60))) {
        StringBuilder setup = new StringBuilder();
        setup.append("{\"type\":\"market\",\"market\":\"BTC-PERP\",\"preset\":\"binance\"}\n");
        setup.append("{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\"100000\"}\n");
        for (int a = 0; a < ACCOUNTS; a++) {
          setup.append("{\"type\":\"deposit\",\"account\":\"t").append(a);
          setup.append("\",\"amount\":\"100000\"}\n");
        }
        client.submit(setup.toString()).get(30, TimeUnit.SECONDS);
        long before = client.status().get(30, TimeUnit.SECONDS).commands();

        String[] lines = mix(total, new SplittableRandom(42));
        long[] latency = new long[total];
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicLong applied = new AtomicLong();
        AtomicLong stamps = new AtomicLong();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          inFlight.acquire();
          int n = i;
          client
              .submit(lines[i])
              .whenComplete(
                  (reply, error) -> {
                    latency[n] = System.nanoTime() - due;
                    if (error != null) {
                      failed.incrementAndGet();
                    } else {
                      applied.addAndGet(reply.commands());
                      for (String event : reply.events()) {
                        if (event.contains("\"type\":\"clock-advanced\"")) {
                          stamps.incrementAndGet();
                        } else if (event.contains("\"type\":\"rejected\"")) {
                          rejected.incrementAndGet();
                        }
                      }
                    }
                    inFlight.release();
                    done.countDown();
                  });
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).as("every answer within 2 minutes").isTrue();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long after = client.status().get(30, TimeUnit.SECONDS).commands();

        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        // the last three quarters alone: the nodes' and the client's JIT warm up in the first
        long[] steady = Arrays.copyOfRange(latency, total / 4, total);
        Arrays.sort(steady);
        System.out.printf(
            Locale.ROOT,
            "cluster load: %d commands at %d/s offered, %.0f/s achieved over %.2f s; latency p50"
                + " %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; %d failed, %d rejected by"
                + " the engine, %d clock stamps; after the first quarter: p50 %.2f ms, p99 %.2f ms,"
                + " max %.2f ms%n",
            total,
            rate,
            (total - failed.get()) / elapsed,
            elapsed,
            percentile(sorted, 0.50),
            percentile(sorted, 0.99),
            percentile(sorted, 0.999),
            sorted[sorted.length - 1] / 1e6,
            failed.get(),
            rejected.get(),
            stamps.get(),
            percentile(steady, 0.50),
            percentile(steady, 0.99),
            steady[steady.length - 1] / 1e6);

        assertThat(failed.get()).as("commands without an answer").isZero();
        assertThat(applied.get()).as("client commands applied").isEqualTo(total);
        assertThat(after - before)
            .as("each applied once, with the clock's stamps")
            .isEqualTo(total + stamps.get());
        assertThat(cluster.awaitConverged(Duration.ofSeconds(60)))
            .extracting(NodeStatus::commands)
            .containsOnly(after);
      }
    }
  }

  /** The commands: trades between funded accounts, deposits and price ticks. */
  private static String[] mix(int total, SplittableRandom random) {
    String[] lines = new String[total];
    long mark = 100_000;
    for (int i = 0; i < total; i++) {
      int kind = random.nextInt(100);
      if (kind < 70) {
        int buyer = random.nextInt(ACCOUNTS);
        int seller = (buyer + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long price = mark - 5 + random.nextInt(11);
        lines[i] =
            String.format(
                Locale.ROOT,
                "{\"type\":\"trade\",\"market\":\"BTC-PERP\",\"buyer\":\"t%d\",\"seller\":\"t%d\","
                    + "\"size\":\"0.01\",\"price\":\"%d\",\"taker\":\"buyer\"}",
                buyer,
                seller,
                price);
      } else if (kind < 95) {
        lines[i] =
            String.format(
                Locale.ROOT,
                "{\"type\":\"deposit\",\"account\":\"t%d\",\"amount\":\"%d\"}",
                random.nextInt(ACCOUNTS),
                1 + random.nextInt(100));
      } else {
        mark += random.nextInt(201) - 100;
        lines[i] = "{\"type\":\"price\",\"market\":\"BTC-PERP\",\"mark\":\"" + mark + "\"}";
      }
    }
    return lines;
  }

  private static double percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
