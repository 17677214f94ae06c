package dev.paritysync.hotel.engine;

import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.channel.ChannelPriority;
import dev.paritysync.hotel.channel.PriorityClass;
import dev.paritysync.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A channel's priority lanes ({@link ChannelPriority}) as the engine's SQL sees them. A pending
 * outbox row carries the classes its unsent changes touch ({@code pending_kinds}, bits of {@link
 * PriorityClass#bit()}, OR-ed as the cell coalesces) and when the oldest of them was accepted
 * ({@code pending_since}); its lane is the highest-ranked class it touches. The batcher forms
 * batches per lane; the worker claims the highest lane first, except that a lane whose oldest
 * change has waited {@code maxWait} goes before the others, oldest first. A row without classes
 * (from before the lanes, or set pending by a replay) is in every class: it travels in the top
 * lane. Immutable and thread-safe.
 */
final class Lanes {
  /** The row's classes, a row without any counting as in all of them. */
  static final String KINDS = "COALESCE(o.pending_kinds, " + PriorityClass.ALL + ")";

  final ChannelPriority priority;

  Lanes(ChannelPriority priority) {
    this.priority = priority;
  }

  boolean on() {
    return priority.enabled();
  }

  /** The classes a cell's merged values touch (see {@link PriorityClass}). */
  static int kinds(MergedCell m) {
    return kinds(
        m.value(0) != null,
        (Integer) m.value(2),
        m.value(3) != null || m.value(4) != null || m.value(6) != null || m.value(7) != null,
        (Integer) m.value(5));
  }

  /** The classes a cell with {@code v} set touches, as if every value it holds had changed. */
  static int kinds(CellValues v) {
    Restrictions r = v.restrictions() == null ? Restrictions.none() : v.restrictions();
    return kinds(
        v.rate() != null,
        v.availability(),
        r.minLos() != null
            || r.maxLos() != null
            || r.closedToArrival() != null
            || r.closedToDeparture() != null,
        r.closed() == null ? null : r.closed() ? 1 : 0);
  }

  private static int kinds(
      boolean rate, @Nullable Integer availability, boolean restriction, @Nullable Integer closed) {
    int k = 0;
    if ((availability != null && availability == 0) || (closed != null && closed == 1)) {
      k |= PriorityClass.CLOSE.bit();
    }
    if ((availability != null && availability > 0) || (closed != null && closed == 0)) {
      k |= PriorityClass.AVAILABILITY.bit();
    }
    if (rate) {
      k |= PriorityClass.RATE.bit();
    }
    if (restriction) {
      k |= PriorityClass.RESTRICTION.bit();
    }
    return k;
  }

  /** The bits of the classes ranked above {@code lane}. */
  int higher(PriorityClass lane) {
    int bits = 0;
    for (PriorityClass c : priority.order()) {
      if (c == lane) {
        return bits;
      }
      bits |= c.bit();
    }
    return bits;
  }

  /** A condition true of the outbox rows ({@code o}) in {@code lane}. */
  String filter(PriorityClass lane) {
    return "("
        + KINDS
        + " & "
        + lane.bit()
        + ") <> 0 AND ("
        + KINDS
        + " & "
        + higher(lane)
        + ") = 0";
  }

  /** The lane of an outbox row ({@code o}) as the lane's configuration name. */
  String laneOfRow() {
    StringBuilder sql = new StringBuilder("CASE");
    for (PriorityClass c : priority.order()) {
      sql.append(" WHEN (").append(KINDS).append(" & ").append(c.bit()).append(") <> 0 THEN '");
      sql.append(c.configName()).append('\'');
    }
    return sql.append(" ELSE '")
        .append(priority.order().get(0).configName())
        .append("' END")
        .toString();
  }

  /** The rank of a batch's lane ({@code b.lane}); a batch without one ranks first. */
  String rankOfBatch() {
    StringBuilder sql = new StringBuilder("CASE b.lane");
    for (PriorityClass c : priority.order()) {
      sql.append(" WHEN '").append(c.configName()).append("' THEN ").append(priority.rank(c));
    }
    return sql.append(" ELSE 0 END").toString();
  }

  static PriorityClass lane(String configName) {
    for (PriorityClass c : PriorityClass.values()) {
      if (c.configName().equals(configName)) {
        return c;
      }
    }
    throw new IllegalStateException("no priority class named " + configName);
  }

  /**
   * The order in which a property's lanes are served: those whose oldest pending change was
   * accepted {@code maxWait} or more before {@code now} first, oldest first; then the others in the
   * configured order.
   */
  List<PriorityClass> serviceOrder(Map<PriorityClass, Long> oldest, long now) {
    long starving = now - priority.maxWait().toMillis();
    List<PriorityClass> lanes = new ArrayList<>(oldest.keySet());
    lanes.sort(
        Comparator.<PriorityClass>comparingInt(c -> oldest.getOrDefault(c, now) <= starving ? 0 : 1)
            .thenComparingLong(
                c -> oldest.getOrDefault(c, now) <= starving ? oldest.getOrDefault(c, now) : 0)
            .thenComparingInt(priority::rank));
    return lanes;
  }

  /**
   * Up to {@code slots} ids of {@code queue}'s claimable batches, in the order they should go:
   * batches whose oldest change has waited {@code maxWait} first, oldest first; then by lane; then
   * due order. On PostgreSQL the rows are locked, skipping those another claimer holds.
   */
  List<String> pick(Connection c, Dialect dialect, String queue, long now, int slots)
      throws SQLException {
    long starving = now - priority.maxWait().toMillis();
    String since = "COALESCE(b.waiting_since, " + now + ")";
    String sql =
        "SELECT w.id FROM work_items w JOIN ari_batches b ON b.id = w.id WHERE w.queue = ? AND ("
            + "(w.state = 'ready' AND w.next_attempt_at <= ?)"
            + " OR (w.state = 'leased' AND w.lease_expires_at <= ?))"
            + " ORDER BY CASE WHEN "
            + since
            + " <= ? THEN 0 ELSE 1 END, CASE WHEN "
            + since
            + " <= ? THEN "
            + since
            + " ELSE 0 END, "
            + rankOfBatch()
            + ", w.next_attempt_at, w.id LIMIT ?"
            + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE OF w SKIP LOCKED" : "");
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, queue);
      ps.setLong(2, now);
      ps.setLong(3, now);
      ps.setLong(4, starving);
      ps.setLong(5, starving);
      ps.setInt(6, slots);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * The batches of {@code queue} in lanes below {@code lane} that wait while a request of {@code
   * lane} went at {@code sentAt} — ready and due then, or put back unsent by a gate — remember the
   * first higher lane they waited behind, and since when.
   */
  void markBehind(Connection c, String queue, PriorityClass lane, long sentAt) throws SQLException {
    List<String> lower = new ArrayList<>();
    for (PriorityClass p : priority.order()) {
      if (priority.rank(p) > priority.rank(lane)) {
        lower.add("'" + p.configName() + "'");
      }
    }
    if (lower.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ari_batches SET waited_behind = ?, waited_behind_since = ?"
                + " WHERE waited_behind IS NULL AND lane IN ("
                + String.join(", ", lower)
                + ") AND id IN (SELECT id FROM work_items WHERE queue = ? AND state = 'ready'"
                + " AND (next_attempt_at <= ? OR ari_batches.deferrals > 0))")) {
      ps.setString(1, lane.configName());
      ps.setLong(2, sentAt);
      ps.setString(3, queue);
      ps.setLong(4, sentAt);
      ps.executeUpdate();
    }
  }

  /**
   * A batch's lane and what it waited behind: {@code lane} null when formed without lanes, {@code
   * behind} null when no higher lane went first.
   */
  record State(@Nullable PriorityClass lane, @Nullable PriorityClass behind, long behindSince) {
    static final State NONE = new State(null, null, 0);

    static State load(Connection c, String id) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT lane, waited_behind, waited_behind_since FROM ari_batches WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getString(1) == null) {
            return NONE;
          }
          String behind = rs.getString(2);
          return new State(
              Lanes.lane(rs.getString(1)),
              behind == null ? null : Lanes.lane(behind),
              rs.getLong(3));
        }
      }
    }
  }

  /**
   * Whether some cell of batch {@code id}, in {@code lane}, has a newer version pending in a higher
   * lane: the batch, if nothing of it can be on the wire, gives way so the cell goes in that lane.
   */
  boolean promoted(Connection c, String channel, String id, PriorityClass lane)
      throws SQLException {
    int higher = higher(lane);
    if (higher == 0) {
      return false;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM ari_outbox o WHERE o.channel = ? AND o.inflight_batch = ?"
                + " AND o.pending_version IS NOT NULL AND ("
                + KINDS
                + " & "
                + higher
                + ") <> 0")) {
      ps.setString(1, channel);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /** How long {@code maxWait} is, for messages. */
  Duration maxWait() {
    return priority.maxWait();
  }
}
