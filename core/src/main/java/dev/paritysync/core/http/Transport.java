package dev.paritysync.core.http;

import dev.paritysync.core.classify.FailureKind;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP transport of paritysync, over {@code java.net.http}: one shared {@link HttpClient}
 * per transport, whose connection pool serves every call.
 *
 * <p>Defaults: connect timeout 5 s, request timeout 30 s (overridable per {@link
 * Request#timeout()}), maximum response body 10 MiB, {@link Clock#system()} for latencies, user
 * agent {@code paritysync}, an executor of daemon threads and a one-thread scheduler owned (and
 * shut down on {@link #close()}) by the transport. Redirects are not followed: a 3xx is returned as
 * a response.
 *
 * <p>The request timeout bounds the whole exchange, not just the wait for the response headers
 * ({@code java.net.http}'s own timeout): a peer that sends its headers and then drips the body one
 * byte at a time fails with {@code TIMEOUT} once it is spent, and the exchange is cancelled. The
 * deadline runs on the {@linkplain Builder#withScheduler scheduler}, so tests can expire it on
 * virtual time.
 *
 * <p>HTTP/1.1 only: the channels and DSPs we speak are HTTP/1.1 APIs, and {@code java.net.http}'s
 * HTTP/2 default would try an {@code h2c} upgrade on plain-text connections, which some servers and
 * proxies mishandle (dropped bodies, 400s, hung requests) in ways that look like channel failures.
 *
 * <p>Responses larger than the limit are not truncated: the exchange fails with {@link
 * dev.paritysync.core.classify.FailureKind#RESPONSE_TOO_LARGE}, because a parser handed half a
 * document fails in worse ways. A declared {@code Content-Length} over the limit fails before the
 * body is read.
 *
 * <p>Every exchange is logged at DEBUG on logger {@code dev.paritysync.core.http.Transport}:
 * method, URI (user info dropped, secret query values redacted), request headers as {@link
 * Headers#toString()} prints them (secret ones redacted), status or failure kind, latency. Bodies
 * are never logged.
 *
 * <p>Thread-safe: one transport serves any number of concurrent calls.
 */
public final class Transport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  /** Header carrying {@link CallContext#idempotencyKey()}. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Header carrying {@link CallContext#correlationId()}. */
  public static final String CORRELATION_ID = "X-Correlation-ID";

  /** Header carrying {@link CallContext#traceparent()}. */
  public static final String TRACEPARENT = "traceparent";

  private final HttpClient client;
  private final Duration requestTimeout;
  private final long maxResponseBytes;
  private final Clock clock;
  private final String userAgent;
  private final @Nullable ExecutorService ownedExecutor;
  private final Scheduler scheduler;
  private final @Nullable SystemScheduler ownedScheduler;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Transport(Builder b) {
    this.requestTimeout = b.requestTimeout;
    this.maxResponseBytes = b.maxResponseBytes;
    this.clock = b.clock;
    this.userAgent = b.userAgent;
    Scheduler given = b.scheduler;
    if (given == null) {
      SystemScheduler owned = Scheduler.system(1);
      this.ownedScheduler = owned;
      this.scheduler = owned;
    } else {
      this.ownedScheduler = null;
      this.scheduler = given;
    }
    Executor executor = b.executor;
    if (executor == null) {
      AtomicInteger n = new AtomicInteger();
      ExecutorService owned =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "paritysync-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.ownedExecutor = owned;
      executor = owned;
    } else {
      this.ownedExecutor = null;
    }
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends {@code request}, adding {@code Idempotency-Key} (when the context has one), {@code
   * X-Correlation-ID} and {@code traceparent} from {@code context}, and {@code User-Agent}.
   *
   * <p>Completes with the {@link Response} for any HTTP status: a 5xx is a response, not an
   * exception. Completes exceptionally with a {@link TransportException} whose {@link
   * TransportException#kind()} is {@code CONNECT_REFUSED}, {@code CONNECTION_RESET}, {@code
   * TIMEOUT}, {@code TLS}, {@code RESPONSE_TOO_LARGE} or {@code OTHER_IO} when no usable response
   * arrived. Never retries by itself.
   *
   * @throws IllegalArgumentException when the request carries a header {@code java.net.http} does
   *     not let callers set ({@code Host}, {@code Connection}, {@code Content-Length}, ...)
   * @throws IllegalStateException after {@link #close()}
   */
  public CompletableFuture<Response> send(Request request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (closed.get()) {
      throw new IllegalStateException("transport is closed");
    }
    HttpRequest httpRequest = toHttpRequest(request, context);
    long start = clock.nanoTime();
    CompletableFuture<Response> result = new CompletableFuture<>();
    CompletableFuture<java.net.http.HttpResponse<byte[]>> sent;
    try {
      sent = client.sendAsync(httpRequest, LimitedBodySubscriber.handler(maxResponseBytes));
    } catch (RuntimeException e) { // e.g. executor rejected after close
      sent = CompletableFuture.failedFuture(e);
    }
    Duration deadline = httpRequest.timeout().orElse(requestTimeout);
    CompletableFuture<java.net.http.HttpResponse<byte[]>> exchange = sent;
    Scheduler.Cancellable timer =
        scheduler.schedule(
            deadline,
            () -> {
              TransportException e =
                  new TransportException(
                      FailureKind.TIMEOUT,
                      request.method()
                          + ' '
                          + Redaction.redactUri(request.uri())
                          + ": no complete response within "
                          + deadline);
              if (result.completeExceptionally(e)) {
                logExchange(request, context, e.kind().name(), deadline, null);
                exchange.cancel(true); // aborts the exchange and frees its connection
              }
            });
    sent.whenComplete(
        (r, error) -> {
          timer.cancel();
          if (result.isDone()) {
            return; // the deadline came first
          }
          Duration latency = Duration.ofNanos(Math.max(0, clock.nanoTime() - start));
          if (error == null) {
            Response response =
                new Response(
                    r.statusCode(), Headers.of(r.headers().map()), r.body(), false, latency);
            logExchange(request, context, String.valueOf(r.statusCode()), latency, r.body());
            result.complete(response);
          } else {
            TransportException e =
                Failures.toTransportException(
                    error, request.method() + ' ' + Redaction.redactUri(request.uri()));
            logExchange(request, context, e.kind().name(), latency, null);
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  /** An outcome for the classifier: the response's status and headers. */
  public static Outcome outcomeOf(Response response) {
    return Outcome.response(response.status(), response.headers());
  }

  /**
   * An outcome for the classifier from a failed {@link #send}: the failure kind of a {@link
   * TransportException} (looking through {@code CompletionException}), or the kind the exception
   * maps to ({@code OTHER_IO} when it maps to nothing else).
   */
  public static Outcome outcomeOf(Throwable failure) {
    return Outcome.failure(Failures.kindOf(Failures.unwrap(failure)));
  }

  /**
   * Stops accepting sends and shuts down the executor the transport owns (one passed to {@link
   * Builder#withExecutor} is left running). Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (ownedExecutor != null) {
        ownedExecutor.shutdownNow();
      }
      if (ownedScheduler != null) {
        ownedScheduler.close();
      }
    }
  }

  private HttpRequest toHttpRequest(Request request, CallContext context) {
    HttpRequest.BodyPublisher body =
        request.bodyLength() == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.bodyUnsafe());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(request.uri())
            .method(request.method(), body)
            .timeout(request.timeout() == null ? requestTimeout : request.timeout());
    for (Map.Entry<String, List<String>> e : request.headers().asMap().entrySet()) {
      for (String v : e.getValue()) {
        b.header(e.getKey(), v);
      }
    }
    if (request.headers().first("User-Agent").isEmpty()) {
      b.header("User-Agent", userAgent);
    }
    if (context.idempotencyKey() != null) {
      b.setHeader(IDEMPOTENCY_KEY, context.idempotencyKey());
    }
    b.setHeader(CORRELATION_ID, context.correlationId());
    b.setHeader(TRACEPARENT, context.traceparent());
    return b.build();
  }

  /**
   * One line per exchange, at debug: with the SHA-256 of the body sent and of the response (when
   * one came), and the trace id next to the correlation id, so an incident leads to the exact
   * bytes.
   */
  private static void logExchange(
      Request request,
      CallContext context,
      String result,
      Duration latency,
      byte @Nullable [] response) {
    if (log.isDebugEnabled()) {
      log.debug(
          "{} {} {} -> {} in {} ms (channel={}, attempt={}, correlation_id={}, trace_id={},"
              + " body_sha256={}, response_sha256={})",
          request.method(),
          Redaction.redactUri(request.uri()),
          request.headers(),
          result,
          latency.toMillis(),
          context.channel(),
          context.attempt(),
          context.correlationId(),
          context.traceId(),
          BodyDigest.sha256(request.bodyUnsafe()),
          response == null ? "none" : BodyDigest.sha256(response));
    }
  }

  @Override
  public String toString() {
    return "Transport{requestTimeout="
        + requestTimeout
        + ", maxResponseBytes="
        + maxResponseBytes
        + ", closed="
        + closed.get()
        + '}';
  }

  /**
   * Builds a {@link Transport}. Not thread-safe; {@link #build()} copies the settings, and may be
   * called more than once.
   */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private long maxResponseBytes = 10L * 1024 * 1024;
    private Clock clock = Clock.system();
    private @Nullable Executor executor;
    private @Nullable Scheduler scheduler;
    private String userAgent = "paritysync";

    private Builder() {}

    /** How long to wait for a TCP (and TLS) connection; default 5 s. */
    public Builder withConnectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connect timeout");
      return this;
    }

    /**
     * How long a whole exchange (connect, send, response headers and body) may take when the
     * request sets no timeout; default 30 s.
     */
    public Builder withRequestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "request timeout");
      return this;
    }

    /** The largest response body accepted; default 10 MiB. Larger ones fail the exchange. */
    public Builder withMaxResponseBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("max response bytes must be >= 0, was " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /** The clock latencies are measured on; default {@link Clock#system()}. */
    public Builder withClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The executor for {@code java.net.http}'s work and for completing the futures {@link
     * Transport#send} returns; the transport does not shut it down. Default: its own daemon
     * threads.
     */
    public Builder withExecutor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The scheduler the whole-exchange deadline runs on; the transport does not close it. Default:
     * its own one-thread scheduler on the machine's clock.
     */
    public Builder withScheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The {@code User-Agent} sent when a request sets none; default {@code paritysync}. */
    public Builder withUserAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    public Transport build() {
      return new Transport(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
