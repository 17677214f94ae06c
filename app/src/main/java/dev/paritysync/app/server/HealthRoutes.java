package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.store.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health/live}: 200 while the process serves requests. {@code GET /health/ready}: 200
 * when the database answers, every migration is applied, a write can succeed ({@link
 * Database#verifyWritable}: the SQLite file is the one opened, and after a failed write an empty
 * one succeeds) and the server is not shutting down; 503 otherwise. Both answer JSON: {@code
 * {"status": "up"|"down", "checks": {...}}}; neither needs a token, and neither says more than up
 * or down about a failing check (the log does). Thread-safe: it holds only final references to
 * thread-safe parts.
 */
public final class HealthRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(HealthRoutes.class);

  private final Database db;
  private final BooleanSupplier draining;

  /** Health of {@code db}; {@code draining} says whether shutdown has begun. */
  public HealthRoutes(Database db, BooleanSupplier draining) {
    this.db = Objects.requireNonNull(db, "db");
    this.draining = Objects.requireNonNull(draining, "draining");
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.get("/health/live", ctx -> ctx.json(ApiServer.JSON.createObjectNode().put("status", "up")));
    app.get("/health/ready", this::ready);
  }

  private void ready(Context ctx) {
    ObjectNode checks = ApiServer.JSON.createObjectNode();
    boolean database = check("database", () -> db.read(c -> c.isValid(5)));
    checks.put("database", database ? "up" : "down");
    boolean migrations =
        database
            && check(
                "migrations",
                () -> {
                  List<String> pending = db.pendingMigrations();
                  if (!pending.isEmpty()) {
                    log.warn("not ready: migrations not applied: {}", pending);
                  }
                  return pending.isEmpty();
                });
    checks.put("migrations", migrations ? "up" : "down");
    boolean writable =
        database
            && check(
                "writable",
                () -> {
                  db.verifyWritable();
                  return true;
                });
    checks.put("writable", writable ? "up" : "down");
    boolean accepting = !draining.getAsBoolean();
    checks.put("accepting", accepting ? "up" : "down");
    boolean up = database && migrations && writable && accepting;
    ObjectNode doc = ApiServer.JSON.createObjectNode().put("status", up ? "up" : "down");
    doc.set("checks", checks);
    ctx.status(up ? 200 : 503).json(doc);
  }

  private static boolean check(String name, BooleanSupplier probe) {
    try {
      return probe.getAsBoolean();
    } catch (RuntimeException e) {
      log.warn("readiness check {} failed: {}", name, e.getMessage());
      return false;
    }
  }
}
