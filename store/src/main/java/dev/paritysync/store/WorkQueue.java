package dev.paritysync.store;

import dev.paritysync.core.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A work queue kept as rows of {@code work_items}, claimed by lease. Any number of workers, in one
 * process or many, {@linkplain #claim claim} ready items; a claim marks them leased to its owner
 * until the lease expires. The owner then {@linkplain #complete completes}, {@linkplain #reschedule
 * reschedules} (a retry, as data), {@linkplain #release releases}, {@linkplain #extend extends} or
 * {@linkplain #markDead gives up on} each item. A worker that dies leaves its items leased; once
 * the leases expire, other workers claim them again. Retries never wait in a thread: they wait in
 * {@code next_attempt_at}.
 *
 * <p><b>Ownership.</b> An owner's operations succeed while the item is leased to that owner, even
 * if the lease has expired, as long as nobody has claimed it since; once another owner has claimed
 * it, they return false and change nothing. Owners must therefore be unique per worker (for example
 * host, process id and a random suffix).
 *
 * <p><b>Transactions.</b> Every operation takes the caller's {@link Connection}, so that queue
 * changes commit together with the work they record (an outbox write and its enqueue; an
 * acknowledgement and its completion). Claims must run inside {@link Database#inTransaction}: on
 * SQLite that transaction holds the write lock; on PostgreSQL the claim skips rows that other
 * claimers have locked ({@code FOR UPDATE SKIP LOCKED}).
 *
 * <p>All time is read from the injected clock and stored as epoch milliseconds. Thread-safe and
 * stateless apart from its clock and dialect.
 */
public final class WorkQueue {
  private static final String COLUMNS =
      "id, queue, subject, payload, state, attempts, next_attempt_at, lease_owner,"
          + " lease_expires_at, created_at, updated_at";

  private final Dialect dialect;
  private final Clock clock;

  /** A queue API for {@code db}'s dialect, reading time from {@code clock}. */
  public WorkQueue(Database db, Clock clock) {
    this(db.dialect(), clock);
  }

  WorkQueue(Dialect dialect, Clock clock) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Enqueues an item that is claimable at once. */
  public WorkItem enqueue(Connection c, String queue, String subject, String payload)
      throws SQLException {
    return enqueue(c, queue, subject, payload, clock.instant());
  }

  /**
   * Enqueues an item that is claimable from {@code notBefore} on.
   *
   * @param payload JSON text
   * @throws IllegalArgumentException when {@code payload} is not JSON, naming the queue and subject
   */
  public WorkItem enqueue(
      Connection c, String queue, String subject, String payload, Instant notBefore)
      throws SQLException {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(payload, "payload");
    Json.parse(
        payload, "payload of work item for queue '" + queue + "', subject '" + subject + "'");
    long now = clock.millis();
    String id = Ids.next(clock);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO work_items ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, 'ready', 0, ?, NULL, NULL, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, queue);
      ps.setString(3, subject);
      ps.setString(4, payload);
      ps.setLong(5, notBefore.toEpochMilli());
      ps.setLong(6, now);
      ps.setLong(7, now);
      ps.executeUpdate();
    }
    Instant at = Instant.ofEpochMilli(now);
    return new WorkItem(
        id,
        queue,
        subject,
        payload,
        WorkItem.State.READY,
        0,
        Instant.ofEpochMilli(notBefore.toEpochMilli()),
        null,
        null,
        at,
        at);
  }

  /**
   * Claims up to {@code limit} items of {@code queue} that are due ({@code next_attempt_at <= now})
   * and not leased, or whose lease has expired, oldest due first: each becomes leased to {@code
   * owner} until now + {@code lease}, and its attempts grow by one. Run it inside {@link
   * Database#inTransaction}.
   *
   * @return the claimed items, in due order; empty when none is claimable
   */
  public List<WorkItem> claim(Connection c, String queue, String owner, int limit, Duration lease)
      throws SQLException {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(owner, "owner");
    if (limit < 1) {
      throw new IllegalArgumentException("claim limit must be at least 1, was " + limit);
    }
    requirePositive(lease);
    long now = clock.millis();
    String sql =
        "UPDATE work_items SET state = 'leased', lease_owner = ?, lease_expires_at = ?,"
            + " attempts = attempts + 1, updated_at = ?"
            + " WHERE id IN (SELECT id FROM work_items WHERE queue = ? AND ("
            + "(state = 'ready' AND next_attempt_at <= ?)"
            + " OR (state = 'leased' AND lease_expires_at <= ?))"
            + " ORDER BY next_attempt_at, id LIMIT ?"
            + dialect.claimLockClause()
            + ") RETURNING "
            + COLUMNS;
    List<WorkItem> items = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, owner);
      ps.setLong(2, plus(now, lease));
      ps.setLong(3, now);
      ps.setString(4, queue);
      ps.setLong(5, now);
      ps.setLong(6, now);
      ps.setInt(7, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(read(rs));
        }
      }
    }
    items.sort(Comparator.comparing(WorkItem::nextAttemptAt).thenComparing(WorkItem::id));
    return items;
  }

  /**
   * Claims those of {@code ids} that are items of {@code queue} claimable now — as {@link #claim}
   * would: due and not leased, or leased with an expired lease — for a caller that orders the claim
   * itself (a priority of its own). Each becomes leased to {@code owner} until now + {@code lease},
   * its attempts grow by one. Run it inside {@link Database#inTransaction}, in the transaction that
   * chose the ids (on PostgreSQL, choose them {@code FOR UPDATE SKIP LOCKED} so that concurrent
   * claimers choose others).
   *
   * @return the claimed items, in the order of {@code ids}; an id no longer claimable is left out
   */
  public List<WorkItem> claim(
      Connection c, String queue, List<String> ids, String owner, Duration lease)
      throws SQLException {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(owner, "owner");
    requirePositive(lease);
    if (ids.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    String sql =
        "UPDATE work_items SET state = 'leased', lease_owner = ?, lease_expires_at = ?,"
            + " attempts = attempts + 1, updated_at = ? WHERE queue = ? AND ("
            + "(state = 'ready' AND next_attempt_at <= ?)"
            + " OR (state = 'leased' AND lease_expires_at <= ?)) AND id IN ("
            + String.join(", ", java.util.Collections.nCopies(ids.size(), "?"))
            + ") RETURNING "
            + COLUMNS;
    java.util.Map<String, WorkItem> byId = new java.util.HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, owner);
      ps.setLong(2, plus(now, lease));
      ps.setLong(3, now);
      ps.setString(4, queue);
      ps.setLong(5, now);
      ps.setLong(6, now);
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(7 + i, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          WorkItem item = read(rs);
          byId.put(item.id(), item);
        }
      }
    }
    List<WorkItem> items = new ArrayList<>(byId.size());
    for (String id : ids) {
      WorkItem item = byId.get(id);
      if (item != null) {
        items.add(item);
      }
    }
    return items;
  }

  /** Marks the item done if it is still leased to {@code owner}; returns whether it was. */
  public boolean complete(Connection c, String id, String owner) throws SQLException {
    return updateOwned(
        c, "state = 'done', lease_owner = NULL, lease_expires_at = NULL", id, owner, null);
  }

  /**
   * Returns the item to ready with {@code next_attempt_at = nextAttemptAt} (a retry scheduled as
   * data) if it is still leased to {@code owner}; returns whether it was.
   */
  public boolean reschedule(Connection c, String id, String owner, Instant nextAttemptAt)
      throws SQLException {
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    return updateOwned(
        c,
        "state = 'ready', lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = ?",
        id,
        owner,
        nextAttemptAt.toEpochMilli());
  }

  /**
   * Gives the item back, claimable at once and without counting the claim as an attempt (for work
   * not even tried: the channel's circuit is open, its quota spent), if it is still leased to
   * {@code owner}; returns whether it was.
   */
  public boolean release(Connection c, String id, String owner) throws SQLException {
    return updateOwned(
        c,
        "state = 'ready', lease_owner = NULL, lease_expires_at = NULL,"
            + " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END",
        id,
        owner,
        null);
  }

  /**
   * Extends the lease to now + {@code lease} if the item is still leased to {@code owner}; returns
   * whether it was.
   */
  public boolean extend(Connection c, String id, String owner, Duration lease) throws SQLException {
    requirePositive(lease);
    return updateOwned(c, "lease_expires_at = ?", id, owner, plus(clock.millis(), lease));
  }

  /**
   * Marks the item dead (never claimed again) if it is still leased to {@code owner}; returns
   * whether it was. Record why in the {@link Ledger} or {@link Queues} in the same transaction.
   */
  public boolean markDead(Connection c, String id, String owner) throws SQLException {
    return updateOwned(
        c, "state = 'dead', lease_owner = NULL, lease_expires_at = NULL", id, owner, null);
  }

  /** The item with {@code id}, if any. */
  public Optional<WorkItem> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM work_items WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** How many items of {@code queue} are in {@code state}. */
  public long count(Connection c, String queue, WorkItem.State state) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM work_items WHERE queue = ? AND state = ?")) {
      ps.setString(1, queue);
      ps.setString(2, state.sql());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private boolean updateOwned(
      Connection c, String set, String id, String owner, @Nullable Long value) throws SQLException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE work_items SET "
                + set
                + ", updated_at = ? WHERE id = ? AND state = 'leased' AND lease_owner = ?")) {
      int i = 1;
      if (value != null) {
        ps.setLong(i++, value);
      }
      ps.setLong(i++, clock.millis());
      ps.setString(i++, id);
      ps.setString(i, owner);
      return ps.executeUpdate() == 1;
    }
  }

  private static WorkItem read(ResultSet rs) throws SQLException {
    return new WorkItem(
        rs.getString("id"),
        rs.getString("queue"),
        rs.getString("subject"),
        rs.getString("payload"),
        WorkItem.State.ofSql(rs.getString("state")),
        rs.getInt("attempts"),
        Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
        rs.getString("lease_owner"),
        instantOrNull(rs, "lease_expires_at"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }

  static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private static void requirePositive(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive, was " + lease);
    }
  }

  private static long plus(long millis, Duration d) {
    try {
      return Math.addExact(millis, d.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
