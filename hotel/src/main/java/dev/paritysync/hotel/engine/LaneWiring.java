package dev.paritysync.hotel.engine;

import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkQueue;
import dev.paritysync.store.cluster.Cluster;
import dev.paritysync.store.cluster.SharedBudget;
import dev.paritysync.store.cluster.SharedTokens;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds one channel's lane for the {@link HotelEngine}: its retry decider, batcher, credentials,
 * admission (this process's or the cluster's), delivery worker and, when the adapter can read the
 * channel back, its {@link ChannelReader}. Holds what every lane of the engine shares.
 */
final class LaneWiring {
  private static final String ENDPOINT = ChannelAdapter.DEFAULT_ENDPOINT;

  private final HotelEngineBuilder b;
  private final Database db;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Transport transport;
  private final Ledger ledger;
  private final Queues queues;
  private final WorkQueue queue;
  private final Breakers breakers;
  private final @Nullable Cluster cluster;
  private final QuotaGate quotas;
  private final ResumeGate resumeGate;
  private final @Nullable EngineMetrics metrics;
  private final Predicate<String> holding;
  private final SplittableRandom seeds;

  /**
   * @param cluster the cluster whose quota, budget, circuits and tokens are shared, or null for one
   *     process on its own
   * @param holding whether a channel's pushes are held for a verification before resume
   */
  LaneWiring(
      HotelEngineBuilder b,
      Ledger ledger,
      Queues queues,
      WorkQueue queue,
      Breakers breakers,
      @Nullable Cluster cluster,
      QuotaGate quotas,
      ResumeGate resumeGate,
      @Nullable EngineMetrics metrics,
      Predicate<String> holding) {
    this.b = b;
    // HotelEngineBuilder.build() checked these
    this.db = Objects.requireNonNull(b.db, "database");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.transport = Objects.requireNonNull(b.transport, "transport");
    this.ledger = ledger;
    this.queues = queues;
    this.queue = queue;
    this.breakers = breakers;
    this.cluster = cluster;
    this.quotas = quotas;
    this.resumeGate = resumeGate;
    this.metrics = metrics;
    this.holding = holding;
    this.seeds = new SplittableRandom(b.seed);
  }

  /** The lane of channel {@code c}; its reader, if any, goes into {@code readers}. */
  Lane lane(
      ChannelConfig c,
      ChannelPolicy p,
      ChannelAdapter adapter,
      Map<String, ChannelReader> readers) {
    RetryDecider decider = new RetryDecider(p, p.newRetryBudget(clock), seeds.split());
    Batcher batcher =
        new Batcher(db, queue, ledger, clock, c.name(), c.limits(), adapter)
            .withPriority(c.priority());
    Cluster shared = cluster;
    Authenticator authenticator =
        Authenticator.of(
            c.credentials(),
            c.name(),
            transport,
            scheduler,
            shared == null
                ? null
                : o -> new SharedTokens(db, clock, c.name(), shared.workerId(), o.clientSecret()));
    Breaker breaker = breakers.get(c.name(), ENDPOINT, p.breaker());
    Admission admission = admission(c, decider, breaker);
    DeliveryWorker worker = worker(c, adapter, decider, admission, authenticator);
    if (metrics != null) {
      metrics.watchQueues(db, c.name());
      metrics.watch(metrics.core().watchCircuit(c.name(), ENDPOINT, admission::circuitState));
    }
    adapter
        .reader()
        .ifPresent(
            r ->
                readers.put(
                    c.name(),
                    new ChannelReader(
                        c.name(),
                        r,
                        db,
                        clock,
                        scheduler,
                        transport,
                        quotas,
                        breaker,
                        authenticator,
                        p.resetMode(),
                        () -> !holding.test(c.name()))));
    return new Lane(c.name(), batcher, worker, admission, resumeGate, scheduler, b.tick);
  }

  private Admission admission(ChannelConfig c, RetryDecider decider, Breaker breaker) {
    if (cluster == null) {
      return Admission.local(c.name(), clock, breaker, quotas, decider);
    }
    return Admission.shared(
        c.name(),
        clock,
        breaker,
        quotas,
        new SharedBudget(db, clock, c.name(), decider.budget()),
        decider,
        cluster.circuits(),
        resumeGate);
  }

  private DeliveryWorker worker(
      ChannelConfig c,
      ChannelAdapter adapter,
      RetryDecider decider,
      Admission admission,
      Authenticator authenticator) {
    DeliveryWorkerBuilder wb =
        DeliveryWorker.builder()
            .withDatabase(db)
            .withWorkQueue(queue)
            .withLedger(ledger)
            .withQueues(queues)
            .withClock(clock)
            .withChannel(c.name())
            .withAdapter(adapter)
            .withTransport(transport)
            .withDecider(decider)
            .withAdmission(admission)
            .withOwner(b.owner + "/" + c.name())
            .withPriority(c.priority())
            .withLease(b.lease)
            .withSeed(seeds.nextLong())
            .withAuthenticator(authenticator)
            .withOpenTelemetry(b.otel);
    if (metrics != null) {
      wb.withMetrics(metrics);
    }
    return wb.build();
  }
}
