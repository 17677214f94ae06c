package dev.paritysync.store;

import java.sql.SQLException;
import java.util.Locale;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQL databases the store runs on, and the few places where they must differ. Domain SQL is
 * portable (epoch-millisecond {@code BIGINT}s, {@code TEXT} JSON, {@code INSERT ... ON CONFLICT},
 * {@code UPDATE ... RETURNING}); only what a dialect answers here differs.
 *
 * <ul>
 *   <li>{@link #SQLITE}: one writer at a time. Write transactions begin with {@code BEGIN
 *       IMMEDIATE}, so a transaction holds the write lock from its first statement and never fails
 *       half-way with {@code SQLITE_BUSY} on upgrade; inside one process, writers also queue on a
 *       fair lock so they do not spin in SQLite's busy handler. Claims need no row locks.
 *   <li>{@link #POSTGRESQL}: many writers. Claims lock the rows they take with {@code FOR UPDATE
 *       SKIP LOCKED}, so concurrent workers take disjoint items without waiting on each other.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public enum Dialect {
  SQLITE("jdbc:sqlite:"),
  POSTGRESQL("jdbc:postgresql:");

  private final String urlPrefix;

  Dialect(String urlPrefix) {
    this.urlPrefix = urlPrefix;
  }

  /** The JDBC URL prefix of this dialect, such as {@code jdbc:sqlite:}. */
  public String urlPrefix() {
    return urlPrefix;
  }

  /**
   * The dialect of a JDBC URL.
   *
   * @throws IllegalArgumentException naming the URL when no dialect matches it
   */
  public static Dialect of(String jdbcUrl) {
    String lower = jdbcUrl.toLowerCase(Locale.ROOT);
    for (Dialect d : values()) {
      if (lower.startsWith(d.urlPrefix)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL '"
            + Database.redactUrl(jdbcUrl)
            + "': expected one starting with jdbc:sqlite: or jdbc:postgresql:");
  }

  /** The clause appended to a claim's inner SELECT so concurrent claimers take disjoint rows. */
  String claimLockClause() {
    return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
  }

  /** Whether writers must be serialised inside the process (one writer per database file). */
  boolean serialisesWriters() {
    return this == SQLITE;
  }

  /**
   * Whether the failure is transient contention that a fresh attempt of the whole transaction may
   * not meet: SQLite's busy and locked codes, PostgreSQL's serialization failure and deadlock.
   */
  boolean isRetryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException e) {
        SQLiteErrorCode code = e.getResultCode();
        if (code != null
            && (code.name().startsWith("SQLITE_BUSY") || code.name().startsWith("SQLITE_LOCKED"))) {
          return true;
        }
      }
      if (t instanceof SQLException e && e.getSQLState() != null) {
        String state = e.getSQLState();
        if (state.equals("40001") || state.equals("40P01")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
