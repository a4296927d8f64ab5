package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitTest {

  @TempDir Path dir;

  @Test
  void aBucketHoldsItsBurstAndRefillsAtItsRate() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(now::get);
    ServerConfig.RateLimit limit = new ServerConfig.RateLimit(2, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("k2", limit)).isZero();
    }
    assertThat(limiter.acquire("k2", limit)).isEqualTo(0.5);
    assertThat(limiter.acquire("k3", limit)).as("another key has its own bucket").isZero();
    now.addAndGet(500_000_000L);
    assertThat(limiter.acquire("k2", limit)).as("one token after half a second").isZero();
    assertThat(limiter.acquire("k2", limit)).isPositive();
    now.addAndGet(60_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("k2", limit)).as("refilled to the burst, not beyond").isZero();
    }
    assertThat(limiter.acquire("k2", limit)).isPositive();
  }

  @Test
  void idleFullBucketsAreSweptOnceTheMapIsLarge() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(now::get);
    ServerConfig.RateLimit limit = new ServerConfig.RateLimit(1000, 1);
    for (int i = 0; i <= RateLimiter.MAX_IDLE; i++) {
      limiter.acquire("ip:" + i, limit);
    }
    now.addAndGet(1_000_000_000L);
    limiter.acquire("ip:last", limit);
    assertThat(limiter.size()).isEqualTo(1);
  }

  @Test
  void aKeyOverItsLimitGets429WithACodeAndRetryAfterAndOtherKeysGoOn() throws Exception {
    ServerConfig config =
        ServerConfig.load(dir)
            .withPort(0)
            .withAuth(
                new ServerConfig.Auth(
                    "keys",
                    new ServerConfig.RateLimit(0.5, 3),
                    null,
                    new ServerConfig.RateLimit(0.5, 2)));
    try (ServerFixture f = ServerFixture.start(dir, config)) {
      f.run(Crash.SETUP);
      Http bob = f.trader("bob");
      Http alice = f.trader("alice");
      String before = f.position();
      for (int i = 0; i < 3; i++) {
        assertThat(bob.get("/api/account").statusCode()).isEqualTo(200);
      }
      HttpResponse<String> limited =
          bob.post("/api/commands", "{\"type\":\"withdraw\",\"account\":\"bob\",\"amount\":\"1\"}");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(ServerFixture.json(limited).path("code").asText()).isEqualTo("rate-limited");
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
      assertThat(f.position()).as("the refused withdrawal changed nothing").isEqualTo(before);
      assertThat(alice.get("/api/account").statusCode()).isEqualTo(200);
      // requests without a key are limited by address
      Http anonymous = f.operator.as(null);
      assertThat(anonymous.get("/api/health").statusCode()).isEqualTo(200);
      assertThat(anonymous.get("/api/health").statusCode()).isEqualTo(200);
      assertThat(anonymous.get("/api/health").statusCode()).isEqualTo(429);
      assertThat(f.operator.get("/metrics").body()).contains("backstop_rate_limited_total 2.0");
    }
  }
}
