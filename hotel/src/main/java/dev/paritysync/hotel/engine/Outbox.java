package dev.paritysync.hotel.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** What a batch's end does to its cells' outbox rows. */
final class Outbox {
  private Outbox() {}

  /** The channel holds the batch: its cells are acknowledged at the version in flight. */
  static int acknowledge(Connection c, String channel, String batch) throws SQLException {
    return update(
        c,
        "UPDATE ari_outbox SET acked_version = inflight_version, inflight_version = NULL,"
            + " inflight_batch = NULL WHERE channel = ? AND inflight_batch = ?",
        channel,
        batch);
  }

  /** The batch failed for good: its cells leave flight, so their successors may go. */
  static int release(Connection c, String channel, String batch) throws SQLException {
    return update(
        c,
        "UPDATE ari_outbox SET inflight_version = NULL, inflight_batch = NULL"
            + " WHERE channel = ? AND inflight_batch = ?",
        channel,
        batch);
  }

  private static int update(Connection c, String sql, String channel, String batch)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, channel);
      ps.setString(2, batch);
      return ps.executeUpdate();
    }
  }
}
