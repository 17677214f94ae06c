package dev.paritysync.store.cluster;

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
 * One fresh database of a dialect, opened as often as a test needs "processes": a SQLite file in a
 * temporary directory, or a PostgreSQL schema of its own (dropped on close) in the database {@code
 * PARITYSYNC_PG_URL} names; without that variable, PostgreSQL cases are skipped.
 */
final class TestDatabases implements AutoCloseable {
  static final String PG_ENV = "PARITYSYNC_PG_URL";

  private final Dialect dialect;
  private final String url;
  private final String pgUrl; // null on SQLite
  private final String schema; // null on SQLite
  private final List<Database> opened = new ArrayList<>();

  private TestDatabases(Dialect dialect, String url, String pgUrl, String schema) {
    this.dialect = dialect;
    this.url = url;
    this.pgUrl = pgUrl;
    this.schema = schema;
  }

  /** A fresh database of {@code dialect}; SQLite's file goes in {@code dir}. */
  static TestDatabases create(Dialect dialect, Path dir) {
    if (dialect == Dialect.SQLITE) {
      return new TestDatabases(
          dialect, "jdbc:sqlite:" + dir.resolve("cluster.db").toAbsolutePath(), null, null);
    }
    String pg = System.getenv(PG_ENV);
    assumeTrue(pg != null && !pg.isBlank(), PG_ENV + " is not set: skipping the PostgreSQL case");
    String schema =
        "cluster_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(pg, "CREATE SCHEMA " + schema);
    String url = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new TestDatabases(dialect, url, pg, schema);
  }

  /** The JDBC URL of this database. */
  String url() {
    return url;
  }

  Dialect dialect() {
    return dialect;
  }

  /** A new pool on this database, as another process would open it; closed with this. */
  Database open() {
    Database db = Database.open(DatabaseConfig.builder().withUrl(url).build());
    opened.add(db);
    return db;
  }

  @Override
  public void close() {
    for (Database db : opened) {
      db.close();
    }
    if (schema != null) {
      execute(pgUrl, "DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + url.replaceAll("\\?.*", ""), e);
    }
  }
}
