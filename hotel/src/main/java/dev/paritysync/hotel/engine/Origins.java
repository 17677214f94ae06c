package dev.paritysync.hotel.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where a batch's versions came from: when the oldest was accepted, and the traceparents of the
 * ingest calls that accepted them, oldest first (calls traced with tracing off have none).
 *
 * @param acceptedAtMillis when the batch's oldest version was accepted, or null when unknown
 * @param traceparents the ingest spans' traceparents, oldest version first, at most {@value
 *     #MAX_VERSIONS}
 */
record Origins(@Nullable Long acceptedAtMillis, List<String> traceparents) {
  /** How many of a batch's versions are looked up, oldest first. */
  static final int MAX_VERSIONS = EngineTraces.MAX_LINKS + 1;

  static final Origins NONE = new Origins(null, List.of());

  Origins {
    traceparents = Collections.unmodifiableList(new ArrayList<>(traceparents));
  }

  /** Looks up the origins of {@code batch}'s versions (one query, an index probe per version). */
  static Origins of(Connection c, BatchPayload batch) throws SQLException {
    TreeSet<Long> versions = new TreeSet<>();
    for (BatchPayload.CellVersion v : batch.cells()) {
      versions.add(v.version());
    }
    List<Long> oldest = new ArrayList<>();
    for (Long v : versions) {
      if (oldest.size() == MAX_VERSIONS) {
        break;
      }
      oldest.add(v);
    }
    if (oldest.isEmpty()) {
      return NONE;
    }
    Long acceptedAt = null;
    List<String> traceparents = new ArrayList<>();
    // All changes of one ingest call share its version, time and span, so one row per version
    // answers: a large import's version has tens of thousands of rows, and aggregating them all
    // for every batch read the whole import once per batch sent.
    String oneRow =
        "SELECT * FROM (SELECT version, received_at, traceparent FROM ari_changes"
            + " WHERE version = ? LIMIT 1) AS v";
    try (PreparedStatement ps =
        c.prepareStatement(
            String.join(" UNION ALL ", Collections.nCopies(oldest.size(), oneRow))
                + " ORDER BY 1")) {
      for (int i = 0; i < oldest.size(); i++) {
        ps.setLong(i + 1, oldest.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (acceptedAt == null) {
            acceptedAt = rs.getLong(2);
          }
          String tp = rs.getString(3);
          if (tp != null) {
            traceparents.add(tp);
          }
        }
      }
    }
    return new Origins(acceptedAt, traceparents);
  }
}
