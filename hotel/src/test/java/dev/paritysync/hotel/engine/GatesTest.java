package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkItem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Quota waits and the reconciliation path. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class GatesTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static Change rate(int day, String amount) {
    return Change.builder("P1", "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  @Test
  void aSpentQuotaPutsTheBatchBackUnsentAndUncounted() {
    h = new Harness(backend, dir, Harness.healthy());
    Quotas quotas =
        Quotas.builder(h.time).withLimits("a", "ari", List.of(QuotaLimit.parse("1/1m"))).build();
    DeliveryWorker worker = h.worker("w1", quotas);
    h.accept(rate(1, "100.00"));
    String first = h.batcher.formBatches().get(0);
    h.accept(rate(5, "110.00"));
    String second = h.batcher.formBatches().get(0);

    assertThat(worker.runOnce()).isEqualTo(1);

    WorkItem waiting = h.db.read(c -> h.queue.find(c, second)).orElseThrow();
    assertThat(waiting.state()).isEqualTo(WorkItem.State.READY);
    assertThat(waiting.nextAttemptAt()).isAfter(h.now());
    assertThat(h.sim.stats().requests()).isEqualTo(1);
    List<LedgerEntry> trail = h.db.read(c -> h.ledger.bySubject(c, second));
    assertThat(trail)
        .extracting(LedgerEntry::kind)
        .containsExactly("batch.formed", "batch.deferred");
    assertThat(trail.get(1).attributes()).containsEntry("gate", "quota");

    h.time.advance(Duration.between(h.now(), waiting.nextAttemptAt()));
    assertThat(worker.runOnce()).isEqualTo(1);

    assertThat(h.sim.applications(first)).isEqualTo(1);
    assertThat(h.sim.applications(second)).isEqualTo(1);
    assertThat(h.sim.stats().throttled()).isZero();
    List<LedgerEntry> after = h.db.read(c -> h.ledger.bySubject(c, second));
    assertThat(after)
        .filteredOn(e -> e.kind().equals("attempt"))
        .singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("attempt", 1));
  }

  @Test
  void remainingZeroOnASuccessPausesTheKeyUntilTheAnnouncedReset() {
    // The channel allows 2 requests a minute and says so only in its headers: the second answer
    // is a 200 with X-RateLimit-Remaining: 0 and a reset. The third batch must wait for the reset
    // instead of drawing a 429 during the announced wait.
    h =
        new Harness(
            backend, dir, SimConfig.healthy(1).toBuilder().withQuota("ari", "2/1m").build());
    DeliveryWorker worker = h.worker("w1");
    String[] batches = new String[3];
    for (int i = 0; i < 3; i++) {
      h.accept(rate(1 + 10 * i, "10" + i + ".00"));
      batches[i] = h.batcher.formBatches().get(0);
      worker.runOnce();
    }

    assertThat(h.sim.stats().requests()).isEqualTo(2);
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
    assertThat(h.sim.stats().throttled()).isZero();
    WorkItem waiting = h.db.read(c -> h.queue.find(c, batches[2])).orElseThrow();
    assertThat(waiting.state()).isEqualTo(WorkItem.State.READY);
    assertThat(Duration.between(h.now(), waiting.nextAttemptAt()))
        .isGreaterThan(Duration.ofSeconds(50));
    List<LedgerEntry> trail = h.db.read(c -> h.ledger.bySubject(c, batches[2]));
    assertThat(trail)
        .filteredOn(e -> e.kind().equals("batch.deferred"))
        .singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("gate", "quota"));

    h.time.advance(Duration.between(h.now(), waiting.nextAttemptAt()));
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(h.sim.applications(batches[2])).isEqualTo(1);
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
    assertThat(h.sim.stats().throttled()).isZero();
  }

  @Test
  void onlyTheRangesTheChannelNamesAreParkedAndTheOthersAreResent() {
    h =
        new Harness(
            backend,
            dir,
            SimConfig.healthy(1).toBuilder()
                .withConflictCell("P1/D1/R1/" + Engines.TODAY.plusDays(2))
                .build());
    DeliveryWorker worker = h.worker("w1");
    // three ranges in one batch: days 1-2 at 100, day 3 at 120, days 4-6 at 130; day 2 conflicts
    h.accept(
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(2))
            .withRatePlan("BAR")
            .withRate(Rate.of("100.00", "EUR"))
            .build(),
        rate(3, "120.00"),
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(4), Engines.TODAY.plusDays(6))
            .withRatePlan("BAR")
            .withRate(Rate.of("130.00", "EUR"))
            .build());
    List<String> first = h.batcher.formBatches();
    assertThat(first).hasSize(1);

    h.settle(worker);

    List<QueueItem> items = h.db.read(c -> h.queues.list(c, Queues.Filter.all()));
    assertThat(items).singleElement();
    QueueItem item = items.get(0);
    assertThat(item.queue()).isEqualTo(QueueItem.Queue.RECONCILIATION);
    assertThat(item.evidence()).containsEntry("cellsResent", 4);
    assertThat((List<?>) ((Map<?, ?>) item.evidence().get("batch")).get("cells")).hasSize(2);
    // the four innocent cells went again, in a new batch, and the channel holds them
    assertThat(h.sim.applications(first.get(0))).isZero();
    assertThat(h.sim.stats().cellsApplied()).isEqualTo(4);
    assertThat(
            Engines.count(
                h.db,
                "SELECT COUNT(*) FROM ari_outbox o JOIN ari_truth t ON t.date = o.date"
                    + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan"
                    + " WHERE o.acked_version = t.version"))
        .isEqualTo(4);
    assertThat(
            Engines.count(
                h.db,
                "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL"
                    + " OR inflight_version IS NOT NULL"))
        .isZero();
  }

  @Test
  void aConflictGoesToReconciliationAndReleasesTheCells() {
    h =
        new Harness(
            backend,
            dir,
            SimConfig.healthy(1).toBuilder()
                .withConflictCell("P1/D1/R1/" + Engines.TODAY.plusDays(2))
                .build());
    DeliveryWorker worker = h.worker("w1");
    h.accept(rate(2, "100.00"));

    h.settle(worker);

    List<QueueItem> items = h.db.read(c -> h.queues.list(c, Queues.Filter.all()));
    assertThat(items)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.queue()).isEqualTo(QueueItem.Queue.RECONCILIATION);
              assertThat(i.reason()).contains("409");
              assertThat(i.evidence()).containsKeys("request", "response", "batch");
            });
    assertThat(
            Engines.count(
                h.db, "SELECT COUNT(*) FROM ari_outbox WHERE inflight_version IS NOT NULL"))
        .isZero();
  }

  @Test
  void anOpenCircuitDefersBatchesWithoutSendingAndAProbeClosesIt() {
    h = new Harness(backend, dir, Harness.healthy());
    DeliveryWorker worker = h.worker("w1");
    h.accept(rate(1, "100.00"));
    String id = h.batcher.formBatches().get(0);
    h.sim.setOutage(true);
    for (int i = 0; i < 5; i++) { // five 503s in a row open the circuit
      assertThat(worker.runOnce()).isEqualTo(1);
      h.time.advance(Duration.ofSeconds(1));
    }

    assertThat(worker.runOnce()).isZero();

    assertThat(h.sim.stats().requests()).isEqualTo(5);
    List<LedgerEntry> trail = h.db.read(c -> h.ledger.bySubject(c, id));
    assertThat(trail.get(trail.size() - 1).attributes()).containsEntry("gate", "circuit_open");
    h.sim.setOutage(false);
    h.time.advance(Duration.ofSeconds(30));
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(h.sim.applications(id)).isEqualTo(1);
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
  }

  @Test
  void theLoopRunsOnTheSchedulerWithoutSleeping() {
    h = new Harness(backend, dir, Harness.healthy());
    DeliveryWorker worker = h.worker("w1");
    var loop = worker.loop(h.time, Duration.ofSeconds(1));
    h.accept(rate(1, "100.00"));
    String id = h.batcher.formBatches().get(0);

    h.time.advance(Duration.ofSeconds(1));
    loop.cancel();
    h.accept(rate(1, "120.00"));
    h.batcher.formBatches();
    h.time.advance(Duration.ofSeconds(5));

    assertThat(h.sim.applications(id)).isEqualTo(1);
    assertThat(h.sim.stats().requests()).isEqualTo(1); // cancelled: nothing more was sent
  }
}
