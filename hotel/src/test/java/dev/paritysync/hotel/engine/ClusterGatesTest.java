package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.HotelDefaults;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.cluster.SharedBudget;
import dev.paritysync.store.cluster.SharedCircuits;
import dev.paritysync.store.cluster.SharedQuotas;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two workers of a cluster on one database: each with its own breakers, budget and quota objects
 * (as two processes have), sharing only what the database holds. A pause one worker learns holds
 * the other; a circuit one opens stops the other; after the wait, one probe for both.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ClusterGatesTest {
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

  /** A worker as another process of the cluster would build it. */
  private DeliveryWorker worker(String id) {
    return worker(id, Quotas.builder(h.time).build());
  }

  /** The same, with {@code limits} as the engine's configured quota windows. */
  private DeliveryWorker worker(String id, Quotas limits) {
    RetryDecider decider =
        new RetryDecider(
            HotelDefaults.policy(Harness.CHANNEL),
            RetryBudget.builder(h.time).build(),
            new SplittableRandom(id.hashCode()));
    Breakers breakers = new Breakers(h.time);
    SharedCircuits circuits = new SharedCircuits(h.db, h.time, id);
    Admission admission =
        Admission.shared(
            Harness.CHANNEL,
            h.time,
            breakers.get(Harness.CHANNEL, "ari", decider.policy().breaker()),
            new SharedQuotas(h.db, h.time, limits),
            new SharedBudget(h.db, h.time, Harness.CHANNEL, decider.budget()),
            decider,
            circuits,
            new ResumeGate(h.db, h.time, h.time, h.ledger, "ari", channel -> false));
    return DeliveryWorker.builder()
        .withDatabase(h.db)
        .withWorkQueue(h.queue)
        .withLedger(h.ledger)
        .withQueues(h.queues)
        .withClock(h.time)
        .withChannel(Harness.CHANNEL)
        .withAdapter(h.adapter)
        .withTransport(h.transport)
        .withDecider(decider)
        .withAdmission(admission)
        .withOwner(id + "/" + Harness.CHANNEL)
        .withLease(Duration.ofSeconds(30))
        .build();
  }

  private List<String> gatesOf(String batch) {
    return h.db.read(c -> h.ledger.bySubject(c, batch)).stream()
        .filter(e -> e.kind().equals("batch.deferred"))
        .map(e -> String.valueOf(e.attributes().get("gate")))
        .toList();
  }

  @Test
  void aRemainingZeroOnOneWorkersSuccessHoldsEveryWorker() {
    h =
        new Harness(
            backend, dir, SimConfig.healthy(1).toBuilder().withQuota("ari", "2/1m").build());
    DeliveryWorker a = worker("worker-a");
    DeliveryWorker b = worker("worker-b");
    h.accept(rate(1, "101.00"));
    h.batcher.formBatches();
    assertThat(a.runOnce()).isEqualTo(1);
    h.accept(rate(11, "102.00"));
    h.batcher.formBatches();
    assertThat(a.runOnce()).isEqualTo(1); // answered 200 with X-RateLimit-Remaining: 0

    h.accept(rate(21, "103.00"));
    String third = h.batcher.formBatches().get(0);
    assertThat(b.runOnce()).isZero();

    assertThat(gatesOf(third)).containsExactly("quota");
    assertThat(h.sim.stats().requests()).isEqualTo(2);
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();

    h.time.advance(Duration.ofSeconds(61));
    assertThat(b.runOnce()).isEqualTo(1);
    assertThat(h.sim.applications(third)).isEqualTo(1);
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
    assertThat(h.sim.stats().throttled()).isZero();
  }

  /**
   * The answer to the request that opened a shared window anchors it (its start no sooner than the
   * answer: the channel counted the request before then), and the other worker waits for that
   * window.
   */
  @Test
  void anAnswerAnchorsTheSharedQuotaWindowForEveryWorker() {
    h = new Harness(backend, dir, SimConfig.healthy(1));
    Quotas limits =
        Quotas.builder(h.time)
            .withLimits(Harness.CHANNEL, "ari", List.of(QuotaLimit.parse("1/2s")))
            .build();
    DeliveryWorker a = worker("worker-a", limits);
    DeliveryWorker b = worker("worker-b", limits);
    h.accept(rate(1, "101.00"));
    h.batcher.formBatches();
    assertThat(a.runOnce()).isEqualTo(1);
    assertThat(windows("P1").split(":")[4]).as("anchored by the answer").isEqualTo("1");

    h.accept(rate(11, "102.00"));
    String second = h.batcher.formBatches().get(0);
    assertThat(b.runOnce()).isZero();
    assertThat(gatesOf(second)).containsExactly("quota");
    h.time.advance(Duration.ofMillis(2_200));
    assertThat(b.runOnce()).isEqualTo(1);
    assertThat(h.sim.stats().throttled()).isZero();
  }

  private String windows(String property) {
    return h.db.read(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "SELECT windows FROM cluster_quotas WHERE channel = ? AND scope = ?")) {
            ps.setString(1, Harness.CHANNEL);
            ps.setString(2, property);
            try (var rs = ps.executeQuery()) {
              assertThat(rs.next()).as("a quota row for %s", property).isTrue();
              return rs.getString(1);
            }
          }
        });
  }

  @Test
  void oneWorkersOpenCircuitStopsTheOtherAndOneProbeServesBoth() {
    h =
        new Harness(
            backend,
            dir,
            SimConfig.healthy(1).toBuilder()
                .withRetryAfterStyle(SimConfig.RetryAfterStyle.ABSENT)
                .build());
    DeliveryWorker a = worker("worker-a");
    DeliveryWorker b = worker("worker-b");
    SharedCircuits view = new SharedCircuits(h.db, h.time, "observer");
    h.sim.setOutage(true);
    h.accept(rate(1, "101.00"));
    String batch = h.batcher.formBatches().get(0);
    // worker a alone fails until its breaker opens (5 failures in a row by default)
    for (int i = 0;
        i < 20 && view.view(Harness.CHANNEL, "ari").state() == SharedCircuits.State.CLOSED;
        i++) {
      a.runOnce();
      h.time.advance(Duration.ofSeconds(2));
    }
    assertThat(view.view(Harness.CHANNEL, "ari").state()).isEqualTo(SharedCircuits.State.OPEN);
    long sent = h.sim.stats().requests();

    // worker b's breaker never saw a failure, yet it sends nothing while the cluster's is open
    h.accept(rate(11, "102.00"));
    String second = h.batcher.formBatches().get(0);
    b.runOnce();
    assertThat(h.sim.stats().requests()).isEqualTo(sent);
    assertThat(gatesOf(second)).containsExactly("circuit_open");

    // the wait is over, the channel still down: one probe for the cluster, which fails and reopens
    h.time.advance(Duration.ofSeconds(31));
    a.runOnce();
    b.runOnce();
    assertThat(h.sim.stats().requests()).isEqualTo(sent + 1);
    assertThat(view.view(Harness.CHANNEL, "ari").state()).isEqualTo(SharedCircuits.State.OPEN);

    // back up: again one probe, whichever worker takes it; its success closes the circuit for both
    h.sim.setOutage(false);
    h.time.advance(Duration.ofSeconds(31));
    b.runOnce();
    assertThat(view.view(Harness.CHANNEL, "ari").state()).isEqualTo(SharedCircuits.State.CLOSED);
    h.time.advance(Duration.ofSeconds(1));
    h.settle(a);
    assertThat(h.sim.applications(batch)).isLessThanOrEqualTo(1);
    assertThat(h.sim.stats().doubleApplications()).isZero();
    assertThat(
            Engines.count(
                h.db,
                "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL"
                    + " OR inflight_version IS NOT NULL"))
        .isZero();
  }
}
