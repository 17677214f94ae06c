package dev.paritysync.store.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Dialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One database of a dialect for one test, opened as often as the test needs ({@link #open()}: each
 * a separate pool, as separate processes would have), and removed on {@link #close()}.
 *
 * <p>SQLite: a file in the given directory. PostgreSQL: a schema of its own, created on the server
 * named by {@value #POSTGRES_URL_ENV} and dropped with everything in it on close; the test is
 * skipped with a message when the variable is not set. Not thread-safe: open and close from the
 * test's thread.
 */
public final class TestDatabases implements AutoCloseable {
  /** The variable naming the PostgreSQL server tests may use, e.g. {@code jdbc:postgresql://…}. */
  public static final String POSTGRES_URL_ENV = "PARITYSYNC_PG_URL";

  private final String url;
  private final String schema;
  private final List<Database> opened = new ArrayList<>();

  private TestDatabases(String url, String schema) {
    this.url = url;
    this.schema = schema;
  }

  /**
   * Skips the calling test, saying {@code what} is skipped, unless {@value #POSTGRES_URL_ENV} is
   * set; returns the URL otherwise.
   */
  public static String assumePostgres(String what) {
    String url = System.getenv(POSTGRES_URL_ENV);
    assumeTrue(url != null && !url.isBlank(), POSTGRES_URL_ENV + " is not set: skipping " + what);
    return url;
  }

  /**
   * A fresh database of {@code dialect}: a SQLite file in {@code dir}, or a new PostgreSQL schema
   * (skipping the test when no server is configured).
   */
  public static TestDatabases fresh(Dialect dialect, Path dir) {
    if (dialect == Dialect.SQLITE) {
      return new TestDatabases(
          "jdbc:sqlite:" + dir.resolve("test-" + UUID.randomUUID() + ".db"), null);
    }
    String server = assumePostgres("the PostgreSQL run of this test");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(server, "CREATE SCHEMA " + schema);
    String sep = server.contains("?") ? "&" : "?";
    return new TestDatabases(server + sep + "currentSchema=" + schema, schema);
  }

  /**
   * Opens (and migrates, the first time) another pool on this database; closed by {@link #close()}.
   */
  public Database open() {
    Database db = Database.open(DatabaseConfig.builder().withUrl(url).build());
    opened.add(db);
    return db;
  }

  /** Closes every pool opened here and drops the PostgreSQL schema. */
  @Override
  public void close() {
    opened.forEach(Database::close);
    opened.clear();
    if (schema != null) {
      execute(System.getenv(POSTGRES_URL_ENV), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + POSTGRES_URL_ENV, e);
    }
  }
}
