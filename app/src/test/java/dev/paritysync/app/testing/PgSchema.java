package dev.paritysync.app.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh schema of the PostgreSQL that {@code PARITYSYNC_PG_URL} names, for one test run: {@link
 * #url()} points into it ({@code currentSchema=}), {@link #close()} drops it with everything in it.
 * {@link #open(String)} skips the test (an assumption) when the variable is not set.
 */
public final class PgSchema implements AutoCloseable {
  /** The environment variable naming the server, as CI and {@code .ci/run} set it. */
  public static final String ENV = "PARITYSYNC_PG_URL";

  private final String serverUrl;
  private final String name;

  private PgSchema(String serverUrl, String name) {
    this.serverUrl = serverUrl;
    this.name = name;
  }

  /**
   * Creates schema {@code prefix_<random>}; skips the calling test, saying {@code what} is skipped,
   * when {@value #ENV} is not set.
   */
  public static PgSchema open(String prefix, String what) {
    String url = System.getenv(ENV);
    assumeTrue(url != null && !url.isBlank(), ENV + " is not set: skipping " + what);
    String name =
        prefix + "_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(url, "CREATE SCHEMA " + name);
    return new PgSchema(url, name);
  }

  /** The schema's name. */
  public String name() {
    return name;
  }

  /** The JDBC URL of the server with {@code currentSchema} set to this schema. */
  public String url() {
    return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  /** A new connection into the schema; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  /** Drops the schema and everything in it. */
  @Override
  public void close() {
    execute(serverUrl, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + ENV + ": " + e, e);
    }
  }
}
