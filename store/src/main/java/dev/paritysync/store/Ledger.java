package dev.paritysync.store;

import dev.paritysync.core.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The append-only audit trail: changes accepted, batches formed, attempts, acknowledgements, queue
 * entries and exits. There is no API to update or delete an entry: only retention deletes entries
 * older than it keeps ({@link Pruner}, run by the engine's retention). Appends take the caller's
 * {@link Connection} so that a fact is recorded in the same transaction as the change it describes:
 * both commit, or neither does.
 *
 * <p>Queries return entries in order of {@code at}, then id. Thread-safe.
 */
public final class Ledger {
  private static final String COLUMNS =
      "id, at, kind, correlation_id, channel, subject, attributes";

  private static final String INSERT =
      "INSERT INTO ledger (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final Clock clock;

  /** A ledger stamping new entries from {@code clock}. */
  public Ledger(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A builder for an entry of {@code kind}, stamped with a new id and the clock's instant. */
  public LedgerEntry.Builder entry(String kind) {
    return LedgerEntry.builder(Ids.next(clock), Instant.ofEpochMilli(clock.millis()), kind);
  }

  /**
   * Appends {@code entry} in the caller's transaction.
   *
   * @throws IllegalArgumentException when an attribute cannot be written as JSON, naming the kind
   */
  public void append(Connection c, LedgerEntry entry) throws SQLException {
    Objects.requireNonNull(entry, "entry");
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bind(ps, entry);
      ps.executeUpdate();
    }
  }

  /**
   * Appends {@code entries} in the caller's transaction, in order, as one JDBC batch: one round
   * trip where one per entry cost an ingest of 30,000 changes 30,000 round trips.
   *
   * @throws IllegalArgumentException when an attribute cannot be written as JSON, naming the kind;
   *     then nothing of {@code entries} is sent
   */
  public void append(Connection c, List<LedgerEntry> entries) throws SQLException {
    if (entries.size() <= 1) {
      for (LedgerEntry entry : entries) {
        append(c, entry);
      }
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (LedgerEntry entry : entries) {
        bind(ps, entry);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void bind(PreparedStatement ps, LedgerEntry entry) throws SQLException {
    ps.setString(1, entry.id());
    ps.setLong(2, entry.at().toEpochMilli());
    ps.setString(3, entry.kind());
    ps.setString(4, entry.correlationId());
    ps.setString(5, entry.channel());
    ps.setString(6, entry.subject());
    ps.setString(7, Json.write(entry.attributes(), "attributes of ledger entry " + entry.kind()));
  }

  /** Every entry with {@code correlationId}. */
  public List<LedgerEntry> byCorrelation(Connection c, String correlationId) throws SQLException {
    return query(c, "correlation_id", correlationId);
  }

  /** Every entry about {@code subject}. */
  public List<LedgerEntry> bySubject(Connection c, String subject) throws SQLException {
    return query(c, "subject", subject);
  }

  private static List<LedgerEntry> query(Connection c, String column, String value)
      throws SQLException {
    Objects.requireNonNull(value, column);
    List<LedgerEntry> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM ledger WHERE " + column + " = ? ORDER BY at, id")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString("id");
          out.add(
              new LedgerEntry(
                  id,
                  Instant.ofEpochMilli(rs.getLong("at")),
                  rs.getString("kind"),
                  rs.getString("correlation_id"),
                  rs.getString("channel"),
                  rs.getString("subject"),
                  Json.readMap(rs.getString("attributes"), "ledger entry " + id)));
        }
      }
    }
    return out;
  }
}
