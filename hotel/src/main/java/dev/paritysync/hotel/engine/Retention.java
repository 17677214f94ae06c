package dev.paritysync.hotel.engine;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import dev.paritysync.store.Pruner;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Bounded storage: deletes what the engine no longer needs once it is older than its retention, in
 * the small transactions of a {@link Pruner}, so ingest and delivery wait at most one of them. Per
 * table, what goes and what always stays:
 *
 * <ul>
 *   <li><b>Batches</b> ({@code work_items} and their {@code ari_batches} rows): a batch that ended
 *       (done: acknowledged; dead: parked) and whose last change of state is older than the
 *       retention. A batch ready, leased or retrying is never a candidate (the outbox's in-flight
 *       cells name it); nor is one that an open dead-letter or reconciliation item names, because
 *       replaying or resolving that item reads the batch. The outbox itself ({@code ari_outbox},
 *       which holds the acknowledged version of every cell: newest-wins and stale-never-lands
 *       depend on it) is never pruned; it has one row per channel and mapped cell and does not grow
 *       with traffic.
 *   <li><b>Ledger</b> (the audit trail): entries older than the retention, except those about an
 *       open queue item's batch or webhook (same subject) or of its change (same correlation id):
 *       they are that item's evidence until a person closes it.
 *   <li><b>Webhook inbox</b>: raw bodies older than the retention, except one an open dead letter
 *       names. The inbox de-duplicates by webhook id only while it holds the row, so the retention
 *       is the de-duplication window; a redelivery after it is still recognised by its reservation
 *       and revision ({@code reservation_revisions}, kept), so it is never applied twice.
 *   <li><b>Changes</b> ({@code ari_changes}, each change as the PMS sent it): older than the
 *       retention, except the newest change of any cell (truth's {@code change_id}), whose
 *       correlation id the next batch of that cell carries.
 * </ul>
 *
 * <p>Not pruned, and why: truth and outbox (state, bounded by the portfolio), reservations and
 * their revisions (the de-duplication of bookings), queue items (a person's record; few),
 * reconciliation reports (few per day). Thread-safe; run one pass per table at a time (the engine
 * host runs them on the one worker holding the {@code prune} lease).
 */
public final class Retention {
  private static final String OPEN_SUBJECTS =
      "SELECT subject FROM queue_items WHERE state = 'open'";

  private final Database db;
  private final Clock clock;
  private final Pruner pruner;

  /** Retention on {@code db}, deleting through {@code pruner}, ages read from {@code clock}. */
  public Retention(Database db, Clock clock, Pruner pruner) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pruner = Objects.requireNonNull(pruner, "pruner");
  }

  /** Deletes batches that ended more than {@code keep} ago and nothing open names. */
  public Pruner.Result batches(Duration keep) {
    Instant cutoff = cutoff(keep);
    return pruner.prune(
        "work_items",
        "state IN ('done', 'dead') AND updated_at < ? AND id NOT IN (" + OPEN_SUBJECTS + ")",
        List.of(cutoff.toEpochMilli()),
        cutoff,
        id -> false,
        "ari_batches");
  }

  /** Deletes ledger entries older than {@code keep} that are no open queue item's evidence. */
  public Pruner.Result ledger(Duration keep) {
    Instant cutoff = cutoff(keep);
    return pruner.prune(
        "ledger",
        "at < ? AND (subject IS NULL OR subject NOT IN ("
            + OPEN_SUBJECTS
            + ")) AND (correlation_id IS NULL OR correlation_id NOT IN (SELECT correlation_id"
            + " FROM queue_items WHERE state = 'open' AND correlation_id IS NOT NULL))",
        List.of(cutoff.toEpochMilli()),
        cutoff,
        id -> false);
  }

  /** Deletes webhook inbox rows received more than {@code keep} ago that no open item names. */
  public Pruner.Result webhookInbox(Duration keep) {
    Instant cutoff = cutoff(keep);
    // A malformed webhook's dead letter has subject "webhook/<inbox id>".
    return pruner.prune(
        "webhook_inbox",
        "received_at < ? AND id NOT IN (SELECT SUBSTR(subject, 9) FROM queue_items"
            + " WHERE state = 'open' AND subject LIKE 'webhook/%')",
        List.of(cutoff.toEpochMilli()),
        cutoff,
        id -> false);
  }

  /** Deletes changes accepted more than {@code keep} ago that are no cell's newest. */
  public Pruner.Result changes(Duration keep) {
    Instant cutoff = cutoff(keep);
    String bound = Pruner.idBefore(cutoff);
    // Read once, outside any write transaction (a read holds no lock): truth only ever moves a
    // cell to a newer change, whose id is above the bound, so this set can only shrink while the
    // pass runs, and keeping all of it is safe.
    Set<String> newest =
        db.read(
            c -> {
              Set<String> ids = new HashSet<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT DISTINCT change_id FROM ari_truth WHERE change_id < ?")) {
                ps.setString(1, bound);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    ids.add(rs.getString(1));
                  }
                }
              }
              return ids;
            });
    return pruner.prune(
        "ari_changes", "received_at < ?", List.of(cutoff.toEpochMilli()), cutoff, newest::contains);
  }

  private Instant cutoff(Duration keep) {
    Objects.requireNonNull(keep, "keep");
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("retention must be positive, was " + keep);
    }
    return clock.instant().minus(keep);
  }
}
