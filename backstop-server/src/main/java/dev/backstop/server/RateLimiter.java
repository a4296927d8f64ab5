package dev.backstop.server;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per client (an API key's id, or the address of a client without a key): each
 * holds at most {@code burst} tokens, refilled at {@code perSecond}; a request takes one token or
 * is refused with the time until the next one. Buckets that are full again are dropped when the map
 * grows past {@link #MAX_IDLE}, so clients that come and go do not accumulate.
 */
final class RateLimiter {

  /** Buckets kept before the full ones are swept. */
  static final int MAX_IDLE = 10_000;

  private static final double NANOS = 1e9;

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  RateLimiter(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  private static final class Bucket {
    private final ServerConfig.RateLimit limit;
    private double tokens;
    private long at;

    Bucket(ServerConfig.RateLimit limit, long now) {
      this.limit = limit;
      this.tokens = limit.burst();
      this.at = now;
    }

    private void refill(long now) {
      tokens = Math.min(limit.burst(), tokens + (now - at) / NANOS * limit.perSecond());
      at = now;
    }

    /** 0 if a token was taken, else the seconds until one is there. */
    synchronized double take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (1 - tokens) / limit.perSecond();
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= limit.burst();
    }
  }

  /**
   * Takes one token from {@code client}'s bucket.
   *
   * @return 0 when the request may go on, else the seconds to wait before the next one may
   */
  double acquire(String client, ServerConfig.RateLimit limit) {
    long now = nanoTime.getAsLong();
    if (buckets.size() > MAX_IDLE) {
      sweep(now);
    }
    return buckets.computeIfAbsent(client, c -> new Bucket(limit, now)).take(now);
  }

  private void sweep(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().full(now)) {
        it.remove();
      }
    }
  }

  /** Buckets held, for tests. */
  int size() {
    return buckets.size();
  }
}
