package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.server.AdminRoutes;
import dev.paritysync.app.server.ApiServer;
import dev.paritysync.app.server.MetricsRoutes;
import dev.paritysync.app.telemetry.ClusterMetrics;
import dev.paritysync.app.telemetry.Metrics;
import dev.paritysync.app.testing.TestDatabase;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.cluster.Cluster;
import dev.paritysync.store.cluster.SharedQuotas;
import dev.paritysync.store.cluster.WorkerRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cluster's view — {@code GET /admin/v1/cluster} over real loopback HTTP, {@code paritysync
 * cluster status} (text and {@code --json}) and the gauges of a {@code /metrics} scrape — with two
 * workers joined to one database: SQLite always, PostgreSQL when {@code PARITYSYNC_PG_URL} is set
 * (a fresh schema per test). Virtual time: the endpoint and the CLI read the same instant, so they
 * must print the same document.
 */
class ClusterStatusTest {
  private static final String TOKEN = "admin-secret";

  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void theEndpointAndTheCliShowTheSameWorkersLeasesQuotasAndCircuits(TestDatabase.Kind kind)
      throws Exception {
    try (TestDatabase store = TestDatabase.open(kind, dir);
        Transport transport = Transport.builder().withClock(time).build()) {
      Path file = dir.resolve("paritysync.yaml");
      Files.writeString(file, yaml(store.url));
      EngineFileConfig cfg = EngineFileConfig.load(file, SecretResolver.system());
      Cluster alpha = Cluster.join(store.db, time, time, "alpha", cfg.cluster().heartbeat());
      Cluster beta = Cluster.join(store.db, time, time, "beta", cfg.cluster().heartbeat());
      alpha.leases().tryHold("prune", alpha.workerId(), Duration.ofSeconds(30));
      beta.leases().tryHold("poller:cx", beta.workerId(), Duration.ofSeconds(30));
      QuotaKey key = new QuotaKey("cx", "P1", "ari");
      SharedQuotas quotas =
          new SharedQuotas(
              store.db,
              time,
              Quotas.builder(time)
                  .withLimits("cx", "ari", List.of(QuotaLimit.parse("10/1m")))
                  .build());
      assertThat(quotas.tryTake(key, 3)).isZero();
      quotas.pauseUntil(key, time.instant().plusSeconds(20));
      alpha.circuits().open("cx", "ari", time.instant().plusSeconds(30));
      time.advance(Duration.ofSeconds(2));
      beta.close(); // an orderly stop: registered, not alive
      time.advance(Duration.ofMillis(500));

      try (HotelEngine engine = engine(store, cfg, transport);
          ApiServer server =
              ApiServer.builder()
                  .withPort(0)
                  .withRoutes(
                      new AdminRoutes(
                          Secret.of(TOKEN),
                          engine,
                          store.db,
                          time,
                          cfg.reconciliation(),
                          List.of("P1"),
                          ClusterAdmin.of(store.db, time, cfg.cluster().aliveWithin())))
                  .build()
                  .start()) {
        HttpResponse<String> r = get(server, "/admin/v1/cluster");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode view = new ObjectMapper().readTree(r.body());

        assertWorkersLeasesQuotasAndCircuits(view, alpha, beta);

        assertThat(get(server, "/admin/v1/cluster?verbose=1").statusCode()).isEqualTo(400);

        assertThat(new ObjectMapper().readTree(cli(file, "--json"))).isEqualTo(view);
        assertThat(cli(file))
            .contains("workers: 1 alive, 1 dead (at 2026-03-01T00:00:02.500Z)\n")
            .contains("  " + alpha.workerId() + "  alive  host=")
            .contains("  " + beta.workerId() + "  dead   host=")
            .contains("  prune  owner=" + alpha.workerId() + " expires=2026-03-01T00:00:30Z\n")
            .contains("  cx ari P1  available=7 limits=10/1m pausedUntil=2026-03-01T00:00:20Z\n")
            .contains("  cx ari  OPEN openUntil=2026-03-01T00:00:30Z probeOwner=- heldUntil=-\n");
      } finally {
        alpha.close();
      }
    }
  }

  /**
   * The view of the scene the test set up: alpha alive holding the prune lease, beta stopped, the
   * quota 3 taken and paused, the circuit open.
   */
  private static void assertWorkersLeasesQuotasAndCircuits(
      JsonNode view, Cluster alpha, Cluster beta) {
    assertThat(view.get("at").asText()).isEqualTo("2026-03-01T00:00:02.500Z");
    JsonNode workers = view.get("workers");
    assertThat(workers).hasSize(2);
    assertThat(workers.get(0).get("id").asText()).startsWith("alpha-");
    assertThat(workers.get(0).get("alive").asBoolean()).isTrue();
    assertThat(workers.get(0).get("heartbeatAgeSeconds").asDouble()).isEqualTo(0.5);
    assertThat(workers.get(0).get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(workers.get(0).get("batchesHeld").asInt()).isZero();
    assertThat(workers.get(1).get("id").asText()).isEqualTo(beta.workerId());
    assertThat(workers.get(1).get("alive").asBoolean()).isFalse();
    assertThat(workers.get(1).get("stopped").asText()).isEqualTo("2026-03-01T00:00:02Z");
    JsonNode singletons = view.get("singletons");
    assertThat(singletons).hasSize(1); // beta released poller:cx when it stopped
    assertThat(singletons.get(0).get("name").asText()).isEqualTo("prune");
    assertThat(singletons.get(0).get("owner").asText()).isEqualTo(alpha.workerId());
    assertThat(singletons.get(0).get("expires").asText()).isEqualTo("2026-03-01T00:00:30Z");
    JsonNode quota = view.get("quotas").get(0);
    assertThat(quota.get("channel").asText()).isEqualTo("cx");
    assertThat(quota.get("scope").asText()).isEqualTo("P1");
    assertThat(quota.get("endpoint").asText()).isEqualTo("ari");
    assertThat(quota.get("limits").get(0).asText()).isEqualTo("10/1m");
    assertThat(quota.get("available").asLong()).isEqualTo(7);
    assertThat(quota.get("pausedUntil").asText()).isEqualTo("2026-03-01T00:00:20Z");
    assertThat(quota.get("pausedSeconds").asDouble()).isEqualTo(17.5);
    JsonNode circuit = view.get("circuits").get(0);
    assertThat(circuit.get("state").asText()).isEqualTo("OPEN");
    assertThat(circuit.get("openUntil").asText()).isEqualTo("2026-03-01T00:00:30Z");
    assertThat(circuit.get("probeOwner").isNull()).isTrue();
  }

  @Test
  void aScrapeShowsTheClusterGaugesReadAtMostOnceEveryFiveSeconds() throws Exception {
    try (TestDatabase store = TestDatabase.sqlite(dir.resolve("metrics.db"));
        Metrics metrics = Metrics.applicationOnly()) {
      Cluster alpha = Cluster.join(store.db, time, time, "alpha", Duration.ofSeconds(5));
      QuotaKey key = new QuotaKey("cx", "P1", "ari");
      SharedQuotas quotas =
          new SharedQuotas(
              store.db,
              time,
              Quotas.builder(time)
                  .withLimits("cx", "ari", List.of(QuotaLimit.parse("10/1m")))
                  .build());
      quotas.tryTake(key, 4);
      quotas.pauseUntil(key, time.instant().plusSeconds(10));
      alpha.circuits().open("cx", "ari", time.instant().plusSeconds(30));
      ClusterAdmin admin = ClusterAdmin.of(store.db, time, Duration.ofSeconds(15));
      AtomicInteger reads = new AtomicInteger();
      ClusterMetrics gauges =
          new ClusterMetrics(
              metrics.registry(),
              () -> {
                reads.incrementAndGet();
                return admin.view();
              },
              time,
              ClusterMetrics.DEFAULT_MAX_AGE);
      metrics.beforeScrape(gauges::refresh);
      try (ApiServer server =
          ApiServer.builder().withPort(0).withRoutes(new MetricsRoutes(metrics)).build().start()) {
        String scrape = get(server, "/metrics").body();

        String worker = "worker=\"" + alpha.workerId() + "\"";
        assertThat(scrape)
            .contains("paritysync_cluster_workers{state=\"alive\"} 1")
            .contains("paritysync_cluster_workers{state=\"dead\"} 0")
            .contains("paritysync_cluster_worker_heartbeat_age_seconds{" + worker + "} 0")
            .contains("paritysync_cluster_worker_batches_held{" + worker + "} 0")
            .contains("paritysync_cluster_worker_state{" + worker + "} 0")
            .contains(
                "paritysync_quota_available_tokens{channel=\"cx\",endpoint=\"ari\",scope=\"P1\"} 6")
            .contains(
                "paritysync_quota_paused_seconds{channel=\"cx\",endpoint=\"ari\",scope=\"P1\"} 10")
            .contains("paritysync_cluster_circuit_state{channel=\"cx\",endpoint=\"ari\"} 2");
        assertThat(reads).hasValue(1);

        time.advance(Duration.ofSeconds(4)); // heartbeat not yet due; the cached view serves
        assertThat(get(server, "/metrics").body())
            .contains(
                "paritysync_quota_paused_seconds{channel=\"cx\",endpoint=\"ari\",scope=\"P1\"} 10");
        assertThat(reads).hasValue(1);

        time.advance(Duration.ofSeconds(2));
        alpha.close();
        assertThat(get(server, "/metrics").body())
            .contains("paritysync_cluster_workers{state=\"alive\"} 0")
            .contains("paritysync_cluster_workers{state=\"dead\"} 1")
            .contains(
                "paritysync_quota_paused_seconds{channel=\"cx\",endpoint=\"ari\",scope=\"P1\"} 4")
            .contains("paritysync_cluster_worker_state{" + worker + "} 1");
        assertThat(reads).hasValue(2);

        // A worker that neither heartbeats nor stops (killed, hung) turns silent: state 2.
        new WorkerRegistry(store.db, time).register("ghost", "elsewhere", 1);
        time.advance(Duration.ofSeconds(16));
        assertThat(get(server, "/metrics").body())
            .contains("paritysync_cluster_worker_state{worker=\"ghost\"} 2")
            .contains("paritysync_cluster_worker_state{" + worker + "} 1");
      }
    }
  }

  private String cli(Path config, String... more) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = Main.commandLine(time);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] args = new String[3 + more.length];
    args[0] = "cluster";
    args[1] = "status";
    args[2] = "--config=" + config;
    System.arraycopy(more, 0, args, 3, more.length);
    assertThat(cl.execute(args)).as(err.toString()).isZero();
    return out.toString();
  }

  private HttpResponse<String> get(ApiServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A run/serve configuration on {@code url}; the channel's key in a file, as the CLI reads it. */
  private String yaml(String url) throws Exception {
    return "database: {url: \""
        + url
        + "\"}\n"
        + "portfolio: {properties: {P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}}}\n"
        + "channels: {cx: {adapter: native, baseUrl: \"http://127.0.0.1:9/\", credentials:"
        + " {apiKey: {header: X-Api-Key, value: \"${file:"
        + Files.writeString(dir.resolve("key"), "k")
        + "}\"}}, mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}}}\n"
        + "cluster: {heartbeat: 2s}\n";
  }

  private HotelEngine engine(TestDatabase store, EngineFileConfig cfg, Transport transport) {
    return HotelEngine.builder()
        .withDatabase(store.db)
        .withClock(time)
        .withScheduler(time)
        .withTransport(transport)
        .withPortfolio(cfg.portfolio())
        .withChannels(cfg.channels())
        .build();
  }
}
