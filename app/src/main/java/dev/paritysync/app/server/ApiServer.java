package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code paritysync serve}: Javalin (Jetty) bound to a loopback or configured
 * address, with the mounted {@link Routes}, errors as RFC 9457 problem documents, and a draining
 * stop.
 *
 * <p>Every error response — a {@link ProblemException} from a handler, an unknown path (404), a
 * wrong method (405), an unexpected exception (500, logged, its message not shown) — is {@code
 * application/problem+json} with {@code type}, {@code title}, {@code status}, {@code detail} and,
 * for field errors, {@code errors: [{path, message}]}.
 *
 * <p>{@link #close()} drains: new requests are answered {@code 503} with {@code Connection: close},
 * requests in progress may finish until the drain deadline (default 10 s), then the server stops.
 * Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** The media type of problem documents (RFC 9457). */
  public static final String PROBLEM_JSON = "application/problem+json";

  static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMITTED = ApiServer.class.getName() + ".admitted";

  private final Javalin app;
  private final Duration drain;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private int inFlight;
  private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ApiServer(Builder b) {
    this.drain = b.drain;
    this.app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.startupWatcherEnabled = false;
              cfg.jetty.defaultHost = b.host;
              cfg.jetty.defaultPort = b.port;
              cfg.http.maxRequestSize = b.maxBodyBytes;
              cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              // Jetty's own graceful stop (Javalin installs a StatisticsHandler) gets what is left
              // of the drain once close() has waited for the requests it admitted.
              cfg.jetty.modifyServer(server -> server.setStopTimeout(b.drain.toMillis()));
              cfg.events.handlerAdded(
                  h -> {
                    if (h.getHttpMethod().isHttpMethod()) {
                      routes.add(h.getHttpMethod().name() + " " + h.getPath());
                    }
                  });
            });
    app.before(this::admit);
    app.after(
        ctx -> {
          if (ctx.attribute(ADMITTED) != null) {
            release();
          }
        });
    app.exception(
        ProblemException.class,
        (e, ctx) -> problem(ctx, e.status(), e.title(), e.detail(), e.errors()));
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> problem(ctx, e.getStatus(), title(e.getStatus()), e.getMessage(), List.of()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          problem(ctx, 500, "Internal error", "the server failed; see its log", List.of());
        });
    app.error(
        404,
        ctx -> {
          if (!isProblem(ctx)) {
            problem(ctx, 404, "Not found", "no resource at " + ctx.path(), List.of());
          }
        });
    app.error(
        405,
        ctx -> {
          if (!isProblem(ctx)) {
            problem(
                ctx,
                405,
                "Method not allowed",
                ctx.method() + " is not allowed on " + ctx.path(),
                List.of());
          }
        });
    for (Routes routes : b.routes) {
      routes.addTo(app);
    }
  }

  /** A new builder: host {@code 127.0.0.1}, port 0 (any free), 1 MiB bodies, 10 s drain. */
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
    app.stop();
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
      inFlight++;
    } finally {
      lock.unlock();
    }
    ctx.attribute(ADMITTED, Boolean.TRUE);
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

  /**
   * The request body, at most {@code max} bytes.
   *
   * @throws ProblemException 413 when the body is larger
   */
  public static byte[] body(Context ctx, long max) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (body.length > max) {
        throw tooLarge(max);
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProblemException tooLarge(long max) {
    return new ProblemException(
        413, "Content too large", "the request body is larger than " + max + " bytes");
  }

  /** Writes a problem document. */
  static void problem(
      Context ctx, int status, String title, String detail, List<FieldError> errors) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("type", "about:blank");
    doc.put("title", title);
    doc.put("status", status);
    if (detail != null) {
      doc.put("detail", detail);
    }
    if (!errors.isEmpty()) {
      ArrayNode list = doc.putArray("errors");
      for (FieldError e : errors) {
        list.addObject().put("path", e.path()).put("message", e.message());
      }
    }
    ctx.status(status).contentType(PROBLEM_JSON).result(doc.toString());
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(PROBLEM_JSON);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Content too large";
      case 415 -> "Unsupported media type";
      default -> "HTTP " + status;
    };
  }

  /** Builds an {@link ApiServer}; not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private long maxBodyBytes = 1 << 20;
    private Duration drain = Duration.ofSeconds(10);
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
