package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.util.JavalinException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code paritysync serve}: Javalin (Jetty) bound to a loopback or configured
 * address, with the mounted {@link Routes}, errors as RFC 9457 problem documents, and a draining
 * stop.
 *
 * <p>Every error response — a {@link ProblemException} from a handler, an unknown path (404), a
 * wrong method (405, with {@code Allow}), an unexpected exception or {@link Error} (500, logged,
 * its message not shown), and Jetty's own refusals (400, 414, 431) — is {@code
 * application/problem+json;charset=utf-8} with {@code type}, {@code title}, {@code status}, {@code
 * detail} and, for field errors, {@code errors: [{path, message}]} (the first {@link
 * ApiLimits#maxErrors()}) and {@code errorCount}. A client that leaves mid-upload is one DEBUG
 * line.
 *
 * <p>{@link #close()} drains: new requests are answered {@code 503} with {@code Connection: close},
 * requests in progress may finish until the drain deadline (default 10 s), then the server stops
 * and closes every connection still open. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** The content type of problem documents (RFC 9457), always UTF-8. */
  static final String PROBLEM_JSON = "application/problem+json;charset=utf-8";

  static final ObjectMapper JSON = new ObjectMapper();

  /** How long an idle keep-alive connection may stay open once the server stops. */
  private static final Duration SHUTDOWN_IDLE = Duration.ofMillis(100);

  private static final String ADMITTED = ApiServer.class.getName() + ".admitted";

  private final Javalin app;
  private final Duration drain;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private int inFlight;
  private final int maxConcurrent;
  private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Routes> mounted;

  private ApiServer(Builder b) {
    this.drain = b.drain;
    this.maxConcurrent = b.slowPeers.maxConcurrentRequests();
    this.app = Javalin.create(cfg -> configure(cfg, b));
    this.mounted = List.copyOf(b.routes);
  }

  /**
   * Gives back the admission slot of {@code ctx} now, for a response held open (an event stream):
   * it then neither counts in {@code server.maxConcurrentRequests} nor holds back the drain, so its
   * handler bounds such responses and ends them at {@link Routes#draining()}. Idempotent.
   */
  public static void detach(Context ctx) {
    Runnable release = ctx.attribute(ADMITTED);
    if (release != null) {
      release.run();
    }
  }

  private void configure(JavalinConfig cfg, Builder b) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.startup.startupWatcherEnabled = false;
    // The connector, not the HttpConfiguration, carries the idle timeout: Jetty restores a
    // connection's own timeout when a request ends, which would undo the short one close() gives
    // idle connections, so a request ending during the stop left its connection open for 30 s.
    cfg.jetty.addConnector(
        (server, http) -> {
          ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
          connector.setHost(b.host);
          connector.setPort(b.port);
          connector.setIdleTimeout(b.slowPeers.idleTimeout().toMillis());
          return connector;
        });
    cfg.http.maxRequestSize = b.maxBodyBytes;
    cfg.http.prefer405over404 = true;
    cfg.jetty.modifyHttpConfiguration(
        http -> {
          http.setSendServerVersion(false);
          // A longer request line is 414, longer headers 431: Jetty answers both.
          http.setRequestHeaderSize(b.limits.maxHeaderBytes());
          // Slow and silent clients: a body below the rate is 408, a silent connection closes.
          // Jetty 12.1 deprecates it (MinimumDataRateHandler); it still guards servlet bodies.
          http.setMinRequestDataRate(b.slowPeers.minRequestDataRate());
        });
    // Jetty's own answers (a malformed request, 414, 431, an error it catches) and an Error such
    // as OutOfMemoryError escaping a handler are problem documents too.
    ProblemErrorHandler pages = new ProblemErrorHandler(b.limits.maxErrors());
    cfg.jetty.modifyServer(server -> server.setErrorHandler(pages));
    cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(pages));
    cfg.router.javaLangErrorHandler(
        (res, error) -> {
          log.error("a request failed with {}", error.toString(), error);
          pages.write(res, 500, "Internal error", "the server failed; see its log");
        });
    cfg.events.handlerAdded(
        h -> {
          if (h.getHttpMethod().isHttpMethod()) {
            routes.add(h.getHttpMethod().name() + " " + h.getPath());
          }
        });
    cfg.routes.before(this::admit);
    cfg.routes.after(ApiServer::detach);
    ErrorAnswers.mount(cfg.routes, b.limits.maxErrors());
    for (Routes group : b.routes) {
      group.addTo(cfg.routes);
    }
  }

  /**
   * A new builder: host {@code 127.0.0.1}, port 0 (any free), 1 MiB bodies, 10 s drain, {@link
   * ApiLimits#DEFAULTS}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening; returns this server. */
  public ApiServer start() {
    app.start();
    return this;
  }

  /** The port the server listens on (the chosen one when configured with 0). */
  public int port() {
    return app.port();
  }

  /** Every route mounted, as {@code METHOD /path} (Javalin's path syntax), in mounting order. */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  /** Whether {@link #close()} has begun: new requests are refused. */
  public boolean draining() {
    return draining.get();
  }

  /**
   * Stops accepting requests, waits up to the drain deadline for those in progress, then stops the
   * server. Idempotent.
   */
  @Override
  public void close() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    mounted.forEach(Routes::draining);
    long deadline = drain.toNanos();
    lock.lock();
    try {
      while (inFlight > 0 && deadline > 0) {
        deadline = idle.awaitNanos(deadline);
      }
      if (inFlight > 0) {
        log.warn("stopping with {} requests still in progress after {}", inFlight, drain);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    // Jetty's own graceful stop gets what is left of the drain once close() has waited for the
    // requests it admitted: the whole stop stays within the drain.
    Server jetty = app.jettyServer().server();
    jetty.setStopTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline)));
    // Idle keep-alive connections hold nothing admitted: Jetty would give each a second to time
    // out; a tenth is plenty, since a request sent on one meanwhile is refused with 503 anyway.
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof AbstractConnector c) {
        c.setShutdownIdleTimeout(SHUTDOWN_IDLE.toMillis());
      }
    }
    try {
      app.stop();
    } catch (JavalinException e) {
      // Jetty stops every connector and handler before it reports its graceful wait ran out: the
      // server is down; a client holding a connection past the drain is no failure of close().
      if (!(e.getCause() instanceof TimeoutException)) {
        throw e;
      }
      log.warn(
          "stopped after the drain of {}: a client still held a connection (sending slowly or"
              + " keeping an unfinished request); it was closed",
          drain);
    }
  }

  private void admit(Context ctx) {
    if (ctx.path().startsWith("/health/")) {
      return; // health answers while draining: ready says "down", live says "up"
    }
    if (draining.get()) {
      ctx.header("Connection", "close");
      throw new ProblemException(
          503, "Shutting down", "the server is shutting down; send the request again later");
    }
    lock.lock();
    try {
      if (inFlight >= maxConcurrent) {
        ctx.header("Retry-After", Long.toString(SlowPeers.BUSY_RETRY_AFTER.toSeconds()));
        throw new ProblemException(
            503,
            "Too busy",
            maxConcurrent
                + " requests are in progress (server.maxConcurrentRequests); send it again"
                + " shortly");
      }
      inFlight++;
    } finally {
      lock.unlock();
    }
    AtomicBoolean held = new AtomicBoolean(true);
    ctx.attribute(
        ADMITTED,
        (Runnable)
            () -> {
              if (held.compareAndSet(true, false)) {
                release();
              }
            });
  }

  private void release() {
    lock.lock();
    try {
      if (inFlight > 0) {
        inFlight--;
      }
      if (inFlight == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes a problem document. */
  static void problem(
      Context ctx, int status, String title, @Nullable String detail, List<FieldError> errors) {
    problem(ctx, status, title, detail, errors, errors.size(), Integer.MAX_VALUE);
  }

  /** Writes a problem document listing the first {@code maxErrors} of {@code errorCount}. */
  static void problem(
      Context ctx,
      int status,
      String title,
      @Nullable String detail,
      List<FieldError> errors,
      int errorCount,
      int maxErrors) {
    ctx.status(status)
        .contentType(PROBLEM_JSON)
        .result(document(status, title, detail, errors, errorCount, maxErrors));
  }

  /**
   * A problem document as UTF-8 bytes: {@code errors} lists at most {@code maxErrors} entries and,
   * when there are any, {@code errorCount} says how many were found.
   */
  static byte[] document(
      int status,
      String title,
      @Nullable String detail,
      List<FieldError> errors,
      int errorCount,
      int maxErrors) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("type", "about:blank");
    doc.put("title", title);
    doc.put("status", status);
    int count = Math.max(errorCount, errors.size());
    if (detail != null) {
      int listed = Math.min(errors.size(), maxErrors);
      doc.put(
          "detail", listed < count ? detail + " (the first " + listed + " are listed)" : detail);
    }
    if (!errors.isEmpty()) {
      ArrayNode list = doc.putArray("errors");
      for (FieldError e : errors.subList(0, Math.min(errors.size(), maxErrors))) {
        list.addObject().put("path", e.path()).put("message", e.message());
      }
      doc.put("errorCount", count);
    }
    return doc.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Content too large";
      case 414 -> "URI too long";
      case 415 -> "Unsupported media type";
      case 431 -> "Request header fields too large";
      case 500 -> "Internal error";
      case 503 -> "Service unavailable";
      default -> "HTTP " + status;
    };
  }

  /** Builds an {@link ApiServer}; not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private long maxBodyBytes = 1 << 20;
    private Duration drain = Duration.ofSeconds(10);
    private ApiLimits limits = ApiLimits.DEFAULTS;
    private SlowPeers slowPeers = SlowPeers.DEFAULTS;
    private final List<Routes> routes = new ArrayList<>();

    private Builder() {}

    /** The address to bind; default {@code 127.0.0.1}. */
    public Builder withHost(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; 0 (the default) picks a free one. */
    public Builder withPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not in 0..65535");
      }
      this.port = port;
      return this;
    }

    /** The largest request body accepted; larger ones get 413. Default 1 MiB. */
    public Builder withMaxBodyBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How long {@link ApiServer#close()} lets requests in progress finish; default 10 s. */
    public Builder withDrain(Duration drain) {
      if (drain.isNegative()) {
        throw new IllegalArgumentException("drain must not be negative: " + drain);
      }
      this.drain = drain;
      return this;
    }

    /** How slow and silent clients are cut off; default {@link SlowPeers#DEFAULTS}. */
    public Builder withSlowPeers(SlowPeers slowPeers) {
      this.slowPeers = Objects.requireNonNull(slowPeers, "slowPeers");
      return this;
    }

    /**
     * The limits the server itself applies: header sizes and the errors listed per problem
     * document; default {@link ApiLimits#DEFAULTS}.
     */
    public Builder withLimits(ApiLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Mounts {@code routes}; groups are registered in the order added. */
    public Builder withRoutes(Routes routes) {
      this.routes.add(Objects.requireNonNull(routes, "routes"));
      return this;
    }

    /** A server, not yet started. */
    public ApiServer build() {
      return new ApiServer(this);
    }
  }

  @Override
  public String toString() {
    return "ApiServer[port=" + (draining.get() ? "stopped" : String.valueOf(app.port())) + "]";
  }
}
