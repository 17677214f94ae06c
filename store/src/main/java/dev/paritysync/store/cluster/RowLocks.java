package dev.paritysync.store.cluster;

import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The few lines every shared-state class needs: the row lock clause and nullable instants. */
final class RowLocks {
  private RowLocks() {}

  /**
   * Appended to a SELECT of the one row a transaction is about to update. PostgreSQL locks it until
   * the commit; SQLite needs nothing, since its write transaction ({@code BEGIN IMMEDIATE}) already
   * holds the database's single write lock.
   */
  static String forUpdate(Database db) {
    return db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
  }

  /** Epoch millis of {@code instant}, rounded up so a deadline is never shortened; clamped. */
  static long ceilMillis(Instant instant) {
    try {
      long millis = instant.toEpochMilli();
      return instant.getNano() % 1_000_000 == 0 ? millis : Math.addExact(millis, 1);
    } catch (ArithmeticException e) {
      return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** The column as a nullable epoch-millis value. */
  static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** The column as a nullable instant. */
  static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
    Long v = nullableLong(rs, column);
    return v == null ? null : Instant.ofEpochMilli(v);
  }
}
