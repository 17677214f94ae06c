package dev.paritysync.hotel.reconcile;

import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keeps reconciliation reports in table {@code reconciliation_reports} (hotel migration V3), as
 * their JSON, with their status. A report flagged {@link ReconciliationReport.Status#REVIEW} stays
 * there until {@link Reconciler#approve} re-pushes it. Thread-safe.
 */
public final class ReportStore {
  private final Database db;

  /** Reconciliation reports kept in {@code db}. */
  public ReportStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Stores {@code report} (a new id). */
  public void save(ReconciliationReport report) {
    db.inTransaction(c -> save(c, report));
  }

  Void save(Connection c, ReconciliationReport report) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reconciliation_reports (id, created_at, status, report)"
                + " VALUES (?, ?, ?, ?)")) {
      ps.setString(1, report.id());
      ps.setLong(2, report.createdAt().toEpochMilli());
      ps.setString(3, report.status().name());
      ps.setString(4, ReportJson.write(report));
      ps.executeUpdate();
    }
    return null;
  }

  /** Replaces stored report {@code report.id()} with {@code report}, recording who decided. */
  Void update(Connection c, ReconciliationReport report, long decidedAt, String decidedBy)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE reconciliation_reports SET status = ?, report = ?, decided_at = ?,"
                + " decided_by = ? WHERE id = ?")) {
      ps.setString(1, report.status().name());
      ps.setString(2, ReportJson.write(report));
      ps.setLong(3, decidedAt);
      ps.setString(4, decidedBy);
      ps.setString(5, report.id());
      ps.executeUpdate();
    }
    return null;
  }

  /** The stored report {@code id}, if any. */
  public Optional<ReconciliationReport> find(String id) {
    return db.read(c -> find(c, id));
  }

  Optional<ReconciliationReport> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT report FROM reconciliation_reports WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(ReportJson.read(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /**
   * At most {@code limit} stored reports, newest first (by when the pass ran, then id), starting
   * after the report created at {@code afterCreatedAt} with id {@code afterId} (both null: from the
   * newest). Reports stored meanwhile never shift a later page.
   */
  public List<ReconciliationReport> newestFirst(
      @Nullable Instant afterCreatedAt, @Nullable String afterId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if ((afterCreatedAt == null) != (afterId == null)) {
      throw new IllegalArgumentException("afterCreatedAt and afterId go together");
    }
    long afterMillis = afterCreatedAt == null ? 0 : afterCreatedAt.toEpochMilli();
    return db.read(
        c -> {
          List<ReconciliationReport> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT report FROM reconciliation_reports"
                      + (afterId == null
                          ? ""
                          : " WHERE created_at < ? OR (created_at = ? AND id < ?)")
                      + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
            int i = 1;
            if (afterId != null) {
              ps.setLong(i++, afterMillis);
              ps.setLong(i++, afterMillis);
              ps.setString(i++, afterId);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(ReportJson.read(rs.getString(1)));
              }
            }
          }
          return out;
        });
  }

  /** The ids of the reports waiting for approval, oldest first. */
  public List<String> awaitingReview() {
    return db.read(
        c -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id FROM reconciliation_reports WHERE status = 'REVIEW'"
                          + " ORDER BY created_at, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getString(1));
            }
          }
          return ids;
        });
  }
}
