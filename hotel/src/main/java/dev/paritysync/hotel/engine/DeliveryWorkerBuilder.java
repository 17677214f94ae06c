package dev.paritysync.hotel.engine;

import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.channel.ChannelPriority;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkQueue;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Builds a {@link DeliveryWorker}. Not thread-safe. */
final class DeliveryWorkerBuilder {
  @Nullable Database db;
  @Nullable WorkQueue queue;
  @Nullable Ledger ledger;
  @Nullable Queues queues;
  @Nullable Clock clock;
  @Nullable String channel;
  @Nullable ChannelAdapter adapter;
  @Nullable Transport transport;
  @Nullable RetryDecider decider;
  @Nullable Breakers breakers;
  @Nullable QuotaGate quotas;
  @Nullable Admission admission;
  @Nullable String owner;
  Duration lease = HotelEngineBuilder.DEFAULT_LEASE;
  ChannelPriority priority = ChannelPriority.DEFAULT;
  int concurrency;
  long seed = 1;
  Authenticator authenticator = Authenticator.none();
  @Nullable EngineMetrics metrics;
  OpenTelemetry otel = OpenTelemetry.noop();

  DeliveryWorkerBuilder() {}

  /**
   * Optional: counts attempts, latencies, delays, retries and change-to-acknowledgement latency in
   * {@code metrics}; default none.
   */
  DeliveryWorkerBuilder withMetrics(EngineMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /**
   * Optional: traces each attempt (see {@link EngineTraces}); default {@link OpenTelemetry#noop()},
   * with which requests carry a new random {@code traceparent}.
   */
  DeliveryWorkerBuilder withOpenTelemetry(OpenTelemetry otel) {
    this.otel = Objects.requireNonNull(otel, "openTelemetry");
    return this;
  }

  /** Optional: adds the channel's credentials to each request; default none. */
  DeliveryWorkerBuilder withAuthenticator(Authenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    return this;
  }

  /** The database holding the outbox and the work queue. Required. */
  DeliveryWorkerBuilder withDatabase(Database db) {
    this.db = db;
    return this;
  }

  /** The leased work queue batches are claimed from. Required. */
  DeliveryWorkerBuilder withWorkQueue(WorkQueue queue) {
    this.queue = queue;
    return this;
  }

  /** The ledger every attempt is appended to. Required. */
  DeliveryWorkerBuilder withLedger(Ledger ledger) {
    this.ledger = ledger;
    return this;
  }

  /** Where dead letters and reconciliation items go. Required. */
  DeliveryWorkerBuilder withQueues(Queues queues) {
    this.queues = queues;
    return this;
  }

  /** The clock leases, delays and latencies read. Required. */
  DeliveryWorkerBuilder withClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** The channel's name, as in the outbox and the queue name. */
  DeliveryWorkerBuilder withChannel(String channel) {
    this.channel = channel;
    return this;
  }

  /** The channel's adapter, which encodes batches and classifies answers. Required. */
  DeliveryWorkerBuilder withAdapter(ChannelAdapter adapter) {
    this.adapter = adapter;
    return this;
  }

  /** The HTTP transport requests go through. Required. */
  DeliveryWorkerBuilder withTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  /** The channel's policy, classification and retry budget come from the decider. */
  DeliveryWorkerBuilder withDecider(RetryDecider decider) {
    this.decider = decider;
    return this;
  }

  /** Shared by every worker of the process; the worker uses the channel's {@code ari} breaker. */
  DeliveryWorkerBuilder withBreakers(Breakers breakers) {
    this.breakers = breakers;
    return this;
  }

  /**
   * Shared by every worker of the process (or of the cluster); keys are (channel, property,
   * endpoint).
   */
  DeliveryWorkerBuilder withQuotas(QuotaGate quotas) {
    this.quotas = quotas;
    return this;
  }

  /**
   * Optional: the gates to pass (see {@link Admission}); default this process's breaker of the
   * channel from {@link #withBreakers}, the decider's retry budget and {@link #withQuotas}.
   */
  DeliveryWorkerBuilder withAdmission(Admission admission) {
    this.admission = Objects.requireNonNull(admission, "admission");
    return this;
  }

  /** A lease owner id unique to this worker (host, process id, random suffix). */
  DeliveryWorkerBuilder withOwner(String owner) {
    this.owner = owner;
    return this;
  }

  /**
   * Optional: how long a claim lasts before another worker may take it; default the engine's,
   * {@link HotelEngineBuilder#DEFAULT_LEASE}.
   */
  DeliveryWorkerBuilder withLease(Duration lease) {
    this.lease = lease;
    return this;
  }

  /**
   * Optional: the order of the channel's lanes when its quota binds; default {@link
   * ChannelPriority#DEFAULT}. Give the batcher the same ({@link Batcher#withPriority}).
   */
  DeliveryWorkerBuilder withPriority(ChannelPriority priority) {
    this.priority = Objects.requireNonNull(priority, "priority");
    return this;
  }

  /** Optional: how many batches one run sends at once; default the policy's concurrency. */
  DeliveryWorkerBuilder withConcurrency(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    this.concurrency = concurrency;
    return this;
  }

  /** Optional: seeds the trace ids; default 1. */
  DeliveryWorkerBuilder withSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Builds the worker.
   *
   * @throws NullPointerException naming the first required setting that is missing
   */
  DeliveryWorker build() {
    Objects.requireNonNull(db, "database");
    Objects.requireNonNull(queue, "workQueue");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(queues, "queues");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(adapter, "adapter");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(decider, "decider");
    if (admission == null) {
      Objects.requireNonNull(breakers, "breakers");
      Objects.requireNonNull(quotas, "quotas");
    }
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(lease, "lease");
    return new DeliveryWorker(this);
  }
}
