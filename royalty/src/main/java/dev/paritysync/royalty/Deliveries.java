package dev.paritysync.royalty;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable record of completed deliveries (table {@code royalty_deliveries}, migrations at
 * {@link #MIGRATIONS}), so that the same delivery received again — same source and same SHA-256 or
 * same DSR message id, as {@link Delivery#sameAs} — is recognised and not counted twice. Stateless
 * apart from its clock; thread-safe. Methods run on the caller's connection, inside the caller's
 * transaction.
 */
public final class Deliveries {
  /** The Flyway location of the royalty module's tables; add it to the database's migrations. */
  public static final String MIGRATIONS = "classpath:db/migration/royalty";

  private static final String COLUMNS =
      "id, source, report, sha256, message_id, rows_read, valid, dead, warnings, ingested_at";

  private final Clock clock;

  /** Deliveries stamped with {@code clock}'s time. */
  public Deliveries(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The earliest recorded delivery that is the same as {@code delivery}, if any. */
  public Optional<IngestedDelivery> find(Connection c, Delivery delivery) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM royalty_deliveries WHERE source = ? AND (sha256 = ?"
            + (delivery.messageId() == null ? "" : " OR message_id = ?")
            + ") ORDER BY ingested_at, id LIMIT 1";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, delivery.source());
      ps.setString(2, delivery.sha256());
      if (delivery.messageId() != null) {
        ps.setString(3, delivery.messageId());
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** Records that {@code report}'s run {@code summary} completed, now. */
  public IngestedDelivery record(Connection c, String report, RunSummary summary)
      throws SQLException {
    Delivery d = summary.delivery();
    IngestedDelivery row =
        new IngestedDelivery(
            Ids.next(clock),
            d.source(),
            report,
            d.sha256(),
            d.messageId(),
            summary.rowsRead(),
            summary.valid(),
            summary.deadLettered(),
            summary.warnings(),
            Instant.ofEpochMilli(clock.millis()));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO royalty_deliveries ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, row.id());
      ps.setString(2, row.source());
      ps.setString(3, row.report());
      ps.setString(4, row.sha256());
      ps.setString(5, row.messageId());
      ps.setLong(6, row.rowsRead());
      ps.setLong(7, row.valid());
      ps.setLong(8, row.deadLettered());
      ps.setLong(9, row.warnings());
      ps.setLong(10, row.at().toEpochMilli());
      ps.executeUpdate();
    }
    return row;
  }

  private static IngestedDelivery read(ResultSet rs) throws SQLException {
    return new IngestedDelivery(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getLong(7),
        rs.getLong(8),
        rs.getLong(9),
        Instant.ofEpochMilli(rs.getLong(10)));
  }
}
