package dev.paritysync.app.escalation;

import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The table {@code escalation_notifications} (migration location {@value #MIGRATIONS}), on SQLite
 * and PostgreSQL alike. Thread-safe; each call is one statement.
 */
final class NotificationStore {
  /** Where the table's migration lives. */
  static final String MIGRATIONS = "classpath:db/migration/escalation";

  private static final String COLUMNS =
      "condition_key, receiver, condition_name, channel, state, fired_id, resolved_id, value,"
          + " threshold, since, fired_at, resolved_at, delivery, last_sent_at, attempts,"
          + " next_attempt_at, last_error";

  private final Database db;

  NotificationStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Every row, by key then receiver. */
  List<Notification> all() {
    return db.read(
        c -> {
          List<Notification> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT "
                          + COLUMNS
                          + " FROM escalation_notifications ORDER BY condition_key, receiver");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(row(rs));
            }
          }
          return out;
        });
  }

  /** Inserts {@code n}, or replaces the row of its key and receiver. */
  void save(Notification n) {
    db.inTransactionRun(c -> save(c, n));
  }

  /** Deletes the row of {@code key} and {@code receiver}, if any. */
  void delete(String key, String receiver) {
    db.inTransactionRun(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM escalation_notifications WHERE condition_key = ? AND receiver = ?")) {
            ps.setString(1, key);
            ps.setString(2, receiver);
            ps.executeUpdate();
          }
        });
  }

  private static void save(Connection c, Notification n) throws SQLException {
    StringBuilder update = new StringBuilder();
    for (String column : COLUMNS.split(", *")) {
      if (!column.equals("condition_key") && !column.equals("receiver")) {
        update.append(update.length() == 0 ? "" : ", ").append(column).append(" = excluded.");
        update.append(column);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO escalation_notifications ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (condition_key, receiver) DO UPDATE SET "
                + update)) {
      ps.setString(1, n.key());
      ps.setString(2, n.receiver());
      ps.setString(3, n.condition());
      ps.setString(4, n.channel());
      ps.setString(5, n.state());
      ps.setString(6, n.firedId());
      ps.setString(7, n.resolvedId());
      ps.setLong(8, n.value());
      ps.setLong(9, n.threshold());
      ps.setLong(10, n.since().toEpochMilli());
      ps.setLong(11, n.firedAt().toEpochMilli());
      millis(ps, 12, n.resolvedAt());
      ps.setString(13, n.delivery());
      millis(ps, 14, n.lastSentAt());
      ps.setInt(15, n.attempts());
      millis(ps, 16, n.nextAttemptAt());
      ps.setString(17, n.lastError());
      ps.executeUpdate();
    }
  }

  private static void millis(PreparedStatement ps, int i, @Nullable Instant at)
      throws SQLException {
    if (at == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, at.toEpochMilli());
    }
  }

  private static Notification row(ResultSet rs) throws SQLException {
    return new Notification(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getLong(8),
        rs.getLong(9),
        Instant.ofEpochMilli(rs.getLong(10)),
        Instant.ofEpochMilli(rs.getLong(11)),
        instant(rs, 12),
        rs.getString(13),
        instant(rs, 14),
        rs.getInt(15),
        instant(rs, 16),
        rs.getString(17));
  }

  private static @Nullable Instant instant(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
