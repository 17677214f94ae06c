package dev.paritysync.store;

import dev.paritysync.core.auth.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to open a {@link Database}. Built with {@link #builder()}; immutable and thread-safe.
 *
 * <p>Defaults: URL {@code jdbc:sqlite:data/paritysync.db} ({@link #DEFAULT_URL}); pool size 4;
 * SQLite synchronous {@link SqliteSynchronous#FULL}; busy timeout 5 s; 5 attempts per transaction;
 * only the store's own migrations.
 */
public final class DatabaseConfig {
  /** The embedded default: one SQLite file under {@code data/} in the working directory. */
  public static final String DEFAULT_URL = "jdbc:sqlite:data/paritysync.db";

  private static final Pattern MODULE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * When SQLite makes a commit durable (SQLite's {@code PRAGMA synchronous}); ignored by
   * PostgreSQL, which is durable on commit with its own {@code synchronous_commit}.
   */
  public enum SqliteSynchronous {
    /**
     * In WAL mode, a commit is written to the WAL file (in the operating system's cache) but not
     * fsynced; the WAL is fsynced at checkpoints. Durable against a crash of the process, SIGKILL
     * included, because the operating system still holds the written pages; a power loss or a
     * kernel crash may roll back the last transactions (never corrupt the database). Faster: no
     * fsync per commit.
     */
    NORMAL,
    /**
     * Every commit fsyncs the WAL before returning. Durable against power loss too. The default,
     * because paritysync acknowledges a change to its sender only once it is durable, and a sender
     * does not resend what was acknowledged: "nothing accepted is lost" must also hold when the
     * machine, not only the process, goes down. Costs one fsync per transaction, which bulk ingest
     * (many cells per transaction) amortises.
     */
    FULL
  }

  private final String url;
  private final Optional<String> user;
  private final Optional<Secret> password;
  private final int poolSize;
  private final List<String> migrations;
  private final SqliteSynchronous sqliteSynchronous;
  private final Duration busyTimeout;
  private final int maxTransactionAttempts;

  private DatabaseConfig(Builder b) {
    this.url = b.url == null ? DEFAULT_URL : b.url;
    this.user = Optional.ofNullable(b.user);
    this.password = Optional.ofNullable(b.password);
    this.poolSize = b.poolSize;
    this.migrations = List.copyOf(b.migrations);
    this.sqliteSynchronous = b.sqliteSynchronous;
    this.busyTimeout = b.busyTimeout;
    this.maxTransactionAttempts = b.maxTransactionAttempts;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A config for one SQLite file at {@code file}, otherwise defaults. */
  public static DatabaseConfig sqlite(Path file) {
    return builder().withSqliteFile(file).build();
  }

  public String url() {
    return url;
  }

  public Dialect dialect() {
    return Dialect.of(url);
  }

  public Optional<String> user() {
    return user;
  }

  public Optional<Secret> password() {
    return password;
  }

  public int poolSize() {
    return poolSize;
  }

  /**
   * Extra Flyway locations, in the order they migrate after the store's own, such as {@code
   * classpath:db/migration/hotel}.
   */
  public List<String> migrations() {
    return migrations;
  }

  public SqliteSynchronous sqliteSynchronous() {
    return sqliteSynchronous;
  }

  public Duration busyTimeout() {
    return busyTimeout;
  }

  public int maxTransactionAttempts() {
    return maxTransactionAttempts;
  }

  @Override
  public String toString() {
    return "DatabaseConfig{url="
        + Database.redactUrl(url)
        + ", poolSize="
        + poolSize
        + ", migrations="
        + migrations
        + ", sqliteSynchronous="
        + sqliteSynchronous
        + ", busyTimeout="
        + busyTimeout
        + ", maxTransactionAttempts="
        + maxTransactionAttempts
        + "}";
  }

  /** The last path segment of a migration location: the name of its schema history table. */
  static String moduleOf(String location) {
    String trimmed =
        location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':'));
    return trimmed.substring(slash + 1);
  }

  /**
   * Builds a {@link DatabaseConfig}. Fails fast: each setting may be given once, and invalid values
   * are rejected with a message naming the setting. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String user;
    private @Nullable Secret password;
    private int poolSize = 4;
    private boolean poolSizeSet;
    private final List<String> migrations = new ArrayList<>();
    private SqliteSynchronous sqliteSynchronous = SqliteSynchronous.FULL;
    private boolean synchronousSet;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private boolean busyTimeoutSet;
    private int maxTransactionAttempts = 5;
    private boolean attemptsSet;

    private Builder() {}

    /** The JDBC URL: {@code jdbc:sqlite:<path>} or {@code jdbc:postgresql://host/db}. */
    public Builder withUrl(String url) {
      Objects.requireNonNull(url, "url");
      if (this.url != null) {
        throw new IllegalStateException("url was already set to " + Database.redactUrl(this.url));
      }
      Dialect.of(url);
      this.url = url;
      return this;
    }

    /** Shorthand for {@code withUrl("jdbc:sqlite:" + file)}. */
    public Builder withSqliteFile(Path file) {
      return withUrl("jdbc:sqlite:" + file);
    }

    /** User and password for PostgreSQL (they may also be URL parameters). */
    public Builder withCredentials(String user, Secret password) {
      if (this.user != null) {
        throw new IllegalStateException("credentials were already set");
      }
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Connections in the pool (default 4). With SQLite, readers run in parallel (WAL) and writers
     * take turns, so a small pool is enough.
     */
    public Builder withPoolSize(int poolSize) {
      if (poolSizeSet) {
        throw new IllegalStateException("poolSize was already set to " + this.poolSize);
      }
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
      }
      this.poolSize = poolSize;
      this.poolSizeSet = true;
      return this;
    }

    /**
     * Adds a Flyway location migrated after the store's own, such as {@code
     * classpath:db/migration/hotel}. Each location keeps its own schema history table named after
     * its last segment ({@code hotel_schema_history}), so each module numbers its migrations from
     * V1 independently; its migrations may refer to the tables of locations added before it.
     *
     * @throws IllegalArgumentException when the last segment is not a lower-case name, or repeats
     *     one already added (or {@code store})
     */
    public Builder withMigrations(String location) {
      Objects.requireNonNull(location, "location");
      String module = moduleOf(location);
      if (!MODULE_NAME.matcher(module).matches()) {
        throw new IllegalArgumentException(
            "migration location '"
                + location
                + "' must end in a lower-case name ([a-z][a-z0-9_]*), which names its schema history"
                + " table; it ends in '"
                + module
                + "'");
      }
      if (module.equals("store") || migrations.stream().anyMatch(l -> moduleOf(l).equals(module))) {
        throw new IllegalArgumentException(
            "migration location '" + location + "' repeats the module name '" + module + "'");
      }
      migrations.add(location);
      return this;
    }

    /** SQLite's durability mode (default {@link SqliteSynchronous#FULL}). */
    public Builder withSqliteSynchronous(SqliteSynchronous mode) {
      if (synchronousSet) {
        throw new IllegalStateException(
            "sqliteSynchronous was already set to " + this.sqliteSynchronous);
      }
      this.sqliteSynchronous = Objects.requireNonNull(mode, "sqliteSynchronous");
      this.synchronousSet = true;
      return this;
    }

    /**
     * How long a SQLite connection waits for another process's lock before failing with {@code
     * SQLITE_BUSY} (default 5 s).
     */
    public Builder withBusyTimeout(Duration timeout) {
      if (busyTimeoutSet) {
        throw new IllegalStateException("busyTimeout was already set to " + this.busyTimeout);
      }
      if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, was " + timeout);
      }
      this.busyTimeout = timeout;
      this.busyTimeoutSet = true;
      return this;
    }

    /**
     * How many times {@link Database#inTransaction} runs a transaction that fails on contention
     * (SQLite busy, PostgreSQL serialization failure or deadlock) before giving up (default 5).
     */
    public Builder withMaxTransactionAttempts(int attempts) {
      if (attemptsSet) {
        throw new IllegalStateException(
            "maxTransactionAttempts was already set to " + this.maxTransactionAttempts);
      }
      if (attempts < 1) {
        throw new IllegalArgumentException(
            "maxTransactionAttempts must be at least 1, was " + attempts);
      }
      this.maxTransactionAttempts = attempts;
      this.attemptsSet = true;
      return this;
    }

    /** An immutable config; the builder may be reused. */
    public DatabaseConfig build() {
      return new DatabaseConfig(this);
    }
  }
}
