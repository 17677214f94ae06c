package dev.paritysync.app.config;

import dev.paritysync.app.server.ApiLimits;
import dev.paritysync.app.server.GroupCommit;
import dev.paritysync.app.server.SlowPeers;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.channel.SecretResolver;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server:} section of the configuration, read by {@code paritysync serve} ({@code
 * paritysync run} ignores it). Traces are configured apart, in {@code telemetry:} ({@link
 * dev.paritysync.app.telemetry.TelemetryConfig}).
 *
 * <pre>{@code
 * server:
 *   host: 127.0.0.1                 # default; the address to bind
 *   port: 8080                      # default; 0 picks a free port
 *   maxBodyBytes: 1048576           # default 1 MiB; larger bodies get 413
 *   idempotencyWindow: 24h          # default; how long Idempotency-Key responses are kept
 *   drain: 10s                      # default; how long shutdown lets requests in progress finish
 *   shutdownDeadline: 20s           # default; how long shutdown waits for in-flight batches
 *   adminToken: ${env:PARITYSYNC_ADMIN_TOKEN}   # a reference; without it /admin answers 401
 *   apiToken: ${env:PARITYSYNC_API_TOKEN}       # optional; guards /v1/changes, /v1/reservations
 *   maxJsonDepth: 32                # and the other limits of ApiLimits (docs/api.md, "Limits")
 *   groupCommit:                    # POST /v1/changes commits concurrent requests together
 *     maxRequests: 128              # default; the most requests in one commit
 *     maxCells: 5000                # default; the most cells in one commit
 *     maxWait: 2ms                  # default; the longest a request waits for others to join
 *     queue: 1024                   # default; requests waiting beyond it are answered 503
 * }</pre>
 *
 * Immutable and thread-safe; {@code toString} does not show the token.
 *
 * @param host the address to bind
 * @param port the port, 0 for any free one
 * @param maxBodyBytes the largest request body
 * @param idempotencyWindow how long idempotency keys are remembered
 * @param drain how long requests in progress may finish at shutdown
 * @param shutdownDeadline how long in-flight batches may finish at shutdown
 * @param adminToken the bearer token of the admin API, if configured
 * @param apiToken the bearer token of the PMS API ({@code /v1/changes}, {@code /v1/reservations}),
 *     if configured; without it those are open (bind to a private address)
 * @param limits the bounds on what a client sends ({@link ApiLimits}; keys beside these)
 * @param slowPeers how slow and silent clients are cut off ({@link SlowPeers}; keys beside these)
 * @param groupCommit how {@code POST /v1/changes} commits concurrent requests together ({@link
 *     GroupCommit}; keys under {@code server.groupCommit})
 */
public record ServerConfig(
    String host,
    int port,
    long maxBodyBytes,
    Duration idempotencyWindow,
    Duration drain,
    Duration shutdownDeadline,
    Optional<Secret> adminToken,
    Optional<Secret> apiToken,
    ApiLimits limits,
    SlowPeers slowPeers,
    GroupCommit groupCommit) {

  /** Every default, no token. */
  public static final ServerConfig DEFAULTS =
      new ServerConfig(
          "127.0.0.1",
          8080,
          1 << 20,
          Duration.ofHours(24),
          Duration.ofSeconds(10),
          Duration.ofSeconds(20),
          Optional.empty(),
          Optional.empty(),
          ApiLimits.DEFAULTS,
          SlowPeers.DEFAULTS,
          GroupCommit.DEFAULTS);

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(shutdownDeadline, "shutdownDeadline");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(apiToken, "apiToken");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(slowPeers, "slowPeers");
    Objects.requireNonNull(groupCommit, "groupCommit");
  }

  /**
   * Reads {@code server}; an absent section gives the defaults.
   *
   * @throws IllegalArgumentException naming the full key of the first bad or unknown key
   */
  static ServerConfig parse(ConfigMap server, SecretResolver secrets) {
    ServerConfig d = DEFAULTS;
    String host = server.string("host", d.host());
    if (host.isBlank()) {
      throw new IllegalArgumentException(server.key("host") + ": must not be blank");
    }
    int port = server.integerIn("port", d.port(), 0, 65535);
    int maxBody = server.integerIn("maxBodyBytes", (int) d.maxBodyBytes(), 1024, Integer.MAX_VALUE);
    Duration window = server.positiveDuration("idempotencyWindow", d.idempotencyWindow());
    Duration drain = server.positiveDuration("drain", d.drain());
    Duration deadline = server.positiveDuration("shutdownDeadline", d.shutdownDeadline());
    Optional<Secret> token =
        server.has("adminToken")
            ? Optional.of(server.secret("adminToken", secrets))
            : Optional.empty();
    Optional<Secret> api =
        server.has("apiToken") ? Optional.of(server.secret("apiToken", secrets)) : Optional.empty();
    ApiLimits limits = ApiLimits.parse(server);
    SlowPeers slowPeers = SlowPeers.parse(server);
    GroupCommit groupCommit = GroupCommit.parse(server);
    server.rejectUnknown();

    return new ServerConfig(
        host, port, maxBody, window, drain, deadline, token, api, limits, slowPeers, groupCommit);
  }

  @Override
  public String toString() {
    return "ServerConfig[host="
        + host
        + ", port="
        + port
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", idempotencyWindow="
        + idempotencyWindow
        + ", drain="
        + drain
        + ", shutdownDeadline="
        + shutdownDeadline
        + ", adminToken="
        + (adminToken.isPresent() ? "[redacted]" : "none")
        + ", apiToken="
        + (apiToken.isPresent() ? "[redacted]" : "none")
        + ", limits="
        + limits
        + ", slowPeers="
        + slowPeers
        + ", groupCommit="
        + groupCommit
        + "]";
  }
}
