package dev.paritysync.hotel.engine;

import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.engine.HotelEngine.CellState;
import dev.paritysync.hotel.engine.HotelEngine.Conflict;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL behind {@link HotelEngine}'s reads and a person's actions on its outboxes: channel
 * counts, cell states, re-pushes and 409 conflicts. Kept apart from the engine, which runs the
 * delivery loops. Thread-safe as far as the database is.
 */
final class EngineSql {
  // One channel's counts, each with the channel as its one parameter: the status line and the
  // admin API read them here, the metrics' gauges (EngineMetrics) at each scrape.
  static final String PENDING =
      "SELECT COUNT(*) FROM ari_outbox WHERE channel = ? AND pending_version IS NOT NULL";
  static final String IN_FLIGHT =
      "SELECT COUNT(*) FROM ari_outbox WHERE channel = ? AND inflight_version IS NOT NULL";
  static final String RETRYING =
      "SELECT COUNT(*) FROM ari_batches b JOIN work_items w ON w.id = b.id"
          + " WHERE b.channel = ? AND b.retries > 0 AND w.state IN ('ready', 'leased')";
  static final String DEAD_LETTERS =
      "SELECT COUNT(*) FROM queue_items WHERE channel = ? AND queue = 'dead_letter'"
          + " AND state = 'open'";
  static final String RECONCILIATION =
      "SELECT COUNT(*) FROM queue_items WHERE channel = ? AND queue = 'reconciliation'"
          + " AND state = 'open'";
  static final String MAPPED = "SELECT COUNT(*) FROM ari_outbox WHERE channel = ?";
  static final String AT_PARITY =
      "SELECT COUNT(*) FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
          + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan AND t.date = o.date"
          + " WHERE o.channel = ? AND o.acked_version = t.version";

  private final Database db;
  private final Ledger ledger;
  private final Queues queues;
  private final WorkQueue workQueue;

  EngineSql(Database db, Ledger ledger, Queues queues, WorkQueue workQueue) {
    this.db = db;
    this.ledger = ledger;
    this.queues = queues;
    this.workQueue = workQueue;
  }

  /** {@code channel}'s counts from the database, with this process's requests and circuit. */
  HotelEngine.ChannelStatus status(Connection c, String ch, long requests, BreakerState circuit)
      throws SQLException {
    long pending = count(c, PENDING, ch);
    long inFlight = count(c, IN_FLIGHT, ch);
    long retrying = count(c, RETRYING, ch);
    long deadLetters = count(c, DEAD_LETTERS, ch);
    long reconciliation = count(c, RECONCILIATION, ch);
    long acknowledged = count(c, AT_PARITY, ch);
    return new HotelEngine.ChannelStatus(
        ch,
        pending,
        inFlight,
        retrying,
        deadLetters,
        reconciliation,
        acknowledged,
        requests,
        circuit);
  }

  /** See {@link HotelEngine#cells}. */
  List<CellState> cells(String channel, String property) {
    return db.read(
        c -> {
          List<CellState> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT t.property, t.room_type, t.rate_plan, t.date, t.version, t.rate,"
                      + " t.currency, t.availability, t.min_los, t.max_los, t.closed,"
                      + " t.closed_to_arrival, t.closed_to_departure, o.pending_version,"
                      + " o.inflight_version, o.acked_version FROM ari_truth t JOIN ari_outbox o"
                      + " ON o.property = t.property AND o.room_type = t.room_type"
                      + " AND o.rate_plan = t.rate_plan AND o.date = t.date"
                      + " WHERE o.channel = ? AND t.property = ?"
                      + " ORDER BY t.room_type, t.rate_plan, t.date")) {
            ps.setString(1, channel);
            ps.setString(2, property);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new CellState(
                        new Cell(
                            rs.getString("property"),
                            rs.getString("room_type"),
                            Rows.planOf(rs.getString("rate_plan")),
                            LocalDate.parse(rs.getString("date")),
                            Rows.values(rs)),
                        rs.getLong("version"),
                        Rows.longOrNull(rs, "pending_version"),
                        Rows.longOrNull(rs, "inflight_version"),
                        Rows.longOrNull(rs, "acked_version")));
              }
            }
          }
          return out;
        });
  }

  /** See {@link HotelEngine#repush}; {@code channel} is known. */
  int repush(String channel, String property, List<Cell> cells, String subject, String reason) {
    return db.inTransaction(
        c -> {
          int n = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE ari_outbox SET pending_version = (SELECT t.version FROM ari_truth t"
                      + " WHERE t.property = ari_outbox.property"
                      + " AND t.room_type = ari_outbox.room_type"
                      + " AND t.rate_plan = ari_outbox.rate_plan AND t.date = ari_outbox.date)"
                      + " WHERE channel = ? AND property = ? AND room_type = ? AND rate_plan = ?"
                      + " AND date = ? AND pending_version IS NULL AND inflight_version IS NULL")) {
            for (Cell cell : cells) {
              ps.setString(1, channel);
              ps.setString(2, property);
              ps.setString(3, cell.roomType());
              ps.setString(4, Rows.planKey(cell.ratePlan()));
              ps.setString(5, cell.date().toString());
              n += ps.executeUpdate();
            }
          }
          ledger.append(
              c,
              ledger
                  .entry("reconcile.repushed")
                  .withChannel(channel)
                  .withSubject(subject)
                  .withAttribute("property", property)
                  .withAttribute("cells", n)
                  .withAttribute("reason", reason)
                  .build());
          return n;
        });
  }

  /** See {@link HotelEngine#conflict}. */
  Conflict conflict(String itemId) {
    BatchPayload batch = batchOf(itemId);
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (BatchPayload.CellVersion v : batch.cells()) {
      keys.add(v.roomType() + "|" + v.ratePlan() + "|" + v.date());
    }
    return new Conflict(
        itemId,
        batch.channel(),
        batch.property(),
        cells(batch.channel(), batch.property()).stream()
            .filter(
                s ->
                    keys.contains(
                        s.cell().roomType() + "|" + s.cell().ratePlan() + "|" + s.cell().date()))
            .toList());
  }

  private BatchPayload batchOf(String itemId) {
    return db.read(
        c -> {
          dev.paritysync.store.QueueItem item =
              queues
                  .show(c, itemId)
                  .filter(i -> i.state() == dev.paritysync.store.QueueItem.State.OPEN)
                  .filter(i -> i.queue() == dev.paritysync.store.QueueItem.Queue.RECONCILIATION)
                  .orElseThrow(
                      () -> new IllegalArgumentException("no open reconciliation item " + itemId));
          BatchPayload batch =
              BatchPayload.fromJson(
                  workQueue
                      .find(c, item.subject())
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  "reconciliation item "
                                      + itemId
                                      + " names batch "
                                      + item.subject()
                                      + ", not found"))
                      .payload());
          return batch;
        });
  }

  /** See {@link HotelEngine#resolveConflict}. */
  void resolveConflict(String itemId, String action, boolean replayed, String by) {
    db.inTransactionRun(
        c -> {
          boolean closed =
              replayed ? queues.markReplayed(c, itemId) : queues.discard(c, itemId, action);
          if (!closed) {
            throw new IllegalArgumentException("no open reconciliation item " + itemId);
          }
          ledger.append(
              c,
              ledger
                  .entry("reconcile.resolved")
                  .withSubject(itemId)
                  .withAttribute("action", action)
                  .withAttribute("by", by)
                  .build());
        });
  }

  private static long count(Connection c, String sql, String channel) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, channel);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
