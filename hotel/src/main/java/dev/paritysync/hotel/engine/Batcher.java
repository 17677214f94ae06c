package dev.paritysync.hotel.engine;

import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.batch.RangeCompressor;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.WorkItem;
import dev.paritysync.store.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns one channel's pending cells into batches. In one transaction, per property: takes every
 * outbox row with a pending version and nothing in flight (a cell whose previous version is still
 * in flight waits for it to be acknowledged or to fail, so an older value never lands after a newer
 * one), reads the cells' values from truth, compresses them into ranges under the channel's limits,
 * and enqueues one work item per request on queue {@code deliver:<channel>}; the rows move from
 * pending to in flight under that item's id, which is the batch's idempotency key, stable across
 * retries and restarts because it is data. Appends {@code batch.formed} per batch and correlation
 * id.
 *
 * <p>Thread-safe; concurrent calls for one channel serialise on the database.
 */
public final class Batcher {
  private static final String SELECT =
      "SELECT o.property, o.room_type, o.rate_plan, o.date, o.pending_version, t.rate,"
          + " t.currency, t.availability, t.min_los, t.max_los, t.closed, t.closed_to_arrival,"
          + " t.closed_to_departure, ch.correlation_id"
          + " FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
          + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan AND t.date = o.date"
          + " LEFT JOIN ari_changes ch ON ch.id = t.change_id"
          + " WHERE o.channel = ? AND o.pending_version IS NOT NULL"
          + " AND o.inflight_version IS NULL"
          + " ORDER BY o.property, o.room_type, o.rate_plan, o.date";
  private static final String TAKE =
      "UPDATE ari_outbox SET inflight_version = pending_version, pending_version = NULL,"
          + " inflight_batch = ? WHERE channel = ? AND property = ? AND room_type = ?"
          + " AND rate_plan = ? AND date = ? AND inflight_version IS NULL";

  private final Database db;
  private final WorkQueue queue;
  private final Ledger ledger;
  private final Clock clock;
  private final String channel;
  private final RangeCompressor compressor;

  /**
   * A batcher for {@code channel}, filling requests up to {@code limits} as {@code adapter}
   * estimates their size.
   */
  public Batcher(
      Database db,
      WorkQueue queue,
      Ledger ledger,
      Clock clock,
      String channel,
      ChannelLimits limits,
      ChannelAdapter adapter) {
    this.db = Objects.requireNonNull(db, "db");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.compressor = new RangeCompressor(limits, adapter::estimateSize);
  }

  /** The work queue that holds {@code channel}'s batches. */
  public static String queueName(String channel) {
    return "deliver:" + channel;
  }

  /** Forms every batch that can be formed now; returns their ids (= idempotency keys). */
  public List<String> formBatches() {
    return db.inTransaction(this::formBatches);
  }

  private List<String> formBatches(Connection c) throws SQLException {
    Map<String, List<Pending>> byProperty = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setString(1, channel);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Cell cell =
              new Cell(
                  rs.getString("property"),
                  rs.getString("room_type"),
                  Rows.planOf(rs.getString("rate_plan")),
                  LocalDate.parse(rs.getString("date")),
                  Rows.values(rs));
          byProperty
              .computeIfAbsent(cell.property(), p -> new ArrayList<>())
              .add(
                  new Pending(cell, rs.getLong("pending_version"), rs.getString("correlation_id")));
        }
      }
    }
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, List<Pending>> e : byProperty.entrySet()) {
      ids.addAll(formProperty(c, e.getKey(), e.getValue()));
    }
    return ids;
  }

  private List<String> formProperty(Connection c, String property, List<Pending> pending)
      throws SQLException {
    Map<Key, Pending> byKey = new HashMap<>();
    List<Cell> cells = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      byKey.put(Key.of(p.cell), p);
      cells.add(p.cell);
    }
    List<String> ids = new ArrayList<>();
    for (List<CellRange> request : compressor.compress(cells)) {
      List<BatchPayload.CellVersion> versions = new ArrayList<>();
      Set<String> correlations = new LinkedHashSet<>();
      for (CellRange range : request) {
        for (LocalDate d = range.from(); !d.isAfter(range.to()); d = d.plusDays(1)) {
          Pending p = byKey.get(new Key(range.roomType(), range.ratePlan(), d));
          versions.add(
              new BatchPayload.CellVersion(range.roomType(), range.ratePlan(), d, p.version));
          if (p.correlationId != null) {
            correlations.add(p.correlationId);
          }
        }
      }
      BatchPayload payload =
          new BatchPayload(channel, property, request, versions, List.copyOf(correlations));
      WorkItem item =
          queue.enqueue(c, queueName(channel), channel + "/" + property, payload.toJson());
      take(c, item.id(), property, versions);
      insertBatch(c, item.id(), property);
      for (String correlation : correlations.isEmpty() ? List.of("") : correlations) {
        ledger.append(
            c,
            ledger
                .entry("batch.formed")
                .withCorrelationId(correlation.isEmpty() ? null : correlation)
                .withChannel(channel)
                .withSubject(item.id())
                .withAttribute("property", property)
                .withAttribute("ranges", request.size())
                .withAttribute("cells", versions.size())
                .build());
      }
      ids.add(item.id());
    }
    return ids;
  }

  private void take(
      Connection c, String batch, String property, List<BatchPayload.CellVersion> versions)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TAKE)) {
      for (BatchPayload.CellVersion v : versions) {
        ps.setString(1, batch);
        ps.setString(2, channel);
        ps.setString(3, property);
        ps.setString(4, v.roomType());
        ps.setString(5, Rows.planKey(v.ratePlan()));
        ps.setString(6, v.date().toString());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertBatch(Connection c, String id, String property) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ari_batches (id, channel, property, retries, previous_delay_millis,"
                + " auth_refreshed, deferrals, created_at) VALUES (?, ?, ?, 0, 0, 0, 0, ?)")) {
      ps.setString(1, id);
      ps.setString(2, channel);
      ps.setString(3, property);
      ps.setLong(4, clock.millis());
      ps.executeUpdate();
    }
  }

  private record Pending(Cell cell, long version, String correlationId) {}

  private record Key(String roomType, String ratePlan, LocalDate date) {
    static Key of(Cell cell) {
      return new Key(cell.roomType(), cell.ratePlan(), cell.date());
    }
  }
}
