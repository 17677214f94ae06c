package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.app.testing.RunsAlone;
import dev.paritysync.core.config.ConfigMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris over real loopback: before these bounds, 260 connections that sent their headers and
 * then a byte of body a second parked every Jetty thread, and {@code /health/live} and ingest timed
 * out. Now the requests beyond {@code maxConcurrentRequests} are answered 503 at once, the slow
 * bodies 408, and health and a normal client are answered throughout.
 */
@RunsAlone
class SlowPeersTest {
  @TempDir Path dir;
  ApiFixture f;
  final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (f != null) {
      f.close();
    }
  }

  @Test
  void threeHundredSlowBodiesNeitherStallHealthNorAWellBehavedClient() throws Exception {
    f = new ApiFixture(dir);
    ChangesRoutes routes =
        new ChangesRoutes(
            f.db,
            f.engine.ingest(),
            f.time,
            1 << 20,
            Duration.ofHours(24),
            io.opentelemetry.context.propagation.TextMapPropagator.noop(),
            null,
            ApiLimits.DEFAULTS);
    f.start(
        ApiServer.builder()
            .withSlowPeers(new SlowPeers(Duration.ofSeconds(5), 1024, 16))
            .withRoutes(routes)
            .withRoutes(new HealthRoutes(f.db, () -> false)));
    byte[] head =
        ("POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n{")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 300; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 2_000);
      s.getOutputStream().write(head);
      s.getOutputStream().flush();
      sockets.add(s);
    }
    for (Socket s : sockets) {
      drip(s);
    }
    HttpResponse<String> live =
        f.send(HttpRequest.newBuilder(f.uri("/health/live")).timeout(Duration.ofSeconds(2)).GET());
    assertThat(live.statusCode()).as("liveness beside 300 slow bodies").isEqualTo(200);
    HttpResponse<String> ingest =
        f.send(
            HttpRequest.newBuilder(f.uri("/v1/changes"))
                .timeout(Duration.ofSeconds(2))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"changes\":[" + HostileChangesTest.HEAD + "\"availability\":3}]}")));
    assertThat(ingest.statusCode()).as("a normal client: %s", ingest.body()).isIn(202, 503);
    if (ingest.statusCode() == 503) {
      assertThat(ingest.headers().firstValue("Retry-After")).hasValue("1");
    }
    long busy = 0;
    for (Socket s : sockets) {
      String line = statusLine(s, 10_000);
      assertThat(line)
          .as("every slow request is answered or closed, none left hanging")
          .isNotNull();
      busy += line.startsWith("HTTP/1.1 503") ? 1 : 0;
    }
    // 16 at a time are admitted; a slot comes free as a slow body is cut (408) or its client
    // closed, so a few more than 16 get in over the run, and the rest are refused at once
    assertThat(busy).as("beyond those admitted, refused at once").isGreaterThan(200);
  }

  @Test
  void theKeysAreReadAndCheckedWithTheirNames() {
    SlowPeers p =
        SlowPeers.parse(
            new ConfigMap(
                "server",
                Map.of(
                    "idleTimeout", "3s", "minRequestDataRate", 512, "maxConcurrentRequests", 8)));
    assertThat(p).isEqualTo(new SlowPeers(Duration.ofSeconds(3), 512, 8));
    assertThat(SlowPeers.parse(new ConfigMap("server", Map.of()))).isEqualTo(SlowPeers.DEFAULTS);
    assertThatThrownBy(() -> new SlowPeers(Duration.ofSeconds(1), 0, 500))
        .hasMessage(
            "server.maxConcurrentRequests: must be in 1..200 (the server has 250 threads), was"
                + " 500");
    assertThatThrownBy(() -> new SlowPeers(Duration.ofMillis(10), 0, 5))
        .hasMessageStartingWith("server.idleTimeout: must be at least 100ms");
  }

  private static void drip(Socket s) {
    try {
      OutputStream out = s.getOutputStream();
      out.write(' ');
      out.flush();
    } catch (IOException closedByTheServer) {
      // what the server does to a slow client
    }
  }

  /**
   * The first line the server answered on {@code s}, empty when it closed without one, null when it
   * said nothing for {@code millis}.
   */
  private static String statusLine(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    InputStream in = s.getInputStream();
    StringBuilder line = new StringBuilder();
    try {
      for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
        line.append((char) c);
      }
    } catch (java.net.SocketTimeoutException hanging) {
      return null;
    } catch (IOException reset) {
      return line.toString();
    }
    return line.toString();
  }
}
