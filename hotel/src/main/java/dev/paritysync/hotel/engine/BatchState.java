package dev.paritysync.hotel.engine;

import dev.paritysync.core.retry.RetryDecider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** A batch's row of {@code ari_batches}: the decider's state and the unsent claims. */
record BatchState(RetryDecider.State decider, int deferrals) {

  static BatchState load(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT retries, previous_delay_millis, auth_refreshed, deferrals FROM ari_batches"
                + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("batch " + id + " has no row in ari_batches");
        }
        return new BatchState(
            new RetryDecider.State(
                rs.getInt(1), Duration.ofMillis(rs.getLong(2)), rs.getInt(3) != 0),
            rs.getInt(4));
      }
    }
  }

  static void save(Connection c, String id, RetryDecider.State s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ari_batches SET retries = ?, previous_delay_millis = ?, auth_refreshed = ?"
                + " WHERE id = ?")) {
      ps.setInt(1, s.retries());
      ps.setLong(2, s.previousDelay().toMillis());
      ps.setInt(3, s.authRefreshed() ? 1 : 0);
      ps.setString(4, id);
      ps.executeUpdate();
    }
  }

  static void deferred(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE ari_batches SET deferrals = deferrals + 1 WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }
}
