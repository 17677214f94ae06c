package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paritysync serve} end to end, in this JVM: a change posted to the API reaches a simulated
 * channel over loopback, and a stop (what SIGTERM does) drains and exits 0.
 */
class ServeCommandTest {
  /** How often a wait on a real server or process looks again. */
  private static final long POLL = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);

  @TempDir Path dir;

  @Test
  void servesIngestDeliversAndStopsCleanly() throws Exception {
    Clock clock = Clock.system();
    LocalDate night = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(3);
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), clock)) {
      Path config = dir.resolve("paritysync.yaml");
      Files.writeString(
          config,
          "database: {url: \"jdbc:sqlite:"
              + dir.resolve("serve.db")
              + "\"}\n"
              + "portfolio:\n  properties:\n"
              + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
              + "channels:\n  a:\n    adapter: native\n    baseUrl: "
              + sim.baseUri()
              + "/\n    credentials: {apiKey: {header: X-Api-Key, value: \"${file:"
              + Files.writeString(dir.resolve("key"), "k")
              + "}\"}}\n"
              + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n"
              + "server: {port: 0, drain: 2s, shutdownDeadline: 5s}\n");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ServeCommand serve = new ServeCommand();
      serve.config = config;
      serve.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      serve.onSignals = false;
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> call(serve));

      URI base = awaitServing(bytes, exit);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/v1/changes"))
                      .header("Content-Type", "application/json")
                      .header("Idempotency-Key", "\"serve-1\"")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"changes\":[{\"property\":\"P1\",\"roomType\":\"DBL\","
                                  + "\"ratePlan\":\"BAR\",\"from\":\""
                                  + night
                                  + "\",\"to\":\""
                                  + night
                                  + "\",\"rate\":{\"amount\":\"99.00\",\"currency\":\"EUR\"}}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

      CellKey cell = new CellKey("D1", "R1", night);
      long deadline = clock.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (sim.state("P1").get(cell) == null) {
        assertThat(clock.nanoTime()).as("delivered to the channel").isLessThan(deadline);
        LockSupport.parkNanos(POLL);
      }
      assertThat(sim.state("P1").get(cell).rate()).isEqualByComparingTo("99.00");
      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("paritysync_cluster_workers{state=\"alive\"} 1")
          .contains("paritysync_cluster_worker_heartbeat_age_seconds{worker=\"paritysync-")
          .contains("paritysync_cluster_worker_batches_held{worker=\"paritysync-");

      serve.stop();

      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(bytes.toString(StandardCharsets.UTF_8))
          .contains("stopping: draining requests")
          .contains("stopping: finishing deliveries")
          .endsWith("stopped\n");
    }
  }

  @Test
  void aBusyPortIsOneLineNamingTheKey() throws Exception {
    Path config = dir.resolve("busy.yaml");
    Files.writeString(
        config,
        "database: {url: \"jdbc:sqlite:"
            + dir.resolve("busy.db")
            + "\"}\n"
            + "portfolio: {properties: {P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR:"
            + " EUR}}}}}}\n"
            + "channels: {a: {adapter: native, baseUrl: \"http://127.0.0.1:9/\", credentials:"
            + " {apiKey: {header: X-Api-Key, value: \"${file:"
            + Files.writeString(dir.resolve("key2"), "k")
            + "}\"}}, mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}}}\n");
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cl = Main.commandLine();
      cl.setErr(new java.io.PrintWriter(err, true));
      ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
      serve.onSignals = false;
      serve.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

      int code =
          cl.execute(
              "serve",
              "--config",
              config.toString(),
              "--port",
              String.valueOf(taken.getLocalPort()));

      assertThat(code).as(err.toString()).isEqualTo(2);
      assertThat(err.toString())
          .startsWith("paritysync: --port: cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  private static Integer call(ServeCommand serve) {
    try {
      return serve.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static URI awaitServing(ByteArrayOutputStream out, CompletableFuture<Integer> exit) {
    Pattern serving = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+) ");
    long deadline = Clock.system().nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Matcher m = serving.matcher(out.toString(StandardCharsets.UTF_8));
      if (m.find()) {
        return URI.create(m.group(1));
      }
      assertThat(exit).as("serve exited before serving").isNotDone();
      assertThat(Clock.system().nanoTime()).as("serving within 60 s").isLessThan(deadline);
      LockSupport.parkNanos(POLL);
    }
  }
}
