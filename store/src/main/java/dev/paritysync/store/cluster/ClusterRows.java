package dev.paritysync.store.cluster;

import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Small JDBC helpers shared by this package. Stateless. */
final class ClusterRows {
  private ClusterRows() {}

  /** {@code " FOR UPDATE"} on PostgreSQL, nothing on SQLite (whose writers already take turns). */
  static String lockClause(Database db) {
    return db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
  }

  /** The instant in column {@code column}, or null when it is NULL. */
  static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  /**
   * @throws IllegalArgumentException naming {@code what} when {@code value} is blank or too long
   */
  static String checkName(String what, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, was '" + value + "'");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(
          what + " '" + value + "' is " + value.length() + " characters; at most " + maxLength);
    }
    return value;
  }
}
