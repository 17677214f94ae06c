package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.server.Routes;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
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
      BooleanSupplier draining) {
    return ServeCommand.routes(cfg, db, engine, clock, draining);
  }
}
