package dev.paritysync.hotel.engine;

import dev.paritysync.hotel.channel.PriorityClass;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a {@link Batcher} writes for a batch — its cells move from pending to in flight (with
 * their priority classes and age, see {@link Lanes}), and its {@code ari_batches} row — the lock
 * that makes one batcher at a time form a property's batches, and the page's fair shares.
 */
final class BatchRows {
  // PostgreSQL: one batcher at a time per (channel, property) across the cluster. The first key
  // is this lock's class among advisory locks ("PSBT"), the second the hash of channel/property.
  private static final String TRY_LOCK =
      "SELECT pg_try_advisory_xact_lock(1347633748, hashtext(?))";
  // The SQLSTATE of a serialization failure: Database#inTransaction runs such a transaction again.
  private static final String SERIALIZATION_FAILURE = "40001";
  // One statement per chunk of a batch's cells, not one per cell: the rows are matched against a
  // VALUES list (column1..column4: room type, rate plan, date, version), which both dialects read
  // the same way. Per-cell UPDATEs cost a statement each, and on PostgreSQL they were most of the
  // time a batch took to form (docs/benchmarks.md, "Cluster scale").
  private static final String TAKE_HEAD =
      "UPDATE ari_outbox SET inflight_version = pending_version, pending_version = NULL,"
          + " inflight_kinds = pending_kinds, inflight_since = pending_since,"
          + " pending_kinds = NULL, pending_since = NULL, inflight_batch = ? FROM (VALUES ";
  private static final String TAKE_TAIL =
      ") AS v WHERE ari_outbox.channel = ? AND ari_outbox.property = ?"
          + " AND ari_outbox.room_type = v.column1 AND ari_outbox.rate_plan = v.column2"
          + " AND ari_outbox.date = v.column3 AND ari_outbox.inflight_version IS NULL"
          + " AND ari_outbox.pending_version = v.column4";
  // Cells per take statement: 4 parameters each, well under either engine's parameter limit.
  private static final int TAKE_CHUNK = 250;

  static void take(
      Connection c,
      String channel,
      String batch,
      String property,
      List<BatchPayload.CellVersion> versions)
      throws SQLException {
    for (int from = 0; from < versions.size(); from += TAKE_CHUNK) {
      List<BatchPayload.CellVersion> chunk =
          versions.subList(from, Math.min(versions.size(), from + TAKE_CHUNK));
      StringBuilder sql = new StringBuilder(TAKE_HEAD);
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "(?, ?, ?, CAST(? AS BIGINT))" : ", (?, ?, ?, CAST(? AS BIGINT))");
      }
      sql.append(TAKE_TAIL);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        ps.setString(p++, batch);
        for (BatchPayload.CellVersion v : chunk) {
          ps.setString(p++, v.roomType());
          ps.setString(p++, Rows.planKey(v.ratePlan()));
          ps.setString(p++, v.date().toString());
          ps.setLong(p++, v.version());
        }
        ps.setString(p++, channel);
        ps.setString(p, property);
        int taken = ps.executeUpdate();
        if (taken != chunk.size()) {
          // A row changed since it was read; the whole formation runs again on fresh rows.
          throw new SQLException(
              (chunk.size() - taken)
                  + " of the "
                  + chunk.size()
                  + " outbox rows of "
                  + channel
                  + "/"
                  + property
                  + " from "
                  + chunk.get(0).roomType()
                  + "/"
                  + Rows.planKey(chunk.get(0).ratePlan())
                  + "/"
                  + chunk.get(0).date()
                  + " changed while batch "
                  + batch
                  + " was formed",
              SERIALIZATION_FAILURE);
        }
      }
    }
  }

  static void insert(
      Connection c,
      String channel,
      String id,
      String property,
      PriorityClass lane,
      long since,
      long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ari_batches (id, channel, property, retries, previous_delay_millis,"
                + " auth_refreshed, deferrals, created_at, lane, waiting_since)"
                + " VALUES (?, ?, ?, 0, 0, 0, 0, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, channel);
      ps.setString(3, property);
      ps.setLong(4, now);
      Rows.setString(ps, 5, lane == null ? null : lane.configName());
      ps.setLong(6, since);
      ps.executeUpdate();
    }
  }

  private BatchRows() {}

  /**
   * Takes the transaction-scoped advisory lock of (channel, property): batchers on other workers
   * skip the property instead of waiting on its row locks, and form another's batches meanwhile. A
   * collision of two properties' hashes only makes one of them wait a turn.
   */
  static boolean tryLock(Connection c, String channel, String property) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TRY_LOCK)) {
      ps.setString(1, channel + "/" + property);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Splits the page over the properties, in turn order: equal shares, what a property does not need
   * going to the others (max-min fair). With more properties than cells, the first ones in turn get
   * one cell each and the rest wait for the next call.
   */
  static Map<String, Long> share(List<Map.Entry<String, Long>> pending, long maxCellsPerCall) {
    Map<String, Long> grants = new LinkedHashMap<>();
    List<Map.Entry<String, Long>> open = new ArrayList<>(pending);
    long left = maxCellsPerCall;
    while (left > 0 && !open.isEmpty()) {
      long each = Math.max(1, left / open.size());
      for (Iterator<Map.Entry<String, Long>> it = open.iterator(); it.hasNext() && left > 0; ) {
        Map.Entry<String, Long> p = it.next();
        long granted = grants.getOrDefault(p.getKey(), 0L);
        long give = Math.min(Math.min(each, p.getValue() - granted), left);
        grants.put(p.getKey(), granted + give);
        left -= give;
        if (granted + give == p.getValue()) {
          it.remove();
        }
      }
    }
    return grants;
  }
}
