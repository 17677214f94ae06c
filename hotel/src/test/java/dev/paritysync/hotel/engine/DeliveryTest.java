package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkItem;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine end to end: SQLite file, real simulator over loopback HTTP, virtual time. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class DeliveryTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static LocalDate day(int n) {
    return Engines.TODAY.plusDays(n);
  }

  private static Change rate(String plan, int from, int to, String amount) {
    return Change.builder("P1", "DBL", day(from), day(to))
        .withRatePlan(plan)
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  private BigDecimal simRate(int dayN) {
    CellValue v = h.sim.state("P1").get(new CellKey("D1", "R1", day(dayN)));
    return v == null ? null : v.rate();
  }

  private long queued() {
    return Engines.count(
        h.db, "SELECT COUNT(*) FROM work_items WHERE queue = ?", Batcher.queueName("a"));
  }

  @Test
  void coalescesAHundredChangesDuringAnOutageIntoOneRequest() {
    h = new Harness(backend, dir, Harness.healthy());
    DeliveryWorker worker = h.worker("w1");
    h.sim.setOutage(true);
    for (int i = 1; i <= 100; i++) {
      h.accept(rate("BAR", 1, 1, (100 + i) + ".00"));
    }

    List<String> batches = h.batcher.formBatches();
    assertThat(worker.runOnce()).isEqualTo(1); // 503: the channel is still down
    h.sim.setOutage(false);
    h.settle(worker);

    assertThat(batches).hasSize(1);
    assertThat(queued()).isEqualTo(1);
    assertThat(h.sim.stats().count(200)).isEqualTo(1);
    assertThat(h.sim.applications(batches.get(0))).isEqualTo(1);
    assertThat(simRate(1)).isEqualByComparingTo("200.00");
    assertThat(Engines.count(h.db, "SELECT acked_version FROM ari_outbox")).isEqualTo(100);
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
  }

  @Test
  void aNewerVersionWaitsForTheOneInFlightAndWins() {
    h = new Harness(backend, dir, Harness.healthy());
    DeliveryWorker worker = h.worker("w1");
    h.sim.setOutage(true);
    h.accept(rate("BAR", 1, 1, "100.00"));
    String first = h.batcher.formBatches().get(0);
    worker.runOnce(); // v1 fails with 503 and waits as data

    h.accept(rate("BAR", 1, 1, "150.00"));
    assertThat(h.batcher.formBatches()).isEmpty(); // v2 may not overtake v1
    assertThat(
            Engines.count(
                h.db,
                "SELECT COUNT(*) FROM ari_outbox WHERE pending_version = 2"
                    + " AND inflight_version = 1 AND inflight_batch = ?",
                first))
        .isEqualTo(1);

    h.sim.setOutage(false);
    h.settle(worker);

    // v1 failed, so at its retry v2 supersedes it: one request carries the newest value
    assertThat(simRate(1)).isEqualByComparingTo("150.00");
    assertThat(h.sim.stats().count(200)).isEqualTo(1);
    assertThat(h.sim.applications(first)).isZero();
    assertThat(Engines.count(h.db, "SELECT acked_version FROM ari_outbox")).isEqualTo(2);
    List<LedgerEntry> firstTrail = h.db.read(c -> h.ledger.bySubject(c, first));
    assertThat(firstTrail)
        .extracting(LedgerEntry::kind)
        .containsSubsequence("batch.formed", "attempt", "batch.superseded")
        .doesNotContain("batch.acknowledged");
  }

  @Test
  void aBatchWhoseLastClaimIsUnaccountedForIsResentAsItIsNotSuperseded() {
    h = new Harness(backend, dir, Harness.healthy());
    h.accept(rate("BAR", 1, 1, "100.00"));
    String first = h.batcher.formBatches().get(0);
    // a worker claims the batch and dies before recording anything: its request may be out
    h.db.inTransaction(
        c -> h.queue.claim(c, Batcher.queueName("a"), "dead", 10, Duration.ofSeconds(30)));
    h.accept(rate("BAR", 1, 1, "150.00"));
    h.time.advance(Duration.ofSeconds(31));

    DeliveryWorker worker = h.worker("w2");
    h.settle(worker);

    // v1 goes again under its own key (it might already be on the channel), then v2 after it
    assertThat(h.sim.applications(first)).isEqualTo(1);
    assertThat(h.sim.stats().count(200)).isEqualTo(2);
    assertThat(simRate(1)).isEqualByComparingTo("150.00");
    List<LedgerEntry> trail = h.db.read(c -> h.ledger.bySubject(c, first));
    assertThat(trail)
        .extracting(LedgerEntry::kind)
        .contains("batch.acknowledged")
        .doesNotContain("batch.superseded");
  }

  @Test
  void aFlatYearTravelsAsOneRangeInOneRequest() {
    h = new Harness(backend, dir, Harness.healthy());
    DeliveryWorker worker = h.worker("w1");
    h.accept(rate("BAR", 0, 364, "120.00"));

    h.settle(worker);

    assertThat(h.sim.stats().requests()).isEqualTo(1);
    assertThat(h.sim.stats().cellsApplied()).isEqualTo(365);
    WorkItem item =
        h.db.read(
            c ->
                h.queue
                    .find(
                        c,
                        Engines.db1(
                            h.db,
                            "SELECT id FROM work_items WHERE queue = ?",
                            Batcher.queueName("a")))
                    .orElseThrow());
    assertThat(BatchPayload.fromJson(item.payload()).ranges()).hasSize(1);
    assertThat(simRate(364)).isEqualByComparingTo("120.00");
  }

  @Test
  void aRetryIsDataAndReusesTheIdempotencyKey() {
    h = new Harness(backend, dir, Harness.healthy());
    DeliveryWorker worker = h.worker("w1");
    java.time.Instant accepted = h.now();
    h.accept(rate("BAR", 1, 1, "100.00"));
    String id = h.batcher.formBatches().get(0);
    h.sim.setOutage(true);

    worker.runOnce();

    WorkItem item = h.db.read(c -> h.queue.find(c, id)).orElseThrow();
    assertThat(item.state()).isEqualTo(WorkItem.State.READY);
    assertThat(item.nextAttemptAt()).isAfter(h.now());
    assertThat(Engines.count(h.db, "SELECT retries FROM ari_batches WHERE id = ?", id))
        .isEqualTo(1);
    assertThat(worker.runOnce()).isZero(); // not due yet: nothing sleeps, nothing is sent

    h.sim.setOutage(false);
    h.settle(worker);

    assertThat(h.sim.stats().requests()).isEqualTo(2);
    assertThat(h.sim.stats().applicationsByKey()).containsOnlyKeys(id);
    assertThat(h.sim.applications(id)).isEqualTo(1);
    List<LedgerEntry> trail = h.db.read(c -> h.ledger.bySubject(c, id));
    assertThat(trail)
        .filteredOn(e -> e.kind().equals("attempt"))
        .extracting(e -> e.attributes().get("status"), e -> e.attributes().get("action"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(503, "RETRY_AFTER"),
            org.assertj.core.groups.Tuple.tuple(200, "ACK"));
    // each attempt names the exact bytes: the retry resent the same body, the answers differ
    List<Map<String, Object>> attempts =
        trail.stream().filter(e -> e.kind().equals("attempt")).map(e -> e.attributes()).toList();
    assertThat(attempts.get(0).get("bodySha256"))
        .asString()
        .matches("[0-9a-f]{64}")
        .isEqualTo(attempts.get(1).get("bodySha256"));
    assertThat(attempts.get(0).get("responseSha256"))
        .asString()
        .matches("[0-9a-f]{64}")
        .isNotEqualTo(attempts.get(1).get("responseSha256"));
    assertThat(attempts).allSatisfy(a -> assertThat(a.get("traceId")).asString().hasSize(32));
    // the acknowledgement carries the change's way from acceptance to it, past the retry's wait
    LedgerEntry ack =
        trail.stream().filter(e -> e.kind().equals("batch.acknowledged")).findFirst().orElseThrow();
    assertThat(((Number) ack.attributes().get("changeToAckMillis")).longValue())
        .isEqualTo(Duration.between(accepted, ack.at()).toMillis())
        .isPositive();
  }

  @Test
  void anExpiredLeaseHandsTheSameBatchToAnotherWorker() throws Exception {
    h = new Harness(backend, dir, Harness.healthy());
    h.accept(rate("BAR", 1, 1, "100.00"));
    String id = h.batcher.formBatches().get(0);
    // Worker A claims the batch, sends it, and dies before recording anything.
    WorkItem claimed =
        h.db
            .inTransaction(
                c -> h.queue.claim(c, Batcher.queueName("a"), "A", 1, Duration.ofSeconds(30)))
            .get(0);
    BatchPayload batch = BatchPayload.fromJson(claimed.payload());
    Request request = h.adapter.encode(claimed.id(), "P1", batch.ranges()).get(0).request();
    Response sent =
        h.transport
            .send(request, CallContext.newRoot("a", "P1").withIdempotencyKey(claimed.id()))
            .get();
    assertThat(sent.status()).isEqualTo(200);

    DeliveryWorker b = h.worker("B");
    assertThat(b.runOnce()).isZero(); // still leased to A
    h.time.advance(Duration.ofSeconds(31));
    assertThat(b.runOnce()).isEqualTo(1);

    assertThat(claimed.id()).isEqualTo(id);
    assertThat(h.db.read(c -> h.queue.find(c, id)).orElseThrow().state())
        .isEqualTo(WorkItem.State.DONE);
    assertThat(h.sim.stats().requests()).isEqualTo(2);
    assertThat(h.sim.applications(id)).isEqualTo(1);
    assertThat(h.sim.doubleApplications()).isZero();
    assertThat(Engines.count(h.db, "SELECT acked_version FROM ari_outbox")).isEqualTo(1);
  }

  @Test
  void unmappedCellsAreReportedAndNeverSent() {
    h = new Harness(backend, dir, Harness.healthy());
    Accepted a = h.accept(rate("NR", 1, 3, "90.00"), rate("BAR", 1, 3, "100.00"));
    h.settle(h.worker("w1"));

    assertThat(a.unmapped().get("a").ratePlans()).containsExactly(Map.entry("NR", 3L));
    assertThat(h.sim.state("P1").keySet()).extracting(CellKey::ratePlan).containsOnly("R1");
    assertThat(h.sim.stats().cellsApplied()).isEqualTo(3);
  }

  @Test
  void aRateUnderTheFloorIsDeadLetteredWithItsFieldErrorAndATrail() {
    h =
        new Harness(
            backend,
            dir,
            SimConfig.healthy(1).toBuilder().withRateFloor(new BigDecimal("50")).build());
    DeliveryWorker worker = h.worker("w1");
    Accepted a = h.accept(rate("BAR", 1, 1, "10.00"));

    h.settle(worker);

    List<QueueItem> dead = h.db.read(c -> h.queues.list(c, Queues.Filter.all()));
    assertThat(dead).hasSize(1);
    QueueItem item = dead.get(0);
    assertThat(item.queue()).isEqualTo(QueueItem.Queue.DEAD_LETTER);
    assertThat(item.reason()).startsWith("validation").contains("updates[0].rate");
    assertThat(item.evidence()).containsKeys("request", "response", "batch", "fieldErrors");
    assertThat(item.evidence().get("fieldErrors").toString()).contains("updates[0].rate");
    assertThat(item.attempts()).hasSize(1);
    assertThat(h.db.read(c -> h.queue.find(c, item.subject())).orElseThrow().state())
        .isEqualTo(WorkItem.State.DEAD);
    String correlation = a.correlationIds().get(0);
    List<LedgerEntry> trail = h.db.read(c -> h.ledger.byCorrelation(c, correlation));
    assertThat(trail)
        .extracting(LedgerEntry::kind)
        .containsExactly(
            "change.accepted", "batch.formed", "attempt", "queue.entered", "batch.dead_lettered");

    // The cell left flight: its successor goes out and lands.
    h.accept(rate("BAR", 1, 1, "80.00"));
    h.settle(worker);
    assertThat(simRate(1)).isEqualByComparingTo("80.00");
  }
}
