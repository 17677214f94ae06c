package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Ids;
import dev.paritysync.store.Pruner;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkItem;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention on a real database of each {@link Backend} and virtual time: a month later, what ended
 * and what nobody needs is gone, in transactions of at most the batch size; what is young, in
 * flight or evidence of an open dead letter stays, the outbox's acknowledged versions are
 * untouched, the engine still reaches parity and the open dead letter still replays.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class RetentionTest {
  static final Duration KEEP = Duration.ofDays(30);

  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static Change rate(int from, int to, String amount) {
    return Change.builder("P1", "DBL", Engines.TODAY.plusDays(from), Engines.TODAY.plusDays(to))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  private long count(String sql, Object... args) {
    return Engines.count(h.db, sql, args);
  }

  private boolean workItem(String id) {
    return h.db.read(c -> h.queue.find(c, id)).isPresent();
  }

  private String inbox(String channel) {
    String id = Ids.next(h.time);
    h.db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO webhook_inbox (id, channel, webhook_id, received_at, body,"
                      + " body_encoding, status) VALUES (?, ?, ?, ?, '{}', 'utf-8', 'applied')")) {
            ps.setString(1, id);
            ps.setString(2, channel);
            ps.setString(3, "wh-" + id);
            ps.setLong(4, h.time.millis());
            ps.executeUpdate();
          }
          return null;
        });
    return id;
  }

  @Test
  void prunesWhatEndedAMonthAgoAndKeepsWhatIsYoungInFlightOrEvidence() {
    h =
        new Harness(
            backend,
            dir,
            SimConfig.healthy(1).toBuilder().withRateFloor(new BigDecimal("50")).build());
    DeliveryWorker worker = h.worker("w1");
    // Day 0: a dead letter (under the floor), an acknowledged batch, a change superseded at once,
    // a batch formed and never sent, and two webhooks (one of them an open dead letter's).
    h.accept(rate(1, 2, "10.00"));
    h.settle(worker);
    QueueItem dead = h.db.read(c -> h.queues.list(c, Queues.Filter.all())).get(0);
    h.accept(rate(3, 5, "79.00"));
    h.accept(rate(3, 5, "80.00"));
    h.settle(worker);
    String acked = Engines.db1(h.db, "SELECT id FROM work_items WHERE state = 'done' ORDER BY id");
    h.accept(rate(40, 40, "85.00"));
    String unsent = h.batcher.formBatches().get(0);
    String oldInbox = inbox("a");
    String evidenceInbox = inbox("a");
    deadLetterWebhook(evidenceInbox);
    long outboxRows = count("SELECT COUNT(*) FROM ari_outbox");
    long ledgerOfDead = count("SELECT COUNT(*) FROM ledger WHERE subject = ?", dead.subject());
    long changes = count("SELECT COUNT(*) FROM ari_changes");

    h.time.advance(KEEP.plusDays(1));
    h.accept(rate(45, 46, "90.00"));
    String young = h.batcher.formBatches().get(0);
    String youngInbox = inbox("a");
    long youngLedger = count("SELECT COUNT(*) FROM ledger WHERE at >= ?", h.time.millis());

    Retention retention = new Retention(h.db, h.time, new Pruner(h.db, h.time, 2, KEEP));
    Pruner.Result batches = retention.batches(KEEP);
    Pruner.Result ledger = retention.ledger(KEEP);
    Pruner.Result inboxes = retention.webhookInbox(KEEP);
    Pruner.Result changed = retention.changes(KEEP);

    assertThat(workItem(acked)).isFalse();
    assertThat(count("SELECT COUNT(*) FROM ari_batches WHERE id = ?", acked)).isZero();
    assertThat(batches.deleted()).isOne(); // 79.00 and 80.00 travelled as one batch
    assertThat(workItem(dead.subject())).isTrue(); // an open dead letter's batch
    assertThat(count("SELECT COUNT(*) FROM ari_batches WHERE id = ?", dead.subject())).isOne();
    assertThat(h.db.read(c -> h.queue.find(c, unsent)).orElseThrow().state())
        .isEqualTo(WorkItem.State.READY); // in flight a month: never pruned
    assertThat(workItem(young)).isTrue();

    assertThat(ledger.deleted()).isGreaterThan(2);
    assertThat(ledger.transactions()).isGreaterThan(1); // two rows per transaction at most
    assertThat(count("SELECT COUNT(*) FROM ledger WHERE subject = ?", acked)).isZero();
    assertThat(count("SELECT COUNT(*) FROM ledger WHERE subject = ?", dead.subject()))
        .isEqualTo(ledgerOfDead);
    assertThat(count("SELECT COUNT(*) FROM ledger WHERE at >= ?", h.time.millis()))
        .isEqualTo(youngLedger)
        .isPositive();

    assertThat(inboxes.deleted()).isOne();
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE id = ?", oldInbox)).isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM webhook_inbox WHERE id IN (?, ?)", evidenceInbox, youngInbox))
        .isEqualTo(2);

    assertChangesKeepEveryCellsNewest(changed, changes);
    assertOutboxKeepsEveryAcknowledgedVersion(outboxRows);

    // Afterwards the engine reaches parity and the open dead letter replays.
    h.accept(rate(45, 45, "95.00"));
    h.settle(worker);
    assertThat(h.sim.state("P1").get(new CellKey("D1", "R1", Engines.TODAY.plusDays(45))).rate())
        .isEqualByComparingTo("95.00");
    assertThat(h.sim.state("P1").get(new CellKey("D1", "R1", Engines.TODAY.plusDays(40))).rate())
        .isEqualByComparingTo("85.00");
    assertThat(new Replay(h.db, h.queue, h.queues, h.ledger).replay(dead.id())).isEqualTo(2);
    // Replayed, the item is closed: its batch goes with the next pass. The batch formed on day 0
    // ended today, so it stays its own month.
    assertThat(retention.batches(KEEP).deleted()).isOne();
    assertThat(workItem(dead.subject())).isFalse();
    assertThat(workItem(unsent)).isTrue();
  }

  /** An open dead letter whose evidence is the webhook {@code inboxId}. */
  private void deadLetterWebhook(String inboxId) {
    h.db.inTransaction(
        c ->
            h.queues.enter(
                c,
                Queues.entry(QueueItem.Queue.DEAD_LETTER, "a", "webhook/" + inboxId, "malformed")));
  }

  /** The 79.00 change was superseded in every cell; the others are some cell's newest. */
  private void assertChangesKeepEveryCellsNewest(Pruner.Result changed, long changesBefore) {
    assertThat(changed.deleted()).isOne();
    assertThat(count("SELECT COUNT(*) FROM ari_changes")).isEqualTo(changesBefore); // + 1 young - 1
    assertThat(
            count(
                "SELECT COUNT(*) FROM ari_truth t WHERE NOT EXISTS"
                    + " (SELECT 1 FROM ari_changes ch WHERE ch.id = t.change_id)"))
        .isZero();
  }

  /** The outbox is state, not history: every row and acknowledged version is still there. */
  private void assertOutboxKeepsEveryAcknowledgedVersion(long outboxRowsBefore) {
    assertThat(count("SELECT COUNT(*) FROM ari_outbox")).isEqualTo(outboxRowsBefore + 2);
    assertThat(
            count(
                "SELECT COUNT(*) FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
                    + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan"
                    + " AND t.date = o.date WHERE o.date IN (?, ?, ?)"
                    + " AND o.acked_version = t.version",
                Engines.TODAY.plusDays(3).toString(),
                Engines.TODAY.plusDays(4).toString(),
                Engines.TODAY.plusDays(5).toString()))
        .isEqualTo(3);
  }
}
