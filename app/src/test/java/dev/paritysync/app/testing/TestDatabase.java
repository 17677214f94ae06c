package dev.paritysync.app.testing;

import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A migrated database for one test: a real SQLite file, or (only when {@code PARITYSYNC_PG_URL}
 * names a server, such as {@code jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres}) a fresh
 * PostgreSQL schema of its own, dropped when the test closes it. Without the variable a PostgreSQL
 * test is skipped with a message saying so.
 */
public final class TestDatabase implements AutoCloseable {
  /** The environment variable naming the PostgreSQL server. */
  public static final String PG_ENV = PgSchema.ENV;

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
    this(url, drop, b -> b);
  }

  private TestDatabase(String url, Runnable drop, UnaryOperator<DatabaseConfig.Builder> customize) {
    this.url = url;
    this.drop = drop;
    Database opened;
    try {
      opened =
          Database.open(
              customize
                  .apply(
                      DatabaseConfig.builder()
                          .withUrl(url)
                          .withMigrations("classpath:db/migration/hotel")
                          .withMigrations("classpath:db/migration/api"))
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

  /**
   * A database of {@code kind}, SQLite in {@code dir}, opened with the options {@code customize}
   * adds (a busy timeout, the attempts of a transaction).
   */
  public static TestDatabase open(
      Kind kind, Path dir, UnaryOperator<DatabaseConfig.Builder> customize) {
    if (kind == Kind.SQLITE) {
      return new TestDatabase("jdbc:sqlite:" + dir.resolve("test.db"), () -> {}, customize);
    }
    PgSchema schema =
        PgSchema.open("app", "this PostgreSQL test (e.g. jdbc:postgresql://…?user=…)");
    return new TestDatabase(schema.url(), schema::close, customize);
  }

  /** A SQLite file. */
  public static TestDatabase sqlite(Path file) {
    return new TestDatabase("jdbc:sqlite:" + file, () -> {});
  }

  /** A fresh schema on {@code PARITYSYNC_PG_URL}; skips the test when it is not set. */
  public static TestDatabase postgres() {
    PgSchema schema =
        PgSchema.open("app", "this PostgreSQL test (e.g. jdbc:postgresql://…?user=…)");
    return new TestDatabase(schema.url(), schema::close);
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
