package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.demo.EngineDemo;
import dev.paritysync.app.server.ApiServer;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.Thresholds;
import dev.paritysync.store.Database;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * {@code demo --ui}: after the report, the web UI and the admin API it reads (mounted as {@code
 * serve} mounts them) over the demo's still-running engine, on loopback, guarded by an admin token
 * drawn for this run, until {@link #stop()}.
 */
final class DemoUi implements EngineDemo.Hold {
  static final String HOST = "127.0.0.1";

  /** How long requests in progress may take to finish once stopping. */
  static final Duration DRAIN = Duration.ofSeconds(2);

  private final int port;
  private final PrintStream out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile boolean serving;

  /** The UI on {@code port} of {@value #HOST} (0: a free port), announced on {@code out}. */
  DemoUi(int port, PrintStream out) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--ui-port: " + port + " is not in 0..65535");
    }
    this.port = port;
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void hold(HotelEngine engine, Database db, Clock clock, Portfolio portfolio)
      throws InterruptedException {
    String token = token();
    ApiServer.Builder builder = ApiServer.builder().withHost(HOST).withPort(port).withDrain(DRAIN);
    ServeCommand.adminAndUi(
            Secret.of(token),
            engine,
            db,
            clock,
            new EngineFileConfig.Reconciliation(Thresholds.DEFAULTS, Map.of()),
            portfolio.properties().stream().map(Property::code).toList(),
            ServeCommand.localCluster(
                db, engine, clock, EngineFileConfig.ClusterConfig.DEFAULTS.aliveWithin()))
        .forEach(builder::withRoutes);
    ApiServer server;
    try {
      server = builder.build().start();
    } catch (RuntimeException e) { // Javalin rethrows Jetty's checked exceptions unchecked
      throw new IllegalArgumentException(
          "--ui-port: cannot listen on " + HOST + ":" + port + " (" + e + ")", e);
    }
    try (server) {
      out.printf(
          "UI: http://%s:%d/ui  (admin token: %s; Ctrl-C stops)%n", HOST, server.port(), token);
      out.println("    the engine and the simulators keep running until then");
      out.flush();
      serving = true;
      stop.await();
      out.println("stopping: draining requests (up to " + DRAIN.toSeconds() + " s)");
      out.flush();
    }
    out.println("stopping: the engine, the simulators and the database");
    out.flush();
  }

  /** Whether the UI is up: a signal before it comes during the demo, which it ends as before. */
  boolean serving() {
    return serving;
  }

  /** Ends {@link #hold}: the server drains, then the demo stops its engine and simulators. */
  void stop() {
    stop.countDown();
  }

  /** 128 random bits from {@link SecureRandom}, in hex. */
  static String token() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
