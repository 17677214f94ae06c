package dev.paritysync.hotel.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The databases the engine's tests run on. SQLite always; PostgreSQL only when {@code
 * PARITYSYNC_PG_URL} names a database (such as {@code
 * jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres}), each test in a fresh schema of its
 * own that is dropped when the test closes its database.
 */
public enum Backend {
  SQLITE,
  POSTGRESQL;

  static final String PG_ENV = "PARITYSYNC_PG_URL";

  /** A migrated database for one test; closing it also drops what the test created. */
  public EngineStore open(Path dir) {
    DatabaseConfig.Builder config =
        DatabaseConfig.builder().withMigrations("classpath:db/migration/hotel");
    if (this == SQLITE) {
      return new EngineStore(config.withSqliteFile(dir.resolve("engine.db")).build(), () -> {});
    }
    String url = System.getenv(PG_ENV);
    assumeTrue(
        url != null && !url.isBlank(),
        PG_ENV + " is not set: skipping the PostgreSQL run of the hotel engine tests");
    String schema =
        "hotel_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(url, "CREATE SCHEMA " + schema);
    String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new EngineStore(
        config.withUrl(scoped).build(), () -> execute(url, "DROP SCHEMA " + schema + " CASCADE"));
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + PG_ENV + ": " + e, e);
    }
  }

  /** An open database and what closing it must undo. */
  public static final class EngineStore implements AutoCloseable {
    public final Database db;
    private final Runnable drop;

    private EngineStore(DatabaseConfig config, Runnable drop) {
      Database opened;
      try {
        opened = Database.open(config);
      } catch (RuntimeException e) {
        drop.run();
        throw e;
      }
      this.db = opened;
      this.drop = drop;
    }

    @Override
    public void close() {
      try {
        db.close();
      } finally {
        drop.run();
      }
    }
  }
}
