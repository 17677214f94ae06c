package dev.paritysync.hotel.engine;

import dev.paritysync.core.metrics.CoreMetrics;
import dev.paritysync.core.metrics.LatencyMeter;
import dev.paritysync.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The hotel engine's Micrometer meters, by name, over the resilience core's ({@link CoreMetrics}:
 * attempts by channel, action and reason; attempt latency; retry delays; circuit state).
 *
 * <ul>
 *   <li>{@value #ACK_LATENCY} (timer, tag channel): from the acceptance of the oldest version in a
 *       batch to the channel's acknowledgement of the whole batch — one sample per acknowledged
 *       batch, so a batch coalescing a backlog counts once, at its oldest (worst) change. A re-push
 *       or replay sends an old version again and is measured from that version's acceptance. A
 *       {@link LatencyMeter}: a percentile histogram, and gauges {@code
 *       paritysync.change.ack.latency.percentile} of the 0.5, 0.95 and 0.99 percentiles.
 *   <li>{@value #QUEUE_DEPTH} (gauge, tags channel, queue): {@code pending_cells}, {@code
 *       in_flight_cells}, {@code retrying_batches}, {@code dead_letters}, {@code reconciliation},
 *       as {@link HotelEngine#status()} counts them; each scrape runs one indexed {@code COUNT} per
 *       series, so the values are never stale.
 *   <li>{@value #RETRIES} (counter, tag channel): attempts that resent a batch (or part) after a
 *       failed attempt.
 *   <li>{@value #RETRY_RATE} (gauge, tag channel): 100 × retries ÷ attempts since the process
 *       started (0 before the first attempt); for a windowed rate, use {@code rate()} of the two
 *       counters in Prometheus.
 *   <li>{@value #INGEST_CHANGES} (counter, tag outcome {@code accepted} or {@code rejected}):
 *       changes given to ingest; a call is all or nothing, so every change of a rejected call is
 *       counted rejected.
 *   <li>{@value #INGEST_REJECTION_RATE} (gauge): 100 × rejected ÷ all changes since the process
 *       started (0 before the first).
 *   <li>{@value #PARITY} (gauge, tag channel): 100 × the channel's cells whose newest version it
 *       acknowledged ÷ the cells its mapping maps (100 when it maps none), as {@code GET
 *       /admin/v1/channels} shows it; read from the database at each scrape.
 *   <li>{@value #RECONCILIATION_REVIEW} (gauge): reconciliation reports whose drift was over the
 *       thresholds, waiting for approval; read from the database at each scrape.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class EngineMetrics {
  /** Timer from a change's acceptance to its batch's acknowledgement; tag channel. */
  public static final String ACK_LATENCY = "paritysync.change.ack.latency";

  /** Gauge of a channel's queue depth; tags channel, queue. */
  public static final String QUEUE_DEPTH = "paritysync.queue.depth";

  /** Counter of attempts that were retries; tag channel. */
  public static final String RETRIES = "paritysync.retries";

  /** Gauge of retries as a percentage of attempts, process lifetime; tag channel. */
  public static final String RETRY_RATE = "paritysync.retry.rate";

  /** Counter of changes given to ingest; tag outcome. */
  public static final String INGEST_CHANGES = "paritysync.ingest.changes";

  /** Gauge of rejected changes as a percentage of all changes given to ingest. */
  public static final String INGEST_REJECTION_RATE = "paritysync.ingest.rejection.rate";

  /** Gauge of a channel's cells at parity, percent of its mapped cells; tag channel. */
  public static final String PARITY = "paritysync.parity.percent";

  /** Gauge of reconciliation reports waiting for approval (drift over the thresholds). */
  public static final String RECONCILIATION_REVIEW = "paritysync.reconciliation.awaiting.review";

  public static final String TAG_QUEUE = "queue";
  public static final String TAG_OUTCOME = "outcome";
  public static final String ACCEPTED = "accepted";
  public static final String REJECTED = "rejected";

  /** The {@code queue} tag values of {@value #QUEUE_DEPTH}, and how each is counted. */
  private static final Map<String, String> DEPTHS =
      Map.of(
          "pending_cells", EngineSql.PENDING,
          "in_flight_cells", EngineSql.IN_FLIGHT,
          "retrying_batches", EngineSql.RETRYING,
          "dead_letters", EngineSql.DEAD_LETTERS,
          "reconciliation", EngineSql.RECONCILIATION);

  private static final String AWAITING_REVIEW =
      "SELECT COUNT(*) FROM reconciliation_reports WHERE status = 'REVIEW'";

  private final MeterRegistry registry;
  private final CoreMetrics core;
  private final Counter accepted;
  private final Counter rejected;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final List<Meter> watches = new CopyOnWriteArrayList<>();

  /** Meters in {@code registry}; the core's meters go there too. */
  EngineMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.core = new CoreMetrics(registry);
    this.accepted = ingestCounter(ACCEPTED);
    this.rejected = ingestCounter(REJECTED);
    Gauge.builder(INGEST_REJECTION_RATE, this, m -> percent(m.rejected, m.accepted))
        .description("Rejected changes, percent of all changes given to ingest")
        .register(registry);
  }

  /** The resilience core's meters, in the same registry. */
  public CoreMetrics core() {
    return core;
  }

  void ingested(int changes) {
    accepted.increment(changes);
  }

  void rejected(int changes) {
    rejected.increment(changes);
  }

  /** One attempt of {@code channel} sent; {@code retry} when it resends after a failure. */
  void attempt(String channel, boolean retry) {
    Channel c = channel(channel);
    c.attempts.incrementAndGet();
    if (retry) {
      c.retries.increment();
    }
  }

  void acknowledged(String channel, Duration latency) {
    channel(channel).ackLatency.record(latency);
  }

  /**
   * Registers the queue-depth and parity gauges of {@code channel}, and the engine's reconciliation
   * gauge, read from {@code db} at each scrape.
   */
  void watchQueues(Database db, String channel) {
    channel(channel);
    DEPTHS.forEach(
        (queue, sql) ->
            watches.add(
                Gauge.builder(QUEUE_DEPTH, () -> count(db, sql, channel))
                    .description("Queue depth: cells or batches or items waiting")
                    .tags(CoreMetrics.TAG_CHANNEL, channel, TAG_QUEUE, queue)
                    .strongReference(true)
                    .register(registry)));
    watches.add(
        Gauge.builder(PARITY, () -> parity(db, channel))
            .description("Cells at parity, percent of the cells the channel's mapping maps")
            .tags(CoreMetrics.TAG_CHANNEL, channel)
            .strongReference(true)
            .register(registry));
    // One series for the engine: for the second channel on, register returns the first gauge.
    watches.add(
        Gauge.builder(RECONCILIATION_REVIEW, () -> count(db, AWAITING_REVIEW, null))
            .description("Reconciliation reports waiting for approval: drift over the thresholds")
            .strongReference(true)
            .register(registry));
  }

  /** Keeps {@code meter} to be removed by {@link #unwatch()}. */
  void watch(Meter meter) {
    watches.add(meter);
  }

  /** Removes the gauges that read the database or the engine's breakers. */
  void unwatch() {
    for (Meter m : watches) {
      registry.remove(m);
    }
    watches.clear();
  }

  private Channel channel(String channel) {
    Objects.requireNonNull(channel, "channel");
    return channels.computeIfAbsent(channel, Channel::new);
  }

  private Counter ingestCounter(String outcome) {
    return Counter.builder(INGEST_CHANGES)
        .description("Changes given to ingest, by outcome")
        .tags(TAG_OUTCOME, outcome)
        .register(registry);
  }

  private static double percent(Counter part, Counter other) {
    double p = part.count();
    double all = p + other.count();
    return all == 0 ? 0 : 100 * p / all;
  }

  private static double parity(Database db, String channel) {
    return db.read(
        c -> {
          long mapped = count(c, EngineSql.MAPPED, channel);
          return mapped == 0 ? 100 : 100.0 * count(c, EngineSql.AT_PARITY, channel) / mapped;
        });
  }

  /** {@code sql}'s count, with {@code channel} as its one parameter unless null. */
  private static long count(Database db, String sql, @Nullable String channel) {
    return db.read(c -> count(c, sql, channel));
  }

  private static long count(Connection c, String sql, @Nullable String channel)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (channel != null) {
        ps.setString(1, channel);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private final class Channel {
    final AtomicLong attempts = new AtomicLong();
    final Counter retries;
    final LatencyMeter ackLatency;

    Channel(String name) {
      retries =
          Counter.builder(RETRIES)
              .description("Attempts that resent a batch after a failed attempt")
              .tags(CoreMetrics.TAG_CHANNEL, name)
              .register(registry);
      ackLatency =
          new LatencyMeter(
              registry,
              ACK_LATENCY,
              "From a change's acceptance to its batch's acknowledgement",
              Tags.of(CoreMetrics.TAG_CHANNEL, name),
              Duration.ofHours(1));
      Gauge.builder(
              RETRY_RATE,
              this,
              c -> {
                long all = c.attempts.get();
                return all == 0 ? 0 : 100 * c.retries.count() / all;
              })
          .description("Retries, percent of attempts since the process started")
          .tags(CoreMetrics.TAG_CHANNEL, name)
          .strongReference(true)
          .register(registry);
    }
  }
}
