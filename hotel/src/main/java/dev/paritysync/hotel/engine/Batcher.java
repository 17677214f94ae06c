package dev.paritysync.hotel.engine;

import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.batch.RangeCompressor;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.hotel.channel.ChannelPriority;
import dev.paritysync.hotel.channel.PriorityClass;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.WorkItem;
import dev.paritysync.store.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Turns one channel's pending cells into batches. Per call, and per property in one transaction:
 * takes outbox rows with a pending version and nothing in flight (a cell whose previous version is
 * still in flight waits for it to be acknowledged or to fail, so an older value never lands after a
 * newer one), reads the cells' values from truth, compresses them per property into ranges under
 * the channel's limits, and enqueues one work item per request on queue {@code deliver:<channel>};
 * the rows move from pending to in flight under that item's id, which is the batch's idempotency
 * key, stable across retries and restarts because it is data. Appends {@code batch.formed} per
 * batch and correlation id.
 *
 * <p>Priority lanes ({@link #withPriority}, on by default): each pending cell is in the lane of the
 * highest-ranked class its unsent changes touch ({@link Lanes}); a batch carries one lane's cells,
 * and a property's lanes are served in the configured order, except that a lane whose oldest change
 * has waited {@code maxWait} goes first. With priority off, there is one lane.
 *
 * <p>A property that already has a batch formed and not yet sent (waiting for its first claim, or
 * put back unsent by the quota or the circuit) gets no new batch in that batch's lane: its pending
 * cells coalesce and go together once that batch has gone. A batch waiting for a retry does not
 * hold a property back.
 *
 * <p>Paging: a call takes at most {@code maxCellsPerCall} cells (default {@value
 * #DEFAULT_MAX_CELLS_PER_CALL}), so a backlog of any size costs bounded memory and a bounded
 * transaction; later calls take the rest. The page is shared fairly: properties with work are
 * served in turn, starting after the last one served by the previous call, and each gets an equal
 * share of the page, what a small property leaves unused going to the others, so a property with a
 * huge backlog never starves the rest. Within a property, cells are taken in the order room type,
 * rate plan, date, and a page ends at the end of a (room type, rate plan) series when it can: a
 * series is cut only when it alone is longer than the property's share, and the next call resumes
 * it at the next date.
 *
 * <p>Thread-safe, also across processes sharing the database: concurrent calls for one channel
 * never take a cell twice, and never record a version in flight other than the one they send. On
 * SQLite writers take turns. On PostgreSQL one batcher at a time forms a property's batches (a
 * transaction-scoped advisory lock; the others skip the property this call instead of waiting), its
 * transaction locks the outbox rows it reads and share-locks their truth rows, so an ingest waits
 * for those rows; a row found changed at the take (which the locks should prevent) rolls the
 * property's transaction back and runs it again.
 *
 * <p>Public only for {@link #queueName} (the admin views read a channel's batch queue by it); the
 * engine alone forms batches.
 */
public final class Batcher {
  /** The cells one call takes at most, unless the constructor is given another bound. */
  public static final int DEFAULT_MAX_CELLS_PER_CALL = 10_000;

  private static final String SELECT =
      "SELECT o.property, o.room_type, o.rate_plan, o.date, o.pending_version, t.rate,"
          + " t.currency, t.availability, t.min_los, t.max_los, t.closed, t.closed_to_arrival,"
          + " t.closed_to_departure, ch.correlation_id, o.pending_since"
          + " FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
          + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan AND t.date = o.date"
          + " LEFT JOIN ari_changes ch ON ch.id = t.change_id"
          + " WHERE o.channel = ? AND o.property = ? AND o.pending_version IS NOT NULL"
          + " AND o.inflight_version IS NULL";
  private static final String ORDER = " ORDER BY o.room_type, o.rate_plan, o.date LIMIT ?";
  // PostgreSQL: lock the page's outbox rows, so a concurrent batcher of the channel waits instead
  // of taking the same cells, and share-lock their truth rows, so an ingest waits instead of
  // changing a cell between this read and the take. A row that was waited for is read again at its
  // newest version, truth and outbox alike, so the values sent always match the version recorded.
  // (SQLite has one writer at a time and needs no row locks.)
  private static final String LOCK = " FOR UPDATE OF o FOR SHARE OF t";
  // Per property and lane: the claimable cells, and when the oldest of their changes was accepted.
  private static final String COUNT =
      " COUNT(*), MIN(COALESCE(o.pending_since, ?)) FROM ari_outbox o WHERE o.channel = ?"
          + " AND o.pending_version IS NOT NULL AND o.inflight_version IS NULL";
  // Properties with a batch formed but not sent yet (waiting for its first claim, or put back by
  // the quota or the circuit). A retry of a batch that failed is not counted: it must not hold
  // back other cells.
  private static final String WAITING =
      "SELECT DISTINCT b.property, b.lane FROM work_items w JOIN ari_batches b ON b.id = w.id"
          + " WHERE w.queue = ? AND w.state = 'ready' AND b.retries = 0";

  private final Database db;
  private final WorkQueue queue;
  private final Ledger ledger;
  private final Clock clock;
  private final String channel;
  private final RangeCompressor compressor;
  private final int maxCellsPerCall;
  private final boolean hold;
  private final Lanes lanes;
  // The property served last: the next call starts after it. Only a fairness hint, so it lives in
  // memory; after a restart the turn starts again at the first property.
  private final AtomicReference<String> lastServed = new AtomicReference<>();

  /**
   * A batcher for {@code channel}, filling requests up to {@code limits} as {@code adapter}
   * estimates their size, taking at most {@value #DEFAULT_MAX_CELLS_PER_CALL} cells per call.
   */
  Batcher(
      Database db,
      WorkQueue queue,
      Ledger ledger,
      Clock clock,
      String channel,
      ChannelLimits limits,
      ChannelAdapter adapter) {
    this(db, queue, ledger, clock, channel, limits, adapter, DEFAULT_MAX_CELLS_PER_CALL);
  }

  /**
   * A batcher for {@code channel}, filling requests up to {@code limits} as {@code adapter}
   * estimates their size, taking at most {@code maxCellsPerCall} cells per call.
   *
   * @throws IllegalArgumentException when {@code maxCellsPerCall} is less than 1
   */
  Batcher(
      Database db,
      WorkQueue queue,
      Ledger ledger,
      Clock clock,
      String channel,
      ChannelLimits limits,
      ChannelAdapter adapter,
      int maxCellsPerCall) {
    this(
        db,
        queue,
        ledger,
        clock,
        channel,
        new RangeCompressor(limits, adapter::estimateSize),
        maxCellsPerCall,
        true,
        new Lanes(ChannelPriority.DEFAULT));
  }

  private Batcher(
      Database db,
      WorkQueue queue,
      Ledger ledger,
      Clock clock,
      String channel,
      RangeCompressor compressor,
      int maxCellsPerCall,
      boolean hold,
      Lanes lanes) {
    if (maxCellsPerCall < 1) {
      throw new IllegalArgumentException(
          "maxCellsPerCall must be at least 1, was " + maxCellsPerCall);
    }
    this.maxCellsPerCall = maxCellsPerCall;
    this.db = Objects.requireNonNull(db, "db");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.compressor = compressor;
    this.hold = hold;
    this.lanes = lanes;
  }

  /**
   * This batcher without the hold: it forms batches for a property even while an earlier one has
   * not gone. For tests that need several batches of one property waiting at once.
   */
  Batcher eager() {
    return new Batcher(
        db, queue, ledger, clock, channel, compressor, maxCellsPerCall, false, lanes);
  }

  /**
   * This batcher with the lanes {@code priority} describes (the constructors give {@link
   * ChannelPriority#DEFAULT}): per property, one batch at a time per lane, lanes served in order
   * except that one whose oldest change has waited {@code maxWait} goes first; with priority off,
   * one lane, first in first out.
   */
  Batcher withPriority(ChannelPriority priority) {
    return new Batcher(
        db,
        queue,
        ledger,
        clock,
        channel,
        compressor,
        maxCellsPerCall,
        hold,
        new Lanes(Objects.requireNonNull(priority, "priority")));
  }

  /** The work queue that holds {@code channel}'s batches. */
  public static String queueName(String channel) {
    return "deliver:" + channel;
  }

  /**
   * Forms batches from at most {@code maxCellsPerCall} pending cells; returns their ids (=
   * idempotency keys), empty when nothing is pending. Call again while it returns batches to drain
   * a larger backlog.
   */
  List<String> formBatches() {
    long now = clock.millis();
    Map<String, Map<PriorityClass, Long>> oldest = new HashMap<>();
    Map<String, Long> grants =
        db.read(c -> BatchRows.share(pendingByProperty(c, now, oldest), maxCellsPerCall));
    List<String> ids = new ArrayList<>();
    String last = null;
    for (String property : grants.keySet()) {
      last = property;
    }
    // One transaction per property, so other workers can claim and send a property's batches
    // while the next property's are formed, and the rows a transaction locks are one property's.
    // Properties
    // go in name order, the same in every batcher, so concurrent batchers do not deadlock; the turn
    // order only decides the shares.
    for (Map.Entry<String, Long> e : new TreeMap<>(grants).entrySet()) {
      Map<PriorityClass, Long> lanesOf = oldest.getOrDefault(e.getKey(), Map.of());
      ids.addAll(db.inTransaction(c -> formProperty(c, e.getKey(), e.getValue(), lanesOf, now)));
    }
    if (last != null) {
      lastServed.set(last);
    }
    return ids;
  }

  /**
   * Forms the batches of up to {@code limit} of the property's pending cells, lane by lane in
   * service order ({@code oldest}: the lanes with cells, and when their oldest change was accepted;
   * with priority off, one lane, {@code null}); none when another batcher is forming the property's
   * batches right now (PostgreSQL), and none in a lane which, with the hold, has a batch waiting
   * unsent.
   */
  private List<String> formProperty(
      Connection c, String property, long limit, Map<PriorityClass, Long> oldest, long now)
      throws SQLException {
    if (db.dialect() == Dialect.POSTGRESQL && !BatchRows.tryLock(c, channel, property)) {
      return List.of(); // another worker forms this property's batches; it is theirs this turn
    }
    List<PriorityClass> order =
        lanes.on() ? lanes.serviceOrder(oldest, now) : java.util.Collections.singletonList(null);
    List<String> ids = new ArrayList<>();
    long left = limit;
    for (PriorityClass lane : order) {
      if (left <= 0) {
        break;
      }
      if (hold && waiting(c, property, lane)) {
        continue; // formed by another batcher since the shares were counted
      }
      List<Pending> page = page(c, property, lane, left);
      left -= page.size();
      ids.addAll(formProperty(c, property, lane, page, now));
    }
    return ids;
  }

  private boolean waiting(Connection c, String property, PriorityClass lane) throws SQLException {
    String sql = WAITING + " AND b.property = ?";
    if (lane != null) {
      sql += " AND (b.lane = ? OR b.lane IS NULL)";
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, queueName(channel));
      ps.setString(2, property);
      if (lane != null) {
        ps.setString(3, lane.configName());
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Drops the lanes that have a batch waiting unsent from {@code lanesOf} (all of a property's,
   * when priority is off or the waiting batch has no lane).
   */
  private void holdBack(Connection c, Map<String, Map<PriorityClass, long[]>> lanesOf)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(WAITING)) {
      ps.setString(1, queueName(channel));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String lane = rs.getString(2);
          if (!lanes.on() || lane == null) {
            lanesOf.remove(rs.getString(1));
          } else if (lanesOf.containsKey(rs.getString(1))) {
            lanesOf.get(rs.getString(1)).remove(Lanes.lane(lane));
          }
        }
      }
    }
  }

  /**
   * Claimable cells per property, properties in turn: the first after the last one served. Fills
   * {@code oldest} with each property's lanes that are not held back, and when their oldest change
   * was accepted (priority off: one lane, {@code null}).
   */
  private List<Map.Entry<String, Long>> pendingByProperty(
      Connection c, long now, Map<String, Map<PriorityClass, Long>> oldest) throws SQLException {
    Map<String, Map<PriorityClass, long[]>> lanesOf = new HashMap<>();
    String sql =
        lanes.on()
            ? "SELECT o.property, " + lanes.laneOfRow() + "," + COUNT + " GROUP BY 1, 2"
            : "SELECT o.property, NULL," + COUNT + " GROUP BY 1";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, now);
      ps.setString(2, channel);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String lane = rs.getString(2);
          lanesOf
              .computeIfAbsent(rs.getString(1), k -> new HashMap<>())
              .put(
                  lane == null ? null : Lanes.lane(lane),
                  new long[] {rs.getLong(3), rs.getLong(4)});
        }
      }
    }
    // A property whose previous batch has not gone yet gets no new one: its pending cells wait and
    // coalesce, and go together in the next batch, formed once that one has gone. Under a quota
    // that binds, every request then carries as much as the channel's limits allow, instead of
    // one fragment per loop step each waiting for its own token.
    if (hold) {
      holdBack(c, lanesOf);
    }
    TreeMap<String, Long> counts = new TreeMap<>();
    lanesOf.forEach(
        (property, byLane) -> {
          long n = 0;
          Map<PriorityClass, Long> since = new HashMap<>();
          for (Map.Entry<PriorityClass, long[]> e : byLane.entrySet()) {
            n += e.getValue()[0];
            since.put(e.getKey(), e.getValue()[1]);
          }
          if (n > 0) {
            counts.put(property, n);
            oldest.put(property, since);
          }
        });
    String last = lastServed.get();
    List<Map.Entry<String, Long>> turn = new ArrayList<>(counts.size());
    if (last != null) {
      turn.addAll(counts.tailMap(last, false).entrySet());
      turn.addAll(counts.headMap(last, true).entrySet());
    } else {
      turn.addAll(counts.entrySet());
    }
    return turn;
  }

  /**
   * Up to {@code limit} of the property's claimable cells in (room type, rate plan, date) order,
   * ending at the end of a series unless the first series alone is longer than the limit.
   */
  private List<Pending> page(Connection c, String property, PriorityClass lane, long limit)
      throws SQLException {
    List<Pending> rows = new ArrayList<>();
    String sql = SELECT + (lane == null ? "" : " AND " + lanes.filter(lane)) + ORDER;
    sql = db.dialect() == Dialect.POSTGRESQL ? sql + LOCK : sql;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, channel);
      ps.setString(2, property);
      ps.setLong(3, limit + 1); // one more, to see whether the last series goes on
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Cell cell =
              new Cell(
                  rs.getString("property"),
                  rs.getString("room_type"),
                  Rows.planOf(rs.getString("rate_plan")),
                  LocalDate.parse(rs.getString("date")),
                  Rows.values(rs));
          long since = rs.getLong("pending_since");
          rows.add(
              new Pending(
                  cell,
                  rs.getLong("pending_version"),
                  rs.getString("correlation_id"),
                  rs.wasNull() ? Long.MAX_VALUE : since));
        }
      }
    }
    if (rows.size() <= limit) {
      return rows;
    }
    Pending next = rows.remove(rows.size() - 1);
    int end = rows.size();
    while (end > 0 && sameSeries(rows.get(end - 1), next)) {
      end--;
    }
    return end == 0 ? rows : rows.subList(0, end);
  }

  private static boolean sameSeries(Pending a, Pending b) {
    return a.cell.roomType().equals(b.cell.roomType())
        && Objects.equals(a.cell.ratePlan(), b.cell.ratePlan());
  }

  private List<String> formProperty(
      Connection c, String property, PriorityClass lane, List<Pending> pending, long now)
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
      long since = now;
      for (CellRange range : request) {
        for (LocalDate d = range.from(); !d.isAfter(range.to()); d = d.plusDays(1)) {
          // every cell of the compressed ranges came from byKey
          Pending p =
              Objects.requireNonNull(byKey.get(new Key(range.roomType(), range.ratePlan(), d)));
          since = Math.min(since, p.since);
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
      BatchRows.take(c, channel, item.id(), property, versions);
      BatchRows.insert(c, channel, item.id(), property, lane, since, clock.millis());
      List<LedgerEntry> formed = new ArrayList<>();
      for (String correlation : correlations.isEmpty() ? List.of("") : correlations) {
        formed.add(
            ledger
                .entry("batch.formed")
                .withCorrelationId(correlation.isEmpty() ? null : correlation)
                .withChannel(channel)
                .withSubject(item.id())
                .withAttribute("property", property)
                .withAttribute("ranges", request.size())
                .withAttribute("cells", versions.size())
                .withAttributes(lane == null ? Map.of() : Map.of("lane", lane.configName()))
                .build());
      }
      ledger.append(c, formed);
      ids.add(item.id());
    }
    return ids;
  }

  private record Pending(Cell cell, long version, String correlationId, long since) {}

  private record Key(String roomType, @Nullable String ratePlan, LocalDate date) {
    static Key of(Cell cell) {
      return new Key(cell.roomType(), cell.ratePlan(), cell.date());
    }
  }
}
