package dev.paritysync.app.testing;

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
 * A migrated database for one test: a real SQLite file, or (only when {@code PARITYSYNC_PG_URL}
 * names a server, such as {@code jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres}) a fresh
 * PostgreSQL schema of its own, dropped when the test closes it. Without the variable a PostgreSQL
 * test is skipped with a message saying so.
 */
public final class TestDatabase implements AutoCloseable {
  /** The environment variable naming the PostgreSQL server. */
  public static final String PG_ENV = "PARITYSYNC_PG_URL";

  /** The two kinds, for parameterised tests. */
  public enum Kind {
    SQLITE,
    POSTGRESQL
  }

  /** The JDBC URL a configuration file gives as {@code database.url}. */
  public final String url;

  /** The database, migrated with the hotel and API migrations. */
  public final Database db;

  private final Runnable drop;

  private TestDatabase(String url, Runnable drop) {
    this.url = url;
    this.drop = drop;
    Database opened;
    try {
      opened =
          Database.open(
              DatabaseConfig.builder()
                  .withUrl(url)
                  .withMigrations("classpath:db/migration/hotel")
                  .withMigrations("classpath:db/migration/api")
                  .build());
    } catch (RuntimeException e) {
      drop.run();
      throw e;
    }
    this.db = opened;
  }

  /** A database of {@code kind}; SQLite in {@code dir}. */
  public static TestDatabase open(Kind kind, Path dir) {
    return kind == Kind.SQLITE ? sqlite(dir.resolve("test.db")) : postgres();
  }

  /** A SQLite file. */
  public static TestDatabase sqlite(Path file) {
    return new TestDatabase("jdbc:sqlite:" + file, () -> {});
  }

  /** A fresh schema on {@code PARITYSYNC_PG_URL}; skips the test when it is not set. */
  public static TestDatabase postgres() {
    String url = System.getenv(PG_ENV);
    assumeTrue(
        url != null && !url.isBlank(),
        PG_ENV + " is not set: skipping this PostgreSQL test (e.g. jdbc:postgresql://…?user=…)");
    String schema = "app_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(url, "CREATE SCHEMA " + schema);
    String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new TestDatabase(scoped, () -> execute(url, "DROP SCHEMA " + schema + " CASCADE"));
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + PG_ENV + ": " + e, e);
    }
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
