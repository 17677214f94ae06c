package dev.paritysync.hotel.engine;

import dev.paritysync.core.http.Transport;
import dev.paritysync.core.metrics.CoreMetrics;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.adapter.Adapters;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.Queues;
import dev.paritysync.store.cluster.Cluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Builds a {@link HotelEngine}. Not thread-safe. */
public final class HotelEngineBuilder {
  @Nullable Database db;
  @Nullable Clock clock;
  @Nullable Scheduler scheduler;
  @Nullable Transport transport;
  @Nullable Portfolio portfolio;
  @Nullable Map<String, ChannelConfig> channels;
  Adapters adapters = Adapters.standard();
  Map<String, ChannelPolicy> policies = Map.of();
  String owner = DEFAULT_OWNER;
  Duration tick = DEFAULT_TICK;
  Duration lease = DEFAULT_LEASE;
  int horizonDays = ChangeValidator.DEFAULT_HORIZON_DAYS;
  int maxBodyBytes = Queues.DEFAULT_MAX_BODY_BYTES;
  long seed = DEFAULT_SEED;
  @Nullable MeterRegistry registry;
  OpenTelemetry otel = OpenTelemetry.noop();
  @Nullable Cluster cluster;

  /** Default prefix of this engine's worker id: {@code paritysync}. */
  public static final String DEFAULT_OWNER = "paritysync";

  /** Default idle tick of a delivery loop: 50 ms. */
  public static final Duration DEFAULT_TICK = Duration.ofMillis(50);

  /**
   * Default lease of a claimed batch: 30 s, as documented for {@code engine.lease}
   * (docs/running.md); the configuration file's default is this one.
   */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  /** Default seed of jitter: 1. */
  public static final long DEFAULT_SEED = 1;

  HotelEngineBuilder() {}

  /**
   * Optional: records the engine's meters ({@link EngineMetrics}, {@link CoreMetrics}) in {@code
   * registry}; default none recorded. The queue-depth and circuit gauges are removed when the
   * engine closes.
   */
  public HotelEngineBuilder withMeterRegistry(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * Optional: traces ingest calls and delivery attempts ({@link EngineTraces}); default {@link
   * OpenTelemetry#noop()}, with which requests still carry a valid random {@code traceparent}.
   */
  public HotelEngineBuilder withOpenTelemetry(OpenTelemetry otel) {
    this.otel = Objects.requireNonNull(otel, "openTelemetry");
    return this;
  }

  /** The migrated database (hotel migrations included). */
  public HotelEngineBuilder withDatabase(Database db) {
    this.db = db;
    return this;
  }

  /** The clock every time the engine reads comes from: versions, leases, delays, the ledger. */
  public HotelEngineBuilder withClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Runs the delivery loops; a loop blocks a scheduler thread while its requests are out. */
  public HotelEngineBuilder withScheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
    return this;
  }

  /** The HTTP transport every request to a channel goes through. */
  public HotelEngineBuilder withTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  /** The properties, room types and rate plans changes may name. */
  public HotelEngineBuilder withPortfolio(Portfolio portfolio) {
    this.portfolio = portfolio;
    return this;
  }

  /** The channels, by name. */
  public HotelEngineBuilder withChannels(Map<String, ChannelConfig> channels) {
    this.channels = new LinkedHashMap<>(channels);
    return this;
  }

  /**
   * Optional: the channels' resilience policies as the configuration's loader already read and
   * checked them ({@link ChannelPolicies#of}), by channel name, so the engine does not read a
   * {@code resilience} block a second time. A channel without one here is read from its block when
   * the engine is built. Default: none.
   */
  public HotelEngineBuilder withPolicies(Map<String, ChannelPolicy> policies) {
    this.policies = Map.copyOf(policies);
    return this;
  }

  /** Optional: the adapters channels may name; default {@link Adapters#standard()}. */
  HotelEngineBuilder withAdapters(Adapters adapters) {
    this.adapters = Objects.requireNonNull(adapters, "adapters");
    return this;
  }

  /**
   * Optional: the cluster this process works in. When the cluster is {@linkplain Cluster#shared()
   * shared} (PostgreSQL), every channel's quota and pauses, retry budget, circuit and OAuth2 token
   * are the cluster's (see {@link Admission}), and verify before resume runs once for the cluster;
   * otherwise (or without it) they are this process's. Give a lease owner unique to the process
   * ({@link #withOwner}, e.g. the cluster's worker id).
   */
  public HotelEngineBuilder withCluster(Cluster cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    return this;
  }

  /** Optional: this process's lease owner id prefix; default {@code paritysync}. */
  public HotelEngineBuilder withOwner(String owner) {
    this.owner = Objects.requireNonNull(owner, "owner");
    return this;
  }

  /** Optional: how long an idle loop waits before looking again; default 50 ms. */
  public HotelEngineBuilder withTick(Duration tick) {
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("tick must be positive, was " + tick);
    }
    this.tick = tick;
    return this;
  }

  /**
   * Optional: how long a claimed batch is held before another worker may take it; default {@link
   * #DEFAULT_LEASE} (30 s).
   */
  public HotelEngineBuilder withLease(Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive, was " + lease);
    }
    this.lease = lease;
    return this;
  }

  /** Optional: how many days ahead changes may reach; default 750. */
  HotelEngineBuilder withHorizonDays(int days) {
    this.horizonDays = days;
    return this;
  }

  /** Optional: how much of a request or response body a queue item keeps; default 16 KiB. */
  public HotelEngineBuilder withMaxBodyBytes(int bytes) {
    this.maxBodyBytes = bytes;
    return this;
  }

  /** Optional: seeds jitter and trace ids; default 1. */
  public HotelEngineBuilder withSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Builds the engine (its loops not started).
   *
   * @throws NullPointerException naming the first required setting that is missing
   * @throws IllegalArgumentException when a channel's adapter or resilience block is invalid
   */
  public HotelEngine build() {
    Objects.requireNonNull(db, "database");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(portfolio, "portfolio");
    Objects.requireNonNull(channels, "channels");
    return new HotelEngine(this);
  }
}
