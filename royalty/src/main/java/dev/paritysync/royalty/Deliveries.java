package dev.paritysync.royalty;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Ids;
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
 * The durable record of deliveries (table {@code royalty_deliveries}, migrations at {@link
 * #MIGRATIONS}): which delivery of each report holds the report's rows in the lake, whether it was
 * complete, and which ones it replaced.
 *
 * <p>{@link #decide} judges an {@link Arrival} against the <em>current</em> deliveries (not yet
 * replaced) of the same source that are the same report (same report id) or the same delivery (same
 * SHA-256 or DSR message id, see {@link Delivery#sameAs}):
 *
 * <ul>
 *   <li>none: {@link Write} it;
 *   <li>the same bytes are current: {@link Duplicate} (unless forced), complete or not;
 *   <li>the arrival is incomplete and a complete delivery of the report is current: {@link Refused}
 *       (unless forced) — an incomplete delivery never replaces a complete one;
 *   <li>the arrival is complete and the same delivery (same DSR message id), complete, is current:
 *       {@link Duplicate} (unless forced);
 *   <li>otherwise {@link Write} it, replacing the current deliveries of the report: a complete
 *       delivery replaces an incomplete one, a second incomplete one replaces the first, and a
 *       corrected report (other bytes, no shared message id) or the same report by another route
 *       replaces the earlier one.
 * </ul>
 *
 * Stateless apart from its clock; thread-safe. Methods run on the caller's connection, inside the
 * caller's transaction.
 */
public final class Deliveries {
  /** The Flyway location of the royalty module's tables; add it to the database's migrations. */
  public static final String MIGRATIONS = "classpath:db/migration/royalty";

  private static final String COLUMNS =
      "id, source, report, report_id, route, sha256, message_id, rows_read, valid, dead, warnings,"
          + " ingested_at, incomplete, replaced_by, period, territory, usage_type";

  private final Clock clock;

  /** Deliveries stamped with {@code clock}'s time. */
  public Deliveries(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What to do with an arrival. */
  public sealed interface Verdict permits Write, Duplicate, Refused {}

  /**
   * Write the arrival's rows as report {@code reportId} (the lake's files are named after it),
   * replacing {@code replacing}, then {@link #record} it.
   */
  public record Write(String reportId, List<IngestedDelivery> replacing) implements Verdict {
    /** Copies the list. */
    public Write {
      replacing = List.copyOf(replacing);
    }
  }

  /** The same delivery, complete, is already recorded; write nothing. */
  public record Duplicate(IngestedDelivery earlier) implements Verdict {}

  /** The arrival is incomplete and {@code complete} holds the report; write nothing. */
  public record Refused(IngestedDelivery complete) implements Verdict {}

  /**
   * Judges {@code arrival}, as the class describes; {@code force} writes it whatever is recorded.
   */
  public Verdict decide(Connection c, Arrival arrival, boolean force) throws SQLException {
    Delivery d = arrival.summary().delivery();
    List<IngestedDelivery> current = current(c, d, arrival.reportId());
    IngestedDelivery same = null;
    boolean sameReport = false;
    for (IngestedDelivery e : current) {
      if (same == null && e.delivery().sameAs(d)) {
        same = e;
      }
      sameReport |= e.reportId().equals(arrival.reportId());
    }
    String reportId = sameReport || same == null ? arrival.reportId() : same.reportId();
    List<IngestedDelivery> replacing =
        current.stream().filter(e -> e.reportId().equals(reportId)).toList();
    if (!force) {
      Optional<IngestedDelivery> sameBytes =
          current.stream().filter(e -> e.sha256().equals(d.sha256())).findFirst();
      if (sameBytes.isPresent()) {
        return new Duplicate(sameBytes.get()); // the same bytes cannot be more complete
      }
      Optional<IngestedDelivery> complete =
          replacing.stream().filter(IngestedDelivery::complete).findFirst();
      if (!arrival.summary().complete() && complete.isPresent()) {
        return new Refused(complete.get());
      }
      if (arrival.summary().complete() && same != null && same.complete()) {
        return new Duplicate(same);
      }
    }
    return new Write(reportId, replacing);
  }

  /** The earliest current delivery that is the same as {@code delivery}, if any. */
  public Optional<IngestedDelivery> find(Connection c, Delivery delivery) throws SQLException {
    return current(c, delivery, null).stream()
        .filter(e -> e.delivery().sameAs(delivery))
        .findFirst();
  }

  /**
   * Records {@code arrival}, written as {@code write} said, now; marks the deliveries it replaced.
   */
  public IngestedDelivery record(Connection c, Arrival arrival, Write write) throws SQLException {
    RunSummary s = arrival.summary();
    Delivery d = s.delivery();
    IngestedDelivery row =
        new IngestedDelivery(
            Ids.next(clock),
            d.source(),
            arrival.report(),
            write.reportId(),
            arrival.route(),
            d.sha256(),
            d.messageId(),
            s.rowsRead(),
            s.valid(),
            s.deadLettered(),
            s.warnings(),
            Instant.ofEpochMilli(clock.millis()),
            s.incomplete(),
            null,
            arrival.period(),
            arrival.territory(),
            arrival.usageType());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO royalty_deliveries ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      String[] texts = {
        row.id(),
        row.source(),
        row.report(),
        row.reportId(),
        row.route(),
        row.sha256(),
        row.messageId()
      };
      for (int i = 0; i < texts.length; i++) {
        ps.setString(i + 1, texts[i]);
      }
      ps.setLong(8, row.rowsRead());
      ps.setLong(9, row.valid());
      ps.setLong(10, row.deadLettered());
      ps.setLong(11, row.warnings());
      ps.setLong(12, row.at().toEpochMilli());
      ps.setString(13, row.incomplete());
      ps.setString(14, null);
      ps.setString(15, row.period());
      ps.setString(16, row.territory());
      ps.setString(17, row.usageType());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE royalty_deliveries SET replaced_by = ? WHERE id = ?")) {
      for (IngestedDelivery old : write.replacing()) {
        ps.setString(1, row.id());
        ps.setString(2, old.id());
        ps.executeUpdate();
      }
    }
    return row;
  }

  /** Every delivery of {@code source} (every source when null), oldest first. */
  public List<IngestedDelivery> list(Connection c, @Nullable String source) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM royalty_deliveries"
            + (source == null ? "" : " WHERE source = ?")
            + " ORDER BY ingested_at, id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (source != null) {
        ps.setString(1, source);
      }
      return read(ps);
    }
  }

  /**
   * At most {@code limit} deliveries of {@code source} (every source when null), newest first,
   * after skipping {@code offset}: one page of a listing.
   */
  public List<IngestedDelivery> page(Connection c, @Nullable String source, long offset, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM royalty_deliveries"
            + (source == null ? "" : " WHERE source = ?")
            + " ORDER BY ingested_at DESC, id DESC LIMIT ? OFFSET ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (source != null) {
        ps.setString(i++, source);
      }
      ps.setInt(i++, limit);
      ps.setLong(i, offset);
      return read(ps);
    }
  }

  /** The delivery recorded as {@code id}, if any. */
  public Optional<IngestedDelivery> get(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM royalty_deliveries WHERE id = ?")) {
      ps.setString(1, id);
      return read(ps).stream().findFirst();
    }
  }

  /** The sources that have a recorded delivery, by name. */
  public static List<String> sources(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT DISTINCT source FROM royalty_deliveries ORDER BY source");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Current deliveries of the source with the same bytes, message id or report id. */
  private List<IngestedDelivery> current(Connection c, Delivery d, @Nullable String reportId)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM royalty_deliveries WHERE source = ? AND replaced_by IS NULL AND (sha256 = ?"
            + (d.messageId() == null ? "" : " OR message_id = ?")
            + (reportId == null ? "" : " OR report_id = ?")
            + ") ORDER BY ingested_at, id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, d.source());
      ps.setString(i++, d.sha256());
      if (d.messageId() != null) {
        ps.setString(i++, d.messageId());
      }
      if (reportId != null) {
        ps.setString(i, reportId);
      }
      return read(ps);
    }
  }

  private static List<IngestedDelivery> read(PreparedStatement ps) throws SQLException {
    List<IngestedDelivery> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new IngestedDelivery(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getLong(11),
                Instant.ofEpochMilli(rs.getLong(12)),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15),
                rs.getString(16),
                rs.getString(17)));
      }
    }
    return out;
  }

  /**
   * The open dead letters of {@code source}'s delivery {@code delivery} (their correlation id): a
   * delivery that replaces it supersedes them.
   */
  public static List<String> openDeadLetters(Connection c, String source, String delivery)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM queue_items WHERE queue = 'dead_letter' AND state = 'open'"
                + " AND channel = ? AND correlation_id = ?")) {
      ps.setString(1, source);
      ps.setString(2, delivery);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** Why a dead letter of {@code earlier} is discarded when {@code report} replaces it. */
  public static String supersededReason(String earlier, String report) {
    return earlier.equals(report)
        ? "superseded: report " + report + " ingested again"
        : "superseded: report " + earlier + " replaced by " + report;
  }
}
