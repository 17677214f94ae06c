package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The server's own answers — Jetty's 400/414/431, Javalin's 404/405, a 500 after an {@link Error} —
 * are RFC 9457 documents in UTF-8, and a client that leaves mid-upload is one DEBUG line; over real
 * HTTP (and raw sockets, for what no well-behaved client sends) on loopback.
 */
class ServerErrorPagesTest {
  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(5);

  @TempDir Path dir;
  ApiFixture f;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(ApiServer.class);
  Level level;

  @BeforeEach
  void start() {
    f = new ApiFixture(dir);
    f.start(
        ApiServer.builder()
            .withRoutes(
                app -> {
                  app.get(
                      "/utf8",
                      ctx -> {
                        throw new ProblemException(422, "Zu groß", "a rate must be ≥ 0, café");
                      });
                  app.get(
                      "/oom",
                      ctx -> {
                        throw new OutOfMemoryError("Java heap space (a test)");
                      });
                  app.post(
                      "/upload",
                      ctx -> ctx.result(RequestReading.body(ctx, 1 << 20).length + " bytes"));
                }));
    level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(logs);
    logger.setLevel(level);
    f.close();
  }

  /** Sends {@code request} as raw bytes and returns the whole answer (the server closes). */
  String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", f.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static JsonNode bodyOf(String response) throws IOException {
    return ApiFixture.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  static void assertProblem(String response, int status) throws IOException {
    assertThat(response).startsWith("HTTP/1.1 " + status);
    assertThat(response.toLowerCase(java.util.Locale.ROOT))
        .contains("content-type: application/problem+json;charset=utf-8");
    assertThat(bodyOf(response).get("status").asInt()).isEqualTo(status);
    assertThat(response).doesNotContain("<html").doesNotContain("at org.");
  }

  @Test
  void problemDocumentsAreUtf8() throws Exception {
    HttpResponse<byte[]> r =
        f.http.send(
            HttpRequest.newBuilder(f.uri("/utf8")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    // Strict decoding: ISO-8859-1 turned ≥ into ? and é into the lone byte 0xE9.
    String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(r.body())).toString();
    JsonNode doc = ApiFixture.JSON.readTree(text);
    assertThat(doc.get("title").asText()).isEqualTo("Zu groß");
    assertThat(doc.get("detail").asText()).isEqualTo("a rate must be ≥ 0, café");
  }

  @Test
  void jettysOwnRefusalsAreProblemDocuments() throws Exception {
    String uri = "/" + "u".repeat(10_000);
    assertProblem(raw("GET " + uri + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);

    String header = "X-Big: " + "h".repeat(10_000) + "\r\n";
    assertProblem(raw("GET /utf8 HTTP/1.1\r\nHost: x\r\n" + header + "\r\n"), 431);

    assertProblem(raw("GET /utf8 HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"), 400);
  }

  @Test
  void aWrongMethodIs405WithAllow() {
    HttpResponse<String> r =
        f.send(HttpRequest.newBuilder(f.uri("/upload")).PUT(HttpRequest.BodyPublishers.noBody()));

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    assertThat(ApiFixture.json(r).get("detail").asText())
        .isEqualTo("PUT is not allowed on /upload");
  }

  @Test
  void anErrorIsA500ProblemDocumentNotAnEmptyBody() {
    HttpResponse<String> r = f.get("/oom");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    assertThat(ApiFixture.json(r).get("detail").asText())
        .isEqualTo("the server failed; see its log");
    assertThat(r.body()).doesNotContain("heap");
  }

  @Test
  void aMalformedChunkSizeIs400() throws Exception {
    String response =
        raw(
            "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");

    assertProblem(response, 400);
    assertThat(logs.list).noneMatch(e -> e.getLevel() == Level.ERROR);
  }

  @Test
  void aClientLeavingMidUploadIsOneDebugLine() throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.server.port())) {
      s.getOutputStream()
          .write(
              ("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
                  .getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (logs.list.stream().noneMatch(e -> e.getLevel() == Level.DEBUG)) {
      assertThat(System.nanoTime()).as("a DEBUG line for the abort").isLessThan(deadline);
      LockSupport.parkNanos(POLL);
    }
    // The next request is served, so the aborted one is finished with.
    assertThat(f.get("/utf8").statusCode()).isEqualTo(422);
    assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    assertThat(logs.list.stream().filter(e -> e.getFormattedMessage().contains("ended early")))
        .hasSize(1)
        .allMatch(e -> e.getThrowableProxy() == null);
  }
}
