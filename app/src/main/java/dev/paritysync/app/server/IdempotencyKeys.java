package dev.paritysync.app.server;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} records of the ingest API (IETF draft
 * draft-ietf-httpapi-idempotency-key-header): per key, a fingerprint of the request it came with
 * and the response it got, kept for a window (default 24 h) in the {@code idempotency_keys} table.
 *
 * <p>A response is recorded by {@link #record} inside the transaction that commits the work it
 * answers, so a key is never bound to work that rolled back (with group commit, the transaction of
 * the whole group: see {@link ChangesCommit}, which also answers two requests of one group with the
 * same key). A request racing in another process (several workers on PostgreSQL) finds the key
 * recorded when it commits ({@link #record} answers false) and answers what the first request got.
 * Keys older than the window are deleted by {@link #prune}, which {@code serve} runs in its prune
 * job: on one worker of a cluster at a time (the holder of the {@code prune} lease), so N workers
 * do not each delete the same rows; a key recorded again replaces its own expired record.
 * Hand-written because no library we use keeps idempotency records in our store and transaction.
 * Thread-safe.
 */
final class IdempotencyKeys {
  /** Default time a key is remembered. */
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  private final Database db;
  private final Clock clock;
  private final Duration window;

  /** A recorded response. */
  record Stored(String fingerprint, int status, String body) {}

  IdempotencyKeys(Database db, Clock clock, Duration window) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("idempotency window must be positive: " + window);
    }
    this.window = window;
  }

  /** The response recorded for {@code key} within the window, if any. */
  Optional<Stored> find(String key) {
    long since = clock.millis() - window.toMillis();
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT fingerprint, status, body FROM idempotency_keys"
                      + " WHERE idem_key = ? AND created_at >= ?")) {
            ps.setString(1, key);
            ps.setLong(2, since);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(new Stored(rs.getString(1), rs.getInt(2), rs.getString(3)))
                  : Optional.<Stored>empty();
            }
          }
        });
  }

  /**
   * Records {@code key}'s response inside the caller's transaction {@code c}, replacing a record of
   * it older than the window; returns false, writing nothing, when a record of {@code key} within
   * the window is there already (another process recorded it first).
   */
  boolean record(Connection c, String key, String fingerprint, int status, String body)
      throws SQLException {
    return recordAll(c, java.util.List.of(new Pending(key, fingerprint, status, body))) < 0;
  }

  /** A response to record under a key, with the fingerprint of the request it answers. */
  record Pending(String key, String fingerprint, int status, String body) {}

  /**
   * Records every key of {@code records} inside the caller's transaction {@code c}, as {@link
   * #record} does one by one, in two batched statements (a group commit records many); returns the
   * index of the first record whose key was recorded already within the window (another process
   * recorded it first: roll back), or -1 when all were recorded. Keys are distinct.
   */
  int recordAll(Connection c, java.util.List<Pending> records) throws SQLException {
    if (records.isEmpty()) {
      return -1;
    }
    long now = clock.millis();
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at < ? AND idem_key = ?")) {
      for (Pending r : records) {
        ps.setLong(1, now - window.toMillis());
        ps.setString(2, r.key());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO idempotency_keys (idem_key, fingerprint, status, body, created_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING")) {
      for (Pending r : records) {
        ps.setString(1, r.key());
        ps.setString(2, r.fingerprint());
        ps.setInt(3, r.status());
        ps.setString(4, r.body());
        ps.setLong(5, now);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          return i;
        }
      }
      return -1;
    }
  }

  /** Deletes every record older than {@code window}; returns how many. */
  static int prune(Database db, Clock clock, Duration window) {
    long oldest = clock.millis() - window.toMillis();
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at < ?")) {
            ps.setLong(1, oldest);
            return ps.executeUpdate();
          }
        });
  }
}
