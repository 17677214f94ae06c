package dev.paritysync.hotel.engine;

import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkItem;
import dev.paritysync.store.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Replays a dead letter or reconciliation item: in one transaction, every cell of its batch whose
 * version is still the newest in truth, and that has nothing pending, nothing in flight and no
 * newer acknowledgement on the channel, becomes pending again at that version, so the next {@link
 * Batcher} run sends it in a new batch (with a new idempotency key: it is new work). Cells
 * superseded since are left alone; their newer version travels on its own. The item is closed as
 * replayed ({@code queue.replayed}) and {@code batch.replayed} is appended. Thread-safe.
 */
public final class Replay {
  private static final String REQUEUE =
      "UPDATE ari_outbox SET pending_version = ? WHERE channel = ? AND property = ?"
          + " AND room_type = ? AND rate_plan = ? AND date = ? AND pending_version IS NULL"
          + " AND inflight_version IS NULL AND (acked_version IS NULL OR acked_version < ?)"
          + " AND EXISTS (SELECT 1 FROM ari_truth t WHERE t.property = ari_outbox.property"
          + " AND t.room_type = ari_outbox.room_type AND t.rate_plan = ari_outbox.rate_plan"
          + " AND t.date = ari_outbox.date AND t.version = ?)";

  private final Database db;
  private final WorkQueue queue;
  private final Queues queues;
  private final Ledger ledger;

  /** Replays parked batches of {@code db}'s queues, recording each replay in {@code ledger}. */
  public Replay(Database db, WorkQueue queue, Queues queues, Ledger ledger) {
    this.db = Objects.requireNonNull(db, "db");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.queues = Objects.requireNonNull(queues, "queues");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  /**
   * Replays the open queue item {@code id}; returns how many cells became pending again (0 when
   * every cell was superseded).
   *
   * @throws IllegalArgumentException when no open item has {@code id}, or its batch is unknown
   */
  public int replay(String id) {
    return replay(id, null);
  }

  /**
   * As {@link #replay(String)}, recording who replayed it ({@code by}, the {@code by} attribute of
   * {@code queue.replayed} and {@code batch.replayed}; left out when null).
   */
  public int replay(String id, @Nullable String by) {
    Objects.requireNonNull(id, "id");
    return db.inTransaction(c -> replay(c, id, by));
  }

  private int replay(Connection c, String id, @Nullable String by) throws SQLException {
    QueueItem item =
        queues
            .show(c, id)
            .filter(i -> i.state() == QueueItem.State.OPEN)
            .orElseThrow(() -> new IllegalArgumentException("no open queue item " + id));
    WorkItem work =
        queue
            .find(c, item.subject())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "queue item " + id + " names batch " + item.subject() + ", not found"));
    BatchPayload batch = BatchPayload.fromJson(work.payload());
    int cells = 0;
    try (PreparedStatement ps = c.prepareStatement(REQUEUE)) {
      for (BatchPayload.CellVersion v : batch.cells()) {
        ps.setLong(1, v.version());
        ps.setString(2, batch.channel());
        ps.setString(3, batch.property());
        ps.setString(4, v.roomType());
        ps.setString(5, Rows.planKey(v.ratePlan()));
        ps.setString(6, v.date().toString());
        ps.setLong(7, v.version());
        ps.setLong(8, v.version());
        cells += ps.executeUpdate();
      }
    }
    queues.markReplayed(c, id, by);
    LedgerEntry.Builder entry =
        ledger
            .entry("batch.replayed")
            .withCorrelationId(batch.primaryCorrelationId())
            .withChannel(batch.channel())
            .withSubject(work.id())
            .withAttribute("item", id)
            .withAttribute("cells", cells)
            .withAttribute("superseded", batch.cells().size() - cells);
    if (by != null) {
      entry.withAttribute("by", by);
    }
    ledger.append(c, entry.build());
    return cells;
  }
}
