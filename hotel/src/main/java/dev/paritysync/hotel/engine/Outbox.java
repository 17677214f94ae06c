package dev.paritysync.hotel.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** What a batch's end does to its cells' outbox rows. */
final class Outbox {
  // The priority lanes (Lanes): a cell that leaves flight forgets its flight's classes and age...
  private static final String LEAVE_FLIGHT = " inflight_kinds = NULL, inflight_since = NULL";
  // ...unless it goes back to pending: then it keeps them, with those of a newer pending version,
  // so a close that was in a batch that ended unsent is still a close, and as old as it was.
  private static final String BACK_TO_PENDING =
      " pending_kinds = CASE WHEN pending_version IS NULL THEN inflight_kinds"
          + " ELSE pending_kinds | inflight_kinds END,"
          + " pending_since = CASE WHEN pending_version IS NULL THEN inflight_since"
          + " WHEN inflight_since < pending_since THEN inflight_since ELSE pending_since END,";

  private Outbox() {}

  /** The channel holds the batch: its cells are acknowledged at the version in flight. */
  static int acknowledge(Connection c, String channel, String batch) throws SQLException {
    return update(
        c,
        "UPDATE ari_outbox SET acked_version = inflight_version, inflight_version = NULL,"
            + " inflight_batch = NULL,"
            + LEAVE_FLIGHT
            + " WHERE channel = ? AND inflight_batch = ?",
        channel,
        batch);
  }

  /** The batch failed for good: its cells leave flight, so their successors may go. */
  static int release(Connection c, String channel, String batch) throws SQLException {
    return update(
        c,
        "UPDATE ari_outbox SET inflight_version = NULL, inflight_batch = NULL,"
            + LEAVE_FLIGHT
            + " WHERE channel = ? AND inflight_batch = ?",
        channel,
        batch);
  }

  /**
   * The batch failed and waits for a retry, but some of its cells have a newer version pending:
   * rather than resend values the channel would overwrite anyway, the batch ends and every cell
   * goes back to pending — at its newer version where there is one, else at the version it carried
   * — so the next batch carries the newest values under a new idempotency key. Returns the cells
   * moved.
   */
  static int supersede(Connection c, String channel, String batch) throws SQLException {
    return update(
        c,
        "UPDATE ari_outbox SET pending_version = COALESCE(pending_version, inflight_version),"
            + BACK_TO_PENDING
            + " inflight_version = NULL, inflight_batch = NULL,"
            + LEAVE_FLIGHT
            + " WHERE channel = ? AND inflight_batch = ?",
        channel,
        batch);
  }

  /**
   * The channel rejected the batch for other cells than these: they go back to pending (at a newer
   * version where there is one), to travel in a new batch. Returns the cells moved.
   */
  static int requeue(
      Connection c,
      String channel,
      String property,
      String batch,
      List<BatchPayload.CellVersion> cells)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ari_outbox SET pending_version = COALESCE(pending_version, inflight_version),"
                + BACK_TO_PENDING
                + " inflight_version = NULL, inflight_batch = NULL,"
                + LEAVE_FLIGHT
                + " WHERE channel = ?"
                + " AND property = ? AND room_type = ? AND rate_plan = ? AND date = ?"
                + " AND inflight_batch = ?")) {
      for (BatchPayload.CellVersion v : cells) {
        ps.setString(1, channel);
        ps.setString(2, property);
        ps.setString(3, v.roomType());
        ps.setString(4, Rows.planKey(v.ratePlan()));
        ps.setString(5, v.date().toString());
        ps.setString(6, batch);
        ps.addBatch();
      }
      int n = 0;
      for (int r : ps.executeBatch()) {
        n += Math.max(r, 0);
      }
      return n;
    }
  }

  /** How many of the batch's cells have a newer version pending. */
  static long superseded(Connection c, String channel, String batch) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM ari_outbox WHERE channel = ? AND inflight_batch = ?"
                + " AND pending_version IS NOT NULL")) {
      ps.setString(1, channel);
      ps.setString(2, batch);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
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
