package dev.backstop.server;

import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.event.WireName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's Prometheus metrics ({@code GET /metrics}): commands applied, rejections by code,
 * requests refused by the rate limits, and the latency of the journal force (group commit), with
 * its 50th, 99th and 99.9th percentiles.
 */
public final class Metrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter commands =
      Counter.builder("backstop_commands")
          .description("commands journaled and applied")
          .register(registry);
  private final Map<RejectionCode, Counter> rejections = new EnumMap<>(RejectionCode.class);
  private final Counter rateLimited =
      Counter.builder("backstop_rate_limited")
          .description("requests refused with 429 rate-limited")
          .register(registry);
  private final Timer force =
      Timer.builder("backstop_journal_force")
          .description("time to write and force one batch of journal records")
          .publishPercentiles(0.5, 0.99, 0.999)
          .distributionStatisticExpiry(Duration.ofMinutes(1))
          .register(registry);

  /** Creates the meters. */
  public Metrics() {
    for (RejectionCode code : RejectionCode.values()) {
      rejections.put(
          code,
          Counter.builder("backstop_rejections")
              .description("commands the engine rejected, by code")
              .tag("code", WireName.of(code))
              .register(registry));
    }
  }

  void commands(int count) {
    commands.increment(count);
  }

  void rejected(RejectionCode code) {
    rejections.get(code).increment();
  }

  void rateLimited() {
    rateLimited.increment();
  }

  void forced(long nanos) {
    force.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The metrics in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }
}
