package dev.paritysync.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.classify.FailureKind;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.testing.CapturedLogs;
import dev.paritysync.core.testing.LoopbackServer;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransportTest {
  private static final String SECRET = "s3cr3t-T0KEN-value";

  private final CountDownLatch release = new CountDownLatch(1);
  private LoopbackServer server;
  private Transport transport;

  @AfterEach
  void cleanup() {
    release.countDown();
    if (transport != null) {
      transport.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private CallContext context() {
    return CallContext.newRoot("booking", "hotel-7", new SplittableRandom(42));
  }

  private static TransportException failureOf(CompletableFuture<Response> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TransportException.class);
      return (TransportException) e.getCause();
    }
    throw new AssertionError("expected the exchange to fail, it completed");
  }

  @Test
  void setsHeadersFromTheContext() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    server =
        LoopbackServer.start(
            ex -> {
              ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), v.get(0)));
              seen.put("method", ex.getRequestMethod());
              seen.put(
                  "body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
              LoopbackServer.respond(ex, 200, "application/json", "{\"ok\":true}");
            });
    transport = Transport.builder().withUserAgent("paritysync-test").build();
    CallContext ctx = context().withIdempotencyKey("batch-17").withAttempt(3);

    Response r =
        transport
            .send(
                Request.post(server.uri("/ari"), "application/json", "{\"a\":1}".getBytes(UTF8)),
                ctx)
            .get(10, TimeUnit.SECONDS);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("{\"ok\":true}");
    assertThat(r.truncated()).isFalse();
    assertThat(seen)
        .containsEntry("idempotency-key", "batch-17")
        .containsEntry("x-correlation-id", ctx.correlationId())
        .containsEntry("traceparent", ctx.traceparent())
        .containsEntry("user-agent", "paritysync-test")
        .containsEntry("method", "POST")
        .containsEntry("body", "{\"a\":1}");
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  @Test
  void sendsNoIdempotencyKeyWhenTheContextHasNone() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    server =
        LoopbackServer.start(
            ex -> {
              ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), v.get(0)));
              LoopbackServer.respond(ex, 204, "text/plain", "");
            });
    transport = Transport.builder().build();

    Response r = transport.send(Request.get(server.uri("/x")), context()).get(10, TimeUnit.SECONDS);

    assertThat(r.status()).isEqualTo(204);
    assertThat(seen).doesNotContainKey("idempotency-key").containsKey("x-correlation-id");
  }

  @Test
  void a503IsAResponseNotAnException() throws Exception {
    server =
        LoopbackServer.start(
            ex -> {
              ex.getResponseHeaders().set("Retry-After", "7");
              LoopbackServer.respond(ex, 503, "text/plain", "busy");
            });
    transport = Transport.builder().build();

    Response r = transport.send(Request.get(server.uri("/")), context()).get(10, TimeUnit.SECONDS);

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.bodyText()).isEqualTo("busy");
    Outcome o = Transport.outcomeOf(r);
    assertThat(o.status()).isEqualTo(503);
    assertThat(o.headers().first("retry-after")).contains("7");
  }

  @Test
  void latencyIsMeasuredOnTheInjectedClock() throws Exception {
    server = LoopbackServer.start(ex -> LoopbackServer.respond(ex, 200, "text/plain", "ok"));
    AtomicLong nanos = new AtomicLong();
    Clock stepping =
        new Clock() {
          @Override
          public Instant instant() {
            return Instant.EPOCH;
          }

          @Override
          public long nanoTime() {
            return nanos.getAndAdd(Duration.ofMillis(250).toNanos());
          }
        };
    transport = Transport.builder().withClock(stepping).build();

    Response r = transport.send(Request.get(server.uri("/")), context()).get(10, TimeUnit.SECONDS);

    assertThat(r.latency()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aClosedPortIsConnectRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    transport = Transport.builder().build();

    TransportException e =
        failureOf(
            transport.send(Request.get(URI.create("http://127.0.0.1:" + port + "/")), context()));

    assertThat(e.kind()).isEqualTo(FailureKind.CONNECT_REFUSED);
    assertThat(Transport.outcomeOf(e).failure()).isEqualTo(FailureKind.CONNECT_REFUSED);
    assertThat(e).hasMessageContaining("GET http://127.0.0.1:" + port + "/");
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    server = LoopbackServer.start(ex -> await(release));
    transport = Transport.builder().build();

    TransportException e =
        failureOf(
            transport.send(
                Request.get(server.uri("/slow")).withTimeout(Duration.ofMillis(200)), context()));

    assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
  }

  @Test
  void theTransportDefaultTimeoutAppliesWhenTheRequestHasNone() throws Exception {
    server = LoopbackServer.start(ex -> await(release));
    transport = Transport.builder().withRequestTimeout(Duration.ofMillis(200)).build();

    TransportException e = failureOf(transport.send(Request.get(server.uri("/slow")), context()));

    assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
  }

  /**
   * Headers in time, then a body that never ends: java.net.http's own timeout stops at the headers;
   * the transport's deadline, here on virtual time, covers the body too and frees the exchange.
   */
  @Test
  void aBodyDrippedPastTheRequestTimeoutTimesOut() throws Exception {
    CountDownLatch headersSent = new CountDownLatch(1);
    server =
        LoopbackServer.start(
            ex -> {
              ex.sendResponseHeaders(200, 100);
              OutputStream out = ex.getResponseBody();
              out.write('x');
              out.flush();
              headersSent.countDown();
              await(release); // the other 99 bytes never come
            });
    VirtualTime time = new VirtualTime(Instant.parse("2026-12-06T00:00:00Z"));
    transport =
        Transport.builder()
            .withClock(time)
            .withScheduler(time)
            .withRequestTimeout(Duration.ofSeconds(30))
            .build();

    CompletableFuture<Response> f = transport.send(Request.get(server.uri("/drip")), context());
    await(headersSent);
    time.advance(Duration.ofSeconds(29));
    assertThat(f).as("within the deadline").isNotDone();
    time.advance(Duration.ofSeconds(1));

    TransportException e = failureOf(f);
    assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(e)
        .hasMessage(
            "GET http://127.0.0.1:"
                + server.uri("/").getPort()
                + "/drip: no complete response within PT30S");
  }

  @Test
  void aServerThatClosesWithoutAnsweringIsConnectionReset() throws Exception {
    // the handler returns without sending headers; the exchange's close() drops the connection
    server = LoopbackServer.start(ex -> {});
    transport = Transport.builder().build();

    TransportException e =
        failureOf(
            transport.send(
                Request.post(server.uri("/"), "text/plain", "x".getBytes(UTF8)), context()));

    assertThat(e.kind()).isEqualTo(FailureKind.CONNECTION_RESET);
  }

  @Test
  void anOversizedBodyWithContentLengthFailsAsTooLarge() throws Exception {
    server =
        LoopbackServer.start(ex -> LoopbackServer.respond(ex, 200, "text/plain", "x".repeat(2048)));
    transport = Transport.builder().withMaxResponseBytes(1024).build();

    TransportException e = failureOf(transport.send(Request.get(server.uri("/")), context()));

    assertThat(e.kind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
    assertThat(e).hasMessageContaining("1024");
  }

  @Test
  void anOversizedChunkedBodyFailsAsTooLarge() throws Exception {
    server =
        LoopbackServer.start(
            ex -> {
              ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to check up front
              try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 8; i++) {
                  out.write(new byte[512]);
                  out.flush();
                }
              } catch (java.io.IOException expectedWhenTheClientHangsUp) {
                // the client cancels once past the limit
              }
            });
    transport = Transport.builder().withMaxResponseBytes(1024).build();

    TransportException e = failureOf(transport.send(Request.get(server.uri("/")), context()));

    assertThat(e.kind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
  }

  @Test
  void aBodyExactlyAtTheLimitIsAccepted() throws Exception {
    server =
        LoopbackServer.start(ex -> LoopbackServer.respond(ex, 200, "text/plain", "y".repeat(1024)));
    transport = Transport.builder().withMaxResponseBytes(1024).build();

    Response r = transport.send(Request.get(server.uri("/")), context()).get(10, TimeUnit.SECONDS);

    assertThat(r.body()).hasSize(1024);
  }

  @Test
  void secretsNeverReachTheLogOrToString() throws Exception {
    server = LoopbackServer.start(ex -> LoopbackServer.respond(ex, 200, "text/plain", "ok"));
    transport = Transport.builder().build();
    Request request =
        Request.get(URI.create(server.uri("/rates") + "?from=2026-01-01&api_key=" + SECRET))
            .withHeader("Authorization", "Bearer " + SECRET)
            .withHeader("X-Api-Key", SECRET);

    try (CapturedLogs logs = CapturedLogs.of("dev.paritysync.core.http")) {
      Response r = transport.send(request, context()).get(10, TimeUnit.SECONDS);

      assertThat(logs.events()).hasSize(1);
      assertThat(logs.text())
          .contains("GET", "/rates", "from=2026-01-01", "-> 200", "api_key=[redacted]")
          .doesNotContain(SECRET);
      // the exact bytes: the (empty) body sent and the answer, and the trace next to the ids
      assertThat(logs.text())
          .contains(
              "trace_id=" + TraceContext.parse(context().traceparent()).traceId(),
              "body_sha256=" + BodyDigest.sha256(new byte[0]),
              "response_sha256=" + BodyDigest.sha256(r.body()));
    }
    assertThat(request.headers().toString()).contains("[redacted]").doesNotContain(SECRET);
    assertThat(request.toString()).doesNotContain(SECRET);
  }

  @Test
  void failuresAreLoggedWithTheirKind() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    transport = Transport.builder().build();
    try (CapturedLogs logs = CapturedLogs.of("dev.paritysync.core.http")) {
      failureOf(
          transport.send(
              Request.get(URI.create("http://127.0.0.1:" + port + "/?token=" + SECRET))
                  .withHeader("Authorization", "Basic " + SECRET),
              context()));

      assertThat(logs.text()).contains("CONNECT_REFUSED").doesNotContain(SECRET);
    }
  }

  @Test
  void sendAfterCloseIsRejected() {
    transport = Transport.builder().build();
    transport.close();

    assertThatThrownBy(
            () -> transport.send(Request.get(URI.create("http://127.0.0.1:1/")), context()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void builderRejectsNonPositiveTimeouts() {
    assertThatThrownBy(() -> Transport.builder().withRequestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("request timeout");
    assertThatThrownBy(() -> Transport.builder().withConnectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connect timeout");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
