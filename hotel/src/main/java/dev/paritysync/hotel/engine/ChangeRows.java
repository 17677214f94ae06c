package dev.paritysync.hotel.engine;

import dev.paritysync.hotel.ari.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ari_changes} rows {@link Ingest} writes: one per accepted change, with its payload.
 */
final class ChangeRows {
  private ChangeRows() {}

  /**
   * Inserts change {@code i} of {@code changes} with id {@code ids[i]}, version {@code versions[i]}
   * and the traceparent of its ingest span {@code traceparents[i]} (null: untraced).
   */
  static void insert(
      Connection c,
      List<Change> changes,
      List<String> ids,
      List<String> correlationIds,
      long[] versions,
      long now,
      String[] traceparents)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ari_changes (id, correlation_id, version, received_at, payload,"
                + " traceparent) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < changes.size(); i++) {
        ps.setString(1, ids.get(i));
        ps.setString(2, correlationIds.get(i));
        ps.setLong(3, versions[i]);
        ps.setLong(4, now);
        ps.setString(5, Rows.json(payload(changes.get(i)), "change " + ids.get(i)));
        Rows.setString(ps, 6, traceparents[i]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Map<String, Object> payload(Change change) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("property", change.property());
    p.put("roomType", change.roomType());
    p.put("ratePlan", change.ratePlan());
    p.put("from", change.from().toString());
    p.put("to", change.to().toString());
    if (change.rate() != null) {
      p.put("rate", change.rate().amount().toPlainString());
      p.put("currency", change.rate().currency());
    }
    p.put("availability", change.availability());
    if (change.restrictions() != null) {
      p.put("minLos", change.restrictions().minLos());
      p.put("maxLos", change.restrictions().maxLos());
      p.put("closed", change.restrictions().closed());
      p.put("closedToArrival", change.restrictions().closedToArrival());
      p.put("closedToDeparture", change.restrictions().closedToDeparture());
    }
    return p;
  }
}
