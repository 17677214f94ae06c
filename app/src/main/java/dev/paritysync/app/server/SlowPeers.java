package dev.paritysync.app.server;

import dev.paritysync.core.config.ConfigMap;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server outlives slow and silent clients (slowloris): a request whose body comes slower
 * than {@code minRequestDataRate} bytes a second is answered 408, a connection silent for {@code
 * idleTimeout} is closed, and beyond {@code maxConcurrentRequests} requests in progress (health
 * checks aside) a new one is answered 503 at once instead of waiting for a thread — so {@code
 * /health/live} and well-behaved clients keep being answered under a thousand slow connections.
 * Each from a {@code server:} key (docs/api.md, "Limits"). Immutable.
 *
 * @param idleTimeout {@code server.idleTimeout}, default 10 s: the longest a connection may send
 *     nothing while the server waits for it (headers, body, or the next request on a kept-alive
 *     connection)
 * @param minRequestDataRate {@code server.minRequestDataRate}, default 1,024 bytes a second: the
 *     slowest a request body may arrive (Jetty's own check, from the first byte of the body)
 * @param maxConcurrentRequests {@code server.maxConcurrentRequests}, default 64: requests in
 *     progress at once, health checks not counted; the server's threads number more than that
 */
public record SlowPeers(Duration idleTimeout, long minRequestDataRate, int maxConcurrentRequests) {

  /** Every default. */
  public static final SlowPeers DEFAULTS = new SlowPeers(Duration.ofSeconds(10), 1024, 64);

  /** What a 503 for too many requests in progress asks the client to wait. */
  static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * Checks every bound.
   *
   * @throws IllegalArgumentException naming the {@code server.} key of the first bad value
   */
  public SlowPeers {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.toMillis() < 100) {
      throw new IllegalArgumentException(
          "server.idleTimeout: must be at least 100ms, was " + idleTimeout);
    }
    if (minRequestDataRate < 0) {
      throw new IllegalArgumentException(
          "server.minRequestDataRate: must be 0 (off) or more bytes a second, was "
              + minRequestDataRate);
    }
    if (maxConcurrentRequests < 1 || maxConcurrentRequests > 200) {
      throw new IllegalArgumentException(
          "server.maxConcurrentRequests: must be in 1..200 (the server has 250 threads), was "
              + maxConcurrentRequests);
    }
  }

  /** Reads the keys from {@code server} (the {@code server:} section), each optional. */
  public static SlowPeers parse(ConfigMap server) {
    SlowPeers d = DEFAULTS;
    return new SlowPeers(
        server.positiveDuration("idleTimeout", d.idleTimeout()),
        server.integer("minRequestDataRate", (int) d.minRequestDataRate()),
        server.integer("maxConcurrentRequests", d.maxConcurrentRequests()));
  }
}
