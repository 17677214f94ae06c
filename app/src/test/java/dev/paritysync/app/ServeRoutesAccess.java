package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.server.Routes;
import dev.paritysync.app.telemetry.Metrics;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Opens {@link ServeCommand#routes} to tests in other packages: the routes as serve wires them. */
public final class ServeRoutesAccess {
  private ServeRoutesAccess() {}

  /** {@link ServeCommand#routes}. */
  public static List<Routes> routes(
      EngineFileConfig cfg,
      Database db,
      HotelEngine engine,
      Clock clock,
      Metrics metrics,
      OpenTelemetry otel,
      BooleanSupplier draining) {
    return ServeCommand.routes(cfg, db, engine, clock, metrics, otel, draining);
  }

  /** {@link ServeCommand#routes} without metrics or traces. */
  public static List<Routes> routes(
      EngineFileConfig cfg,
      Database db,
      HotelEngine engine,
      Clock clock,
      BooleanSupplier draining) {
    return routes(
        cfg, db, engine, clock, Metrics.applicationOnly(), OpenTelemetry.noop(), draining);
  }
}
