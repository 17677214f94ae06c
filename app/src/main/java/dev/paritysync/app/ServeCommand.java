package dev.paritysync.app;

import dev.paritysync.app.admin.ChannelAdmin;
import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.config.ServerConfig;
import dev.paritysync.app.server.AdminRoutes;
import dev.paritysync.app.server.ApiServer;
import dev.paritysync.app.server.ChangesRoutes;
import dev.paritysync.app.server.HealthRoutes;
import dev.paritysync.app.server.MetricsRoutes;
import dev.paritysync.app.server.OpenApiRoutes;
import dev.paritysync.app.server.ReservationsRoutes;
import dev.paritysync.app.server.Routes;
import dev.paritysync.app.server.WebhookRoutes;
import dev.paritysync.app.telemetry.ClusterMetrics;
import dev.paritysync.app.telemetry.Metrics;
import dev.paritysync.app.telemetry.Telemetry;
import dev.paritysync.app.ui.UiRoutes;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.webhook.WebhookVerifier;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.poll.WebhookIntake;
import dev.paritysync.store.Database;
import dev.paritysync.store.cluster.Cluster;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paritysync serve}: the hotel engine with its HTTP API (PMS ingest, reservation webhooks,
 * admin, metrics, health), until SIGTERM or SIGINT.
 *
 * <p>Shutdown, in order: the server stops accepting (new requests get 503) and lets the requests in
 * progress finish ({@code server.drain}); the engine's loops stop and the deliveries in progress
 * finish ({@code server.shutdownDeadline}), what is left stays leased and is taken again at the
 * next start; then the database closes, {@code stopped} is printed and, after a signal, the process
 * exits 0 ({@link SignalExit}). A change answered 202 is committed before the answer, so no step
 * loses one.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the hotel engine with its HTTP API until SIGTERM/SIGINT: POST /v1/changes, webhooks,",
      "/admin/v1, the web UI at /ui, /metrics, /health/live, /health/ready, /openapi.json.",
      "See docs/api.md and docs/ui.md."
    })
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "the YAML configuration file")
  Path config;

  @Option(
      names = "--port",
      description = "the port to listen on, overriding server.port (0: any free port)")
  @Nullable Integer port;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Duration shutdownWait = Duration.ofSeconds(60);
  private volatile boolean drained;

  /** Where progress lines go; tests read them. */
  PrintStream out = System.out;

  /** Whether to stop on SIGTERM/SIGINT; tests call {@link #stop()} instead. */
  boolean onSignals = true;

  @Override
  public Integer call() throws Exception {
    EngineFileConfig cfg = EngineFileConfig.load(config, SecretResolver.system());
    ServerConfig server = cfg.server();
    if (port != null && (port < 0 || port > 65535)) {
      throw new IllegalArgumentException("--port: " + port + " is not in 0..65535");
    }
    PrintStream out = this.out;
    shutdownWait = server.drain().plus(server.shutdownDeadline()).plusSeconds(10);
    SignalExit.Registration hook =
        SignalExit.register(onSignals, this::onSignal, "paritysync-shutdown");
    try {
      Clock clock = Clock.system();
      // Telemetry outlives the engine, so the last spans are flushed after the last delivery.
      try (Metrics metrics = Metrics.withJvm();
          Telemetry telemetry = Telemetry.start(cfg.telemetry());
          EngineHost host =
              EngineHost.open(
                  cfg,
                  clock,
                  server.shutdownDeadline(),
                  2,
                  List.of("classpath:db/migration/api"),
                  b ->
                      b.withMeterRegistry(metrics.registry())
                          .withOpenTelemetry(telemetry.openTelemetry()),
                  out)) {
        HotelEngine engine = host.engine();
        ClusterAdmin cluster = clusterAdmin(cfg, host.db(), engine, host.cluster(), clock);
        observe(metrics, cluster, host, server, clock);
        ApiServer[] api = new ApiServer[1];
        ApiServer.Builder builder =
            ApiServer.builder()
                .withHost(server.host())
                .withPort(port != null ? port : server.port())
                .withMaxBodyBytes(server.maxBodyBytes())
                .withSlowPeers(server.slowPeers())
                .withLimits(server.limits())
                .withDrain(server.drain());
        List<Routes> mounted =
            routes(
                cfg,
                host.db(),
                engine,
                clock,
                metrics,
                telemetry.openTelemetry(),
                () -> api[0].draining(),
                cluster);
        mounted.forEach(builder::withRoutes);
        api[0] = builder.build();
        listen(api[0], server);
        host.start();
        try (ApiServer http = api[0]) {
          serveUntilStopped(http, server, engine, host);
        }
        // Drained: nothing waits for a group commit any more; a straggler is answered 503.
        mounted.stream()
            .filter(ChangesRoutes.class::isInstance)
            .forEach(r -> ((ChangesRoutes) r).close());
        out.println("stopping: finishing deliveries (up to " + server.shutdownDeadline() + ")");
        out.flush();
      }
      out.println("stopped");
      out.flush();
      drained = true;
    } finally {
      stopped.countDown();
      hook.close();
    }
    return 0;
  }

  /** Cluster gauges refreshed before each scrape, escalation meters, idempotency-key pruning. */
  private static void observe(
      Metrics metrics, ClusterAdmin cluster, EngineHost host, ServerConfig server, Clock clock) {
    ClusterMetrics gauges =
        new ClusterMetrics(
            metrics.registry(), cluster::view, clock, ClusterMetrics.DEFAULT_MAX_AGE);
    metrics.beforeScrape(gauges::refresh);
    host.meterEscalation(metrics.registry());
    host.addPruning(
        "idempotency keys older than " + server.idempotencyWindow(),
        () -> ChangesRoutes.pruneIdempotencyKeys(host.db(), clock, server.idempotencyWindow()));
  }

  /** Starts {@code api} on the configured (or {@code --port}) port, naming the key that set it. */
  private void listen(ApiServer api, ServerConfig server) {
    int listenOn = port != null ? port : server.port();
    String key = port != null ? "--port" : "server.port";
    checkFree(key, server.host(), listenOn);
    try {
      api.start();
    } catch (Exception e) { // Javalin rethrows Jetty's checked exceptions unchecked
      throw new IllegalArgumentException(
          key + ": cannot listen on " + server.host() + ":" + listenOn + " (" + e + ")", e);
    }
  }

  /** Says where it serves, then waits for the stop signal. */
  private void serveUntilStopped(
      ApiServer http, ServerConfig server, HotelEngine engine, EngineHost host)
      throws InterruptedException {
    out.println(
        "serving http://"
            + server.host()
            + ":"
            + http.port()
            + " channels="
            + engine.channels()
            + " database="
            + host.db().config());
    out.flush();
    stop.await();
    out.println("stopping: draining requests (up to " + server.drain() + ")");
    out.flush();
  }

  /**
   * The cluster's view for {@code /admin/v1/cluster} and {@code /metrics}: read from the database,
   * with the quota keys of the shared table when the cluster shares quotas (PostgreSQL), else the
   * keys of this process's engine (one process: its quota is in its memory).
   */
  static ClusterAdmin clusterAdmin(
      EngineFileConfig cfg, Database db, HotelEngine engine, Cluster cluster, Clock clock) {
    java.time.Duration aliveWithin = cfg.cluster().aliveWithin();
    if (cluster.shared()) {
      return ClusterAdmin.of(db, clock, aliveWithin);
    }
    return localCluster(db, engine, clock, aliveWithin);
  }

  /** The cluster's view of one process: its quota keys are those of its engine, in its memory. */
  static ClusterAdmin localCluster(
      Database db, HotelEngine engine, Clock clock, java.time.Duration aliveWithin) {
    QuotaGate quotas = engine.quotas();
    return new ClusterAdmin(
        db,
        clock,
        aliveWithin,
        () -> engine.channels().stream().flatMap(c -> quotas.used(c).stream()).toList());
  }

  /** As below, the cluster's view read from {@code db} under {@code cluster.heartbeat}. */
  static List<Routes> routes(
      EngineFileConfig cfg,
      Database db,
      HotelEngine engine,
      Clock clock,
      Metrics metrics,
      OpenTelemetry otel,
      BooleanSupplier draining) {
    return routes(
        cfg,
        db,
        engine,
        clock,
        metrics,
        otel,
        draining,
        ClusterAdmin.of(db, clock, cfg.cluster().aliveWithin()));
  }

  /**
   * Every route group {@code serve} mounts, in order. {@code /openapi.json} documents exactly these
   * (a test holds the two equal).
   */
  static List<Routes> routes(
      EngineFileConfig cfg,
      Database db,
      HotelEngine engine,
      Clock clock,
      Metrics metrics,
      OpenTelemetry otel,
      BooleanSupplier draining,
      ClusterAdmin cluster) {
    ServerConfig server = cfg.server();
    Map<String, WebhookVerifier> verifiers = new LinkedHashMap<>();
    WebhookIntake intake = null;
    if (!cfg.webhooks().isEmpty()) {
      WebhookIntake.Builder b =
          WebhookIntake.builder()
              .withDatabase(db)
              .withClock(clock)
              .withIngest(engine.ingest())
              .withMaxJsonDepth(server.limits().maxJsonDepth())
              .withMaxStayNights(server.limits().maxStayNights());
      cfg.webhooks()
          .forEach(
              (name, webhook) -> {
                b.withChannel(name, channel(cfg, name).mapping());
                verifiers.put(name, webhook.verifier(clock));
              });
      intake = b.build();
    }
    List<Routes> admin =
        adminAndUi(
            server.adminToken().orElse(null),
            engine,
            db,
            clock,
            cfg.reconciliation(),
            cfg.portfolio().properties().stream().map(p -> p.code()).toList(),
            cluster);
    return List.of(
        new ChangesRoutes(
            db,
            engine.ingest(),
            clock,
            server.maxBodyBytes(),
            server.idempotencyWindow(),
            otel.getPropagators().getTextMapPropagator(),
            server.apiToken().orElse(null),
            server.limits(),
            server.groupCommit()),
        new ReservationsRoutes(db, server.apiToken().orElse(null)),
        new WebhookRoutes(intake, verifiers, server.maxBodyBytes()),
        admin.get(0),
        admin.get(1),
        new MetricsRoutes(metrics),
        new HealthRoutes(db, draining),
        new OpenApiRoutes());
  }

  /**
   * The admin API and the web UI over {@code engine} and {@code db}, both guarded by {@code
   * adminToken} (null: both off), in the order {@code serve} mounts them; {@code demo --ui} mounts
   * the same two.
   */
  static List<Routes> adminAndUi(
      @Nullable Secret adminToken,
      HotelEngine engine,
      Database db,
      Clock clock,
      EngineFileConfig.Reconciliation reconciliation,
      List<String> properties,
      ClusterAdmin cluster) {
    return List.of(
        new AdminRoutes(adminToken, engine, db, clock, reconciliation, properties, cluster),
        new UiRoutes(
            adminToken,
            new UiRoutes.Backends(
                new ChannelAdmin(engine, db),
                new QueueAdmin(db, clock),
                new ReconcileAdmin(engine, db, clock, reconciliation, properties),
                db,
                cluster),
            clock));
  }

  /**
   * Fails with one line naming {@code key} when {@code host:port} cannot be bound (in use, or not
   * an address of this machine): Jetty's own failure hides the cause behind its stop.
   */
  private static void checkFree(String key, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          key + ": cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
    }
  }

  /** The channel {@code name} a webhook block belongs to; the loader checked that it exists. */
  private static ChannelConfig channel(EngineFileConfig cfg, String name) {
    return Objects.requireNonNull(
        cfg.channels().get(name), () -> "webhooks: no channel " + name + " in channels");
  }

  /** Begins the shutdown a signal begins. */
  void stop() {
    stop.countDown();
  }

  private void onSignal() {
    stop.countDown();
    SignalExit.afterStop(stopped, () -> drained, shutdownWait, System.err);
  }
}
