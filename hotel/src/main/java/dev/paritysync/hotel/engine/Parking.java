package dev.paritysync.hotel.engine;

import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkItem;
import dev.paritysync.store.WorkQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where one channel's batches leave delivery for a person: the dead-letter and reconciliation
 * queues. Every entry is written with the work item's end, the cells' release from flight and its
 * ledger row in one transaction, so a parked batch is never also sent. Used by {@link
 * DeliveryWorker}; thread-safe (state lives in the database).
 */
final class Parking {
  private final Database db;
  private final WorkQueue queue;
  private final Ledger ledger;
  private final Queues queues;
  private final String channel;
  private final String owner;
  private final ChannelAdapter adapter;

  Parking(
      Database db,
      WorkQueue queue,
      Ledger ledger,
      Queues queues,
      String channel,
      String owner,
      ChannelAdapter adapter) {
    this.db = db;
    this.queue = queue;
    this.ledger = ledger;
    this.queues = queues;
    this.channel = channel;
    this.owner = owner;
    this.adapter = adapter;
  }

  /**
   * Dead-letters a batch that was never sent and no retry can help — the adapter cannot encode it,
   * or the token endpoint rejected the credentials — with {@code reason}; nothing when another
   * worker owns the item now.
   */
  void unsent(WorkItem item, BatchPayload batch, String reason) {
    String id = item.id();
    db.inTransactionRun(
        c -> {
          if (!queue.markDead(c, id, owner)) {
            return;
          }
          queues.enter(
              c,
              Queues.entry(QueueItem.Queue.DEAD_LETTER, channel, id, reason)
                  .withCorrelationId(batch.primaryCorrelationId())
                  .withDetail("batch", Rows.readMap(item.payload(), "batch " + id)));
          Outbox.release(c, channel, id);
          ledger.append(
              c,
              ledger
                  .entry("batch.dead_lettered")
                  .withCorrelationId(batch.primaryCorrelationId())
                  .withChannel(channel)
                  .withSubject(id)
                  .withAttribute("reason", reason)
                  .build());
        });
  }

  /**
   * Parks a sent batch that the decision {@code d} sends to the dead-letter or reconciliation
   * queue, in {@code c}: with the request, response, field errors and every attempt as evidence.
   * When the channel's field errors name the ranges it rejected, only those ranges' cells are
   * parked; the others are pending again and travel in a new batch.
   */
  void park(
      Connection c,
      DeliveryWorker.InFlight f,
      RetryDecider.Decision d,
      Outcome outcome,
      @Nullable Response response)
      throws SQLException {
    boolean reconcile = d.kind() == RetryDecider.Kind.RECONCILE;
    String reason =
        reconcile
            ? "conflict: the channel holds these cells differently" + describe(outcome)
            : d.reason() + describe(outcome);
    // A channel that names the ranges it rejects gets the others again in a new batch: one bad
    // cell must not park a whole request's worth of good ones.
    BatchPayload parked = f.batch();
    List<BatchPayload.CellVersion> innocent = List.of();
    Set<Integer> rejected = rejectedRanges(f, outcome);
    if (!rejected.isEmpty() && rejected.size() < f.batch().ranges().size()) {
      List<CellRange> bad = new ArrayList<>();
      for (int i : rejected) {
        bad.add(f.batch().ranges().get(i));
      }
      List<BatchPayload.CellVersion> badCells = new ArrayList<>();
      List<BatchPayload.CellVersion> goodCells = new ArrayList<>();
      for (BatchPayload.CellVersion v : f.batch().cells()) {
        (bad.stream().anyMatch(r -> covers(r, v)) ? badCells : goodCells).add(v);
      }
      parked =
          new BatchPayload(
              channel, f.batch().property(), bad, badCells, f.batch().correlationIds());
      innocent = goodCells;
      Outbox.requeue(c, channel, f.batch().property(), f.item().id(), innocent);
    }
    Queues.Entry e =
        Queues.entry(
                reconcile ? QueueItem.Queue.RECONCILIATION : QueueItem.Queue.DEAD_LETTER,
                channel,
                f.item().id(),
                reason)
            .withCorrelationId(f.batch().primaryCorrelationId())
            .withRequest(f.request())
            .withDetail("batch", Rows.readMap(parked.toJson(), "batch " + f.item().id()))
            .withDetail("cellsResent", innocent.size())
            .withDetail(
                "fieldErrors",
                outcome.fieldErrors().stream()
                    .map(fe -> Map.of("path", fe.path(), "message", fe.message()))
                    .toList());
    if (f.parts() > 1) {
      // The parts before this one were applied: the channel holds part of the batch.
      e.withDetail("part", f.partIndex()).withDetail("parts", f.parts());
      e.withDetail("partsApplied", f.state().partsDone());
    }
    if (response != null) {
      e.withResponse(response);
    }
    for (LedgerEntry attempt : ledger.bySubject(c, f.item().id())) {
      if (attempt.kind().equals("attempt")) {
        e.withAttempt(attempt.attributes());
      }
    }
    queues.enter(c, e);
    Outbox.release(c, channel, f.item().id());
    ledger.append(
        c,
        ledger
            .entry(reconcile ? "batch.reconciliation" : "batch.dead_lettered")
            .withCorrelationId(f.batch().primaryCorrelationId())
            .withChannel(channel)
            .withSubject(f.item().id())
            .withAttribute("reason", reason)
            .withAttribute("cells", parked.cells().size())
            .withAttribute("cellsResent", innocent.size())
            .build());
  }

  /**
   * The batch's ranges the channel's field errors name. The adapter names ranges of the part's
   * request; the part says which of the batch's they are.
   */
  private Set<Integer> rejectedRanges(DeliveryWorker.InFlight f, Outcome outcome) {
    Set<Integer> rejected = new TreeSet<>();
    for (int local : adapter.rangesOf(outcome.fieldErrors())) {
      if (local >= 0 && local < f.part().ranges().size()) {
        int global = f.part().ranges().get(local);
        if (global >= 0 && global < f.batch().ranges().size()) {
          rejected.add(global);
        }
      }
    }
    return rejected;
  }

  private static boolean covers(CellRange r, BatchPayload.CellVersion v) {
    return r.roomType().equals(v.roomType())
        && Objects.equals(r.ratePlan(), v.ratePlan())
        && !v.date().isBefore(r.from())
        && !v.date().isAfter(r.to());
  }

  private static String describe(Outcome outcome) {
    String what = outcome.failure() != null ? outcome.failure().name() : "HTTP " + outcome.status();
    return outcome.fieldErrors().isEmpty()
        ? " (" + what + ")"
        : " (" + what + ": " + outcome.fieldErrors() + ")";
  }
}
