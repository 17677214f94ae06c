package dev.paritysync.app.telemetry;

import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.core.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's gauges, read from the database through {@link ClusterAdmin} (the view {@code GET
 * /admin/v1/cluster} serves), at most once per {@code maxAge} (default 5 s): a scrape costs a few
 * queries, and scrapes in between read the cached view. Every worker exports the same values (they
 * are the cluster's, not the process's); aggregate with {@code max}, not {@code sum}.
 *
 * <ul>
 *   <li>{@value #WORKERS} (tag state {@code alive} or {@code dead}): registered workers.
 *   <li>{@value #HEARTBEAT_AGE} (seconds, tag worker): time since each worker's last heartbeat.
 *   <li>{@value #BATCHES_HELD} (tag worker): batches each worker holds leased now.
 *   <li>{@value #WORKER_STATE} (tag worker): 0 alive, 1 stopped in order, 2 silent (neither stopped
 *       nor heartbeating for 3 × {@code cluster.heartbeat}: crashed, hung or cut off).
 *   <li>{@value #QUOTA_AVAILABLE} (tokens, tags channel, scope, endpoint): tokens a shared quota
 *       key could take now, the fewest over its windows ({@code -1}: unlimited).
 *   <li>{@value #QUOTA_PAUSED} (seconds, same tags): what is left of the pause the channel
 *       announced on the key (429 with Retry-After, or remaining 0 with a reset); 0 when none.
 *   <li>{@value #CIRCUIT_STATE} (tags channel, endpoint): the cluster's circuit, 0 closed, 1
 *       half-open, 2 open.
 * </ul>
 *
 * <p>Series of workers, keys and circuits that are gone disappear at the next read. {@link
 * #refresh()} must run before each scrape ({@link Metrics#beforeScrape}). Thread-safe.
 */
public final class ClusterMetrics {
  private static final Logger log = LoggerFactory.getLogger(ClusterMetrics.class);

  /** Gauge of registered workers; tag state. */
  public static final String WORKERS = "paritysync.cluster.workers";

  /** Gauge of seconds since a worker's last heartbeat; tag worker. */
  public static final String HEARTBEAT_AGE = "paritysync.cluster.worker.heartbeat.age";

  /** Gauge of batches a worker holds leased; tag worker. */
  public static final String BATCHES_HELD = "paritysync.cluster.worker.batches.held";

  /** Gauge of a worker's state (0 alive, 1 stopped, 2 silent); tag worker. */
  public static final String WORKER_STATE = "paritysync.cluster.worker.state";

  /** Gauge of a shared quota key's available tokens; tags channel, scope, endpoint. */
  public static final String QUOTA_AVAILABLE = "paritysync.quota.available";

  /** Gauge of seconds left of a shared quota key's pause; tags channel, scope, endpoint. */
  public static final String QUOTA_PAUSED = "paritysync.quota.paused";

  /** Gauge of a shared circuit's state (0 closed, 1 half-open, 2 open); tags channel, endpoint. */
  public static final String CIRCUIT_STATE = "paritysync.cluster.circuit.state";

  /** How long a read of the view serves scrapes, by default. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);

  private static final Map<String, Integer> STATES = Map.of("CLOSED", 0, "HALF_OPEN", 1, "OPEN", 2);

  private final Supplier<ClusterAdmin.ClusterView> read;
  private final Clock clock;
  private final Duration maxAge;
  private final MultiGauge workers;
  private final MultiGauge heartbeatAge;
  private final MultiGauge batchesHeld;
  private final MultiGauge workerState;
  private final MultiGauge quotaAvailable;
  private final MultiGauge quotaPaused;
  private final MultiGauge circuitState;
  private @Nullable Instant readAt;

  /**
   * Gauges in {@code registry} of the views {@code read} gives, read again when the last read is
   * older than {@code maxAge} on {@code clock}.
   */
  public ClusterMetrics(
      MeterRegistry registry,
      Supplier<ClusterAdmin.ClusterView> read,
      Clock clock,
      Duration maxAge) {
    Objects.requireNonNull(registry, "registry");
    this.read = Objects.requireNonNull(read, "read");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.workers =
        MultiGauge.builder(WORKERS).description("Registered workers, by state").register(registry);
    this.heartbeatAge =
        MultiGauge.builder(HEARTBEAT_AGE)
            .baseUnit("seconds")
            .description("Seconds since the worker's last heartbeat")
            .register(registry);
    this.batchesHeld =
        MultiGauge.builder(BATCHES_HELD)
            .description("Batches the worker holds leased")
            .register(registry);
    this.workerState =
        MultiGauge.builder(WORKER_STATE)
            .description("The worker's state: 0 alive, 1 stopped, 2 silent")
            .register(registry);
    this.quotaAvailable =
        MultiGauge.builder(QUOTA_AVAILABLE)
            .baseUnit("tokens")
            .description("Tokens a shared quota key could take now, fewest over its windows")
            .register(registry);
    this.quotaPaused =
        MultiGauge.builder(QUOTA_PAUSED)
            .baseUnit("seconds")
            .description("Seconds left of the pause the channel announced on the key")
            .register(registry);
    this.circuitState =
        MultiGauge.builder(CIRCUIT_STATE)
            .description("The cluster's circuit: 0 closed, 1 half-open, 2 open")
            .register(registry);
  }

  /** Reads the view again when the last read is older than the maximum age. */
  public synchronized void refresh() {
    Instant now = clock.instant();
    if (readAt != null && Duration.between(readAt, now).compareTo(maxAge) < 0) {
      return;
    }
    ClusterAdmin.ClusterView view;
    try {
      view = read.get();
    } catch (RuntimeException e) {
      log.warn("cannot read the cluster's state for /metrics: {}", e.toString());
      return;
    }
    readAt = now;
    long alive = view.workers().stream().filter(ClusterAdmin.WorkerView::alive).count();
    workers.register(
        List.of(
            MultiGauge.Row.of(Tags.of("state", "alive"), alive),
            MultiGauge.Row.of(Tags.of("state", "dead"), view.workers().size() - alive)),
        true);
    List<MultiGauge.Row<?>> ages = new ArrayList<>();
    List<MultiGauge.Row<?>> held = new ArrayList<>();
    List<MultiGauge.Row<?>> states = new ArrayList<>();
    for (ClusterAdmin.WorkerView w : view.workers()) {
      Tags worker = Tags.of("worker", w.id());
      ages.add(MultiGauge.Row.of(worker, w.heartbeatAgeSeconds()));
      held.add(MultiGauge.Row.of(worker, w.batchesHeld()));
      states.add(MultiGauge.Row.of(worker, w.alive() ? 0 : w.stopped() != null ? 1 : 2));
    }
    heartbeatAge.register(ages, true);
    batchesHeld.register(held, true);
    workerState.register(states, true);
    List<MultiGauge.Row<?>> available = new ArrayList<>();
    List<MultiGauge.Row<?>> paused = new ArrayList<>();
    for (ClusterAdmin.QuotaKeyView q : view.quotas()) {
      Tags tags = Tags.of("channel", q.channel(), "scope", q.scope(), "endpoint", q.endpoint());
      available.add(MultiGauge.Row.of(tags, q.available()));
      paused.add(MultiGauge.Row.of(tags, q.pausedSeconds()));
    }
    quotaAvailable.register(available, true);
    quotaPaused.register(paused, true);
    List<MultiGauge.Row<?>> circuits = new ArrayList<>();
    for (ClusterAdmin.CircuitView c : view.circuits()) {
      circuits.add(
          MultiGauge.Row.of(
              Tags.of("channel", c.channel(), "endpoint", c.endpoint()),
              STATES.getOrDefault(c.state(), 2)));
    }
    circuitState.register(circuits, true);
  }
}
