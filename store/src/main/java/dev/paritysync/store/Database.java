package dev.paritysync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A pooled, migrated database: one SQLite file (the embedded default) or a PostgreSQL server.
 *
 * <p>{@link #open(DatabaseConfig)} creates the SQLite file if missing (and the default's {@code
 * data/} directory; any other directory must exist), and migrates the schema with Flyway: first the
 * store's tables ({@code classpath:db/migration/store}), then each location of {@link
 * DatabaseConfig#migrations()}, each with its own schema history table. Reopening a migrated
 * database changes nothing.
 *
 * <p>SQLite connections run with {@code journal_mode=WAL}, {@code synchronous} as configured
 * ({@code FULL} by default, see {@link DatabaseConfig.SqliteSynchronous}), {@code busy_timeout},
 * {@code foreign_keys=ON}, and begin every transaction with {@code BEGIN IMMEDIATE}, issued as a
 * statement and ended by {@code COMMIT} or {@code ROLLBACK} statements on a connection left in
 * auto-commit mode: the driver's own transaction API begins the next transaction right after a
 * commit, so a busy file made a committed transaction look failed and left the connection outside
 * any transaction for the next user. A connection whose {@code BEGIN}, {@code COMMIT} or {@code
 * ROLLBACK} fails, on either dialect, is evicted from the pool, never reused. Before each write
 * transaction the SQLite file is checked to be the one opened: deleted or replaced, writes fail
 * instead of landing in a file nobody will read again. SQLite has one writer: readers proceed in
 * parallel with it (WAL), and writers in this process take turns on a fair lock held for the whole
 * of {@link #inTransaction(Tx)}; writers in other processes (a CLI beside the engine) wait up to
 * the busy timeout, and a transaction that still meets {@code SQLITE_BUSY} is run again.
 *
 * <p>Thread-safe. Close it to close the pool.
 */
public final class Database implements AutoCloseable {
  private static final String STORE_MIGRATIONS = "classpath:db/migration/store";

  private final DatabaseConfig config;
  private final Dialect dialect;
  private final HikariDataSource dataSource;
  private final @Nullable ReentrantLock writeLock;
  private final ThreadLocal<Boolean> inTransaction = ThreadLocal.withInitial(() -> false);
  private final @Nullable SqliteFile file;
  // Whether the last write transaction failed on the database itself (not on contention): then
  // verifyWritable() tries an empty write instead of trusting the file check alone.
  private volatile boolean lastWriteFailed;

  private Database(DatabaseConfig config, HikariDataSource dataSource) {
    this.config = config;
    this.dialect = config.dialect();
    this.dataSource = dataSource;
    this.writeLock = dialect.serialisesWriters() ? new ReentrantLock(true) : null;
    this.file = dialect == Dialect.SQLITE ? SqliteFile.of(config.url()) : null;
  }

  /**
   * Opens the pool and migrates the schema.
   *
   * @throws StoreException naming the database when it cannot be created, reached or migrated
   */
  public static Database open(DatabaseConfig config) {
    Objects.requireNonNull(config, "config");
    Dialect dialect = config.dialect();
    String where = redactUrl(config.url());
    if (dialect == Dialect.SQLITE) {
      createParentDirectories(config.url());
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("paritysync-store");
    hikari.setMaximumPoolSize(config.poolSize());
    if (dialect == Dialect.SQLITE) {
      hikari.setDataSource(sqliteDataSource(config));
    } else {
      hikari.setJdbcUrl(config.url());
      config.user().ifPresent(hikari::setUsername);
      config.password().ifPresent(p -> hikari.setPassword(p.reveal()));
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot open database " + where + ": " + redactMessage(e.getMessage(), config.url()),
          secretFree(config.url()) ? e : null);
    }
    Database db = new Database(config, pool);
    try {
      db.migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new StoreException(
          "cannot migrate database " + where + ": " + redactMessage(e.getMessage(), config.url()),
          secretFree(config.url()) ? e : null);
    }
    return db;
  }

  private static SQLiteDataSource sqliteDataSource(DatabaseConfig config) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(
        config.sqliteSynchronous() == DatabaseConfig.SqliteSynchronous.FULL
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    sqlite.setBusyTimeout((int) config.busyTimeout().toMillis());
    sqlite.enforceForeignKeys(true);
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource ds = new SQLiteDataSource(sqlite);
    ds.setUrl(config.url());
    return ds;
  }

  private void migrate() {
    migrate(STORE_MIGRATIONS, false);
    for (String location : config.migrations()) {
      migrate(location, true);
    }
  }

  /**
   * The migrations not yet applied, as {@code <location> V<version>}: empty for a database this
   * class opened, unless another process has since shipped newer ones. For readiness checks.
   *
   * @throws StoreException when the schema history cannot be read
   */
  public List<String> pendingMigrations() {
    List<String> pending = new ArrayList<>();
    List<String> locations = new ArrayList<>();
    locations.add(STORE_MIGRATIONS);
    locations.addAll(config.migrations());
    for (String location : locations) {
      try {
        for (MigrationInfo m :
            flyway(location, !location.equals(STORE_MIGRATIONS)).info().pending()) {
          pending.add(location + " V" + m.getVersion());
        }
      } catch (FlywayException e) {
        throw new StoreException("cannot read the schema history of " + location, e);
      }
    }
    return pending;
  }

  private Flyway flyway(String location, boolean afterOthers) {
    String module = DatabaseConfig.moduleOf(location);
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(location)
        .table(module + "_schema_history")
        // A later module finds the schema non-empty (the store's tables are there); version 0
        // marks that start so its V1 still runs.
        .baselineOnMigrate(afterOthers)
        .baselineVersion("0")
        .failOnMissingLocations(true)
        .load();
  }

  private void migrate(String location, boolean afterOthers) {
    try {
      flyway(location, afterOthers).migrate();
    } catch (FlywayException e) {
      throw new StoreException("migrations at " + location + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The default URL's directory ({@code data/}) is created on first run; any other SQLite file's
   * directory must exist, so a mistyped path fails here instead of starting an empty database
   * beside the real one.
   */
  private static void createParentDirectories(String url) {
    Path file = SqliteFile.pathOf(url);
    if (file == null) {
      return;
    }
    Path parent = file.getParent();
    if (parent == null || Files.isDirectory(parent)) {
      return;
    }
    if (!url.equals(DatabaseConfig.DEFAULT_URL)) {
      throw new StoreException(
          "cannot open database "
              + redactUrl(url)
              + ": directory "
              + parent
              + " does not exist; create it, or correct database.url",
          null);
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StoreException(
          "cannot create directory " + parent + " for database " + redactUrl(url), e);
    }
  }

  /** The dialect of this database. */
  public Dialect dialect() {
    return dialect;
  }

  /** The pool. Connections from it are in auto-commit mode; prefer {@link #inTransaction}. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The config this database was opened with. */
  public DatabaseConfig config() {
    return config;
  }

  /** {@link #inTransaction} for work that returns nothing; the same retries and exceptions. */
  public void inTransactionRun(Tx.Step work) {
    Objects.requireNonNull(work, "work");
    inTransaction(
        c -> {
          work.run(c);
          return Boolean.TRUE;
        });
  }

  /** {@link #read} for work that returns nothing; the same connection and exceptions. */
  public void readRun(Tx.Step work) {
    Objects.requireNonNull(work, "work");
    read(
        c -> {
          work.run(c);
          return Boolean.TRUE;
        });
  }

  /**
   * Runs {@code work} in one write transaction and returns its result: committed when it returns,
   * rolled back when it throws. On SQLite the transaction begins with {@code BEGIN IMMEDIATE} and
   * holds the process's write lock throughout. A transaction that fails on contention (SQLite busy
   * or locked, PostgreSQL serialization failure or deadlock) is rolled back and run again, up to
   * {@link DatabaseConfig#maxTransactionAttempts()} times in all, without waiting in between
   * (SQLite has already waited its busy timeout).
   *
   * <p>Transactions do not nest: inside {@code work}, pass its connection down instead.
   *
   * @throws StoreException when the database fails ({@link java.sql.SQLException}), or contention
   *     outlasts every attempt
   * @throws RuntimeException what {@code work} throws, unchanged, after the rollback
   * @throws IllegalStateException when called inside another transaction on the same thread
   */
  public <T> T inTransaction(Tx<T> work) {
    Objects.requireNonNull(work, "work");
    if (inTransaction.get()) {
      throw new IllegalStateException(
          "inTransaction called inside a transaction on the same thread: pass the Connection down"
              + " instead (a second writer would wait for the first forever)");
    }
    inTransaction.set(true);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          T result = runOnce(work);
          lastWriteFailed = false;
          return result;
        } catch (SQLException | RuntimeException e) {
          if (attempt < config.maxTransactionAttempts() && dialect.isRetryable(e)) {
            continue;
          }
          if (e instanceof SQLException sql) {
            lastWriteFailed = !dialect.isRetryable(e);
            throw new StoreException(
                "transaction on "
                    + redactUrl(config.url())
                    + " failed (attempt "
                    + attempt
                    + " of "
                    + config.maxTransactionAttempts()
                    + "): "
                    + sql.getMessage(),
                sql);
          }
          throw (RuntimeException) e;
        }
      }
    } finally {
      inTransaction.set(false);
    }
  }

  private <T> T runOnce(Tx<T> work) throws SQLException {
    if (writeLock != null) {
      writeLock.lock();
    }
    try (Connection c = dataSource.getConnection()) {
      return dialect == Dialect.SQLITE ? runSqlite(c, work) : runJdbc(c, work);
    } finally {
      if (writeLock != null) {
        writeLock.unlock();
      }
    }
  }

  /** One SQLite transaction by statements, on a connection that stays in auto-commit mode. */
  private <T> T runSqlite(Connection c, Tx<T> work) throws SQLException {
    verifyFile();
    control(c, "BEGIN IMMEDIATE");
    try {
      T result = work.run(c);
      control(c, "COMMIT");
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        control(c, "ROLLBACK");
      } catch (SQLException rollback) {
        // a failed COMMIT (disk full, I/O error) may have rolled back already: nothing is lost
        if (!String.valueOf(rollback.getMessage()).contains("no transaction is active")) {
          e.addSuppressed(rollback);
        }
      }
      throw e;
    }
  }

  private <T> T runJdbc(Connection c, Tx<T> work) throws SQLException {
    try {
      c.setAutoCommit(false);
    } catch (SQLException e) {
      dataSource.evictConnection(c);
      throw e;
    }
    try {
      T result = work.run(c);
      try {
        c.commit();
      } catch (SQLException e) {
        dataSource.evictConnection(c); // its state after a failed commit is unknown
        throw e;
      }
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
        dataSource.evictConnection(c);
      }
      throw e;
    }
  }

  /** Runs a transaction-control statement; a connection on which it fails is never reused. */
  private void control(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      dataSource.evictConnection(c);
      throw e;
    }
  }

  /**
   * Checks that the SQLite file is still the one this database opened (not deleted, not replaced by
   * another file under its name); cheap (one {@code stat}). A no-op on PostgreSQL and for in-memory
   * SQLite. For readiness checks; every write transaction runs it first.
   *
   * @throws StoreException naming the file when it is gone or replaced
   */
  public void verifyFile() {
    if (file != null) {
      file.verify(redactUrl(config.url()));
    }
  }

  /**
   * Checks that a write can succeed now, for readiness: {@link #verifyFile}; on SQLite, at least
   * {@value SqliteFile#MIN_FREE_BYTES} bytes free on the file's file system (a full disk lets small
   * writes through into space the WAL already holds, so only the free space tells); and when the
   * last write transaction failed on the database itself (I/O error, lost connection; not
   * contention), an empty write transaction. Cheap while writes succeed.
   *
   * @throws StoreException naming the database and the fault when a write cannot succeed
   */
  public void verifyWritable() {
    verifyFile();
    if (file != null) {
      file.verifyRoom(redactUrl(config.url()));
    }
    if (lastWriteFailed) {
      inTransactionRun(c -> {});
    }
  }

  /**
   * Runs {@code work} on a pooled connection in auto-commit mode, for reads: it neither takes the
   * write lock nor waits for writers. Each statement sees a consistent snapshot; separate
   * statements may see different ones. Use {@link #inTransaction} to write.
   *
   * @throws StoreException when the database fails
   */
  public <T> T read(Tx<T> work) {
    Objects.requireNonNull(work, "work");
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException(
          "read on " + redactUrl(config.url()) + " failed: " + e.getMessage(), e);
    }
  }

  /** Closes the pool. Idempotent. */
  @Override
  public void close() {
    dataSource.close();
  }

  /**
   * A JDBC URL fit for messages and logs: its parameters (which may hold a password) as {@code
   * ?[parameters]} and its user-info ({@code user:password@}) as {@code [redacted]@}.
   */
  public static String redactUrl(String url) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    int scheme = base.indexOf("://");
    if (scheme >= 0) {
      int at = base.lastIndexOf('@');
      int path = base.indexOf('/', scheme + 3);
      if (at > scheme && (path < 0 || at < path)) {
        base = base.substring(0, scheme + 3) + "[redacted]" + base.substring(at);
      }
    }
    return query < 0 ? base : base + "?[parameters]";
  }

  /**
   * Whether {@code url} carries no parameters and no user-info, so a driver's exception about it
   * can be kept as a cause (logged with its stack) without leaking a password.
   */
  private static boolean secretFree(String url) {
    return redactUrl(url).equals(url);
  }

  /**
   * {@code text} (a driver's or pool's message) without the secrets of {@code url}: its user-info
   * (a password written as {@code user:password@host}) and its query's values, each replaced by
   * {@code [redacted]}. For messages that may echo the URL or a part of it.
   */
  static @Nullable String redactMessage(@Nullable String text, String url) {
    if (text == null) {
      return null;
    }
    String out = text.replace(url, redactUrl(url));
    int scheme = url.indexOf("://");
    int at = url.indexOf('@');
    if (scheme >= 0 && at > scheme) {
      String userInfo = url.substring(scheme + 3, at);
      int colon = userInfo.indexOf(':');
      if (colon >= 0 && colon + 1 < userInfo.length()) {
        out = out.replace(userInfo.substring(colon + 1), "[redacted]");
      }
    }
    int query = url.indexOf('?');
    if (query >= 0) {
      for (String param : url.substring(query + 1).split("&")) {
        int eq = param.indexOf('=');
        if (eq >= 0 && eq + 1 < param.length()) {
          out = out.replace(param.substring(eq + 1), "[redacted]");
        }
      }
    }
    return out;
  }
}
