package dev.paritysync.app.server;

import dev.paritysync.app.telemetry.Metrics;
import io.javalin.config.RoutesConfig;
import java.util.Objects;

/**
 * {@code GET /metrics}: every meter of {@link Metrics} in the Prometheus text format (see {@code
 * docs/operations.md#metrics}). No token: put the port behind the network policy a Prometheus
 * scrape needs. Thread-safe, as {@link Metrics} is.
 */
public final class MetricsRoutes implements Routes {
  private final Metrics metrics;

  /** Serves {@code metrics}. */
  public MetricsRoutes(Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape()));
  }
}
