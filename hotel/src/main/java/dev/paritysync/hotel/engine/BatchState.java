package dev.paritysync.hotel.engine;

import dev.paritysync.core.retry.RetryDecider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A batch's row of {@code ari_batches}: the decider's state for the part being sent, the unsent
 * claims, how many leading parts the channel acknowledged and the retries those parts took.
 */
record BatchState(RetryDecider.State decider, int deferrals, int partsDone, int priorRetries) {

  /**
   * How many claims of the batch ended with a recorded outcome: a retry, a token refresh, a
   * deferral or an acknowledged part. A claim beyond these ended in a crash or an expired lease.
   */
  int recordedClaims() {
    return decider.retries()
        + priorRetries
        + deferrals
        + (decider.authRefreshed() ? 1 : 0)
        + partsDone;
  }

  static BatchState load(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT retries, previous_delay_millis, auth_refreshed, deferrals, parts_done,"
                + " prior_retries FROM ari_batches WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("batch " + id + " has no row in ari_batches");
        }
        return new BatchState(
            new RetryDecider.State(
                rs.getInt(1), Duration.ofMillis(rs.getLong(2)), rs.getInt(3) != 0),
            rs.getInt(4),
            rs.getInt(5),
            rs.getInt(6));
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

  /**
   * Part {@code partsDone} was acknowledged: the next part starts with a fresh retry state (its own
   * attempts and backoff), the retries spent so far kept in {@code prior_retries}.
   */
  static void partDone(Connection c, String id, BatchState was) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ari_batches SET parts_done = ?, prior_retries = ?, retries = 0,"
                + " previous_delay_millis = 0 WHERE id = ?")) {
      ps.setInt(1, was.partsDone + 1);
      ps.setInt(2, was.priorRetries + was.decider.retries());
      ps.setString(3, id);
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
