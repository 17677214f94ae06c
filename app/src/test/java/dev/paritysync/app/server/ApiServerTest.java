package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's error documents, health and draining stop, over real HTTP on loopback. */
class ApiServerTest {
  /** How often a wait on a real server or process looks again. */
  private static final long POLL = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);

  @TempDir Path dir;
  ApiFixture f;
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() {
    f = new ApiFixture(dir);
    ApiServer[] self = new ApiServer[1];
    self[0] =
        f.start(
            ApiServer.builder()
                .withDrain(Duration.ofSeconds(30))
                .withRoutes(new HealthRoutes(f.db, () -> self[0].draining()))
                .withRoutes(
                    app -> {
                      app.get(
                          "/boom",
                          ctx -> {
                            throw new IllegalStateException("secret internals");
                          });
                      app.get(
                          "/slow",
                          ctx -> {
                            entered.countDown();
                            release.await(30, TimeUnit.SECONDS);
                            ctx.result("done");
                          });
                    }));
  }

  @AfterEach
  void stop() {
    release.countDown();
    f.close();
  }

  @Test
  void everyErrorIsAProblemDocument() {
    HttpResponse<String> missing = f.get("/nowhere");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    JsonNode doc = ApiFixture.json(missing);
    assertThat(doc.get("status").asInt()).isEqualTo(404);
    assertThat(doc.get("title").asText()).isEqualTo("Not found");
    assertThat(doc.get("detail").asText()).contains("/nowhere");

    HttpResponse<String> boom = f.get("/boom");
    assertThat(boom.statusCode()).isEqualTo(500);
    assertThat(boom.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    assertThat(boom.body()).doesNotContain("secret internals");
  }

  @Test
  void healthIsLiveAndReadyWithTheDatabaseMigrated() {
    HttpResponse<String> live = f.get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(ApiFixture.json(live).get("status").asText()).isEqualTo("up");

    HttpResponse<String> ready = f.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode checks = ApiFixture.json(ready).get("checks");
    assertThat(checks.get("database").asText()).isEqualTo("up");
    assertThat(checks.get("migrations").asText()).isEqualTo("up");
    assertThat(checks.get("writable").asText()).isEqualTo("up");
  }

  @Test
  void notReadyWhenTheDatabaseFileWasDeleted() throws Exception {
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(f.file + suffix));
    }

    HttpResponse<String> ready = f.get("/health/ready");

    assertThat(ready.statusCode()).isEqualTo(503);
    JsonNode checks = ApiFixture.json(ready).get("checks");
    assertThat(checks.get("database").asText()).isEqualTo("up");
    assertThat(checks.get("writable").asText()).isEqualTo("down");
  }

  @Test
  void notReadyWhenTheDatabaseIsGone() {
    f.db.close();

    HttpResponse<String> ready = f.get("/health/ready");

    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ApiFixture.json(ready).get("checks").get("database").asText()).isEqualTo("down");
  }

  @Test
  void closeRefusesNewRequestsAndLetsThoseInProgressFinish() throws Exception {
    CompletableFuture<HttpResponse<String>> slow =
        CompletableFuture.supplyAsync(() -> f.get("/slow"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(f.server::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!f.server.draining()) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      LockSupport.parkNanos(POLL);
    }
    HttpResponse<String> refused = f.send(HttpRequest.newBuilder(f.uri("/boom")).GET());
    HttpResponse<String> ready = f.get("/health/ready");

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(ApiFixture.json(refused).get("title").asText()).isEqualTo("Shutting down");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ApiFixture.json(ready).get("checks").get("accepting").asText()).isEqualTo("down");
    assertThat(closing).isNotDone();

    release.countDown();

    assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
    closing.get(30, TimeUnit.SECONDS);
  }

  @Test
  void closeStopsTheServerEvenWhenAClientHoldsAConnectionPastTheDrain() throws Exception {
    ApiServer server =
        ApiServer.builder()
            .withDrain(Duration.ofMillis(1))
            .withRoutes(new HealthRoutes(f.db, () -> false))
            .build()
            .start();
    int port = server.port();
    try (Socket held = new Socket(InetAddress.getLoopbackAddress(), port)) {
      // the whole answer is read and the connection kept open: Jetty knows it, idle, past 1 ms
      InputStream in = live(held);

      server.close();

      assertThat(in.read()).as("the held connection is closed by the server").isEqualTo(-1);
    }
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    // Jetty's own 30 s applied between requests before, and a request ending as the server
    // stopped put it back on its connection, which then held close() for the whole drain.
    ApiServer server =
        ApiServer.builder()
            .withSlowPeers(new SlowPeers(Duration.ofMillis(300), 1024, 16))
            .withRoutes(new HealthRoutes(f.db, () -> false))
            .build()
            .start();
    try (Socket held = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      InputStream in = live(held);

      assertThat(in.read()).as("the idle connection is closed by the server").isEqualTo(-1);
    } finally {
      server.close();
    }
  }

  /**
   * Sends {@code GET /health/live} on {@code held}, reads its whole 200 answer and returns the
   * stream, the connection still open (reads time out after 10 s).
   */
  private static InputStream live(Socket held) throws Exception {
    held.setSoTimeout(10_000);
    OutputStream out = held.getOutputStream();
    out.write(
        "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    InputStream in = held.getInputStream();
    assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
    return in;
  }

  /** One HTTP/1.1 response with a {@code Content-Length} body, as text. */
  private static String readResponse(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("the response ended inside its head: %s", head).isNotEqualTo(-1);
      head.append((char) b);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    assertThat(length.find()).as("no Content-Length in %s", head).isTrue();
    byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
    return head + new String(body, StandardCharsets.UTF_8);
  }
}
