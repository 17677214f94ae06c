package dev.paritysync.royalty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Micrometer meters of report ingest runs (file intake), by name, and a recorder for them over
 * one {@link MeterRegistry}. Every meter carries the tag {@value #TAG_SOURCE}; {@value #ROWS} also
 * {@value #TAG_OUTCOME} ({@code valid} or {@code dead}). The two gauges hold the last completed run
 * of each source. Retry rate, backoff p95 and sync completion delta belong to the DSP pull.
 *
 * <p>Thread-safe. Meters are created on first use.
 */
public final class RunMetrics {
  /** Counter of rows read, tags source, outcome. */
  public static final String ROWS = "paritysync.royalty.rows";

  /** Timer of complete ingest runs (parse, validate, lake, dead letters), tag source. */
  public static final String RUN_DURATION = "paritysync.royalty.run.duration";

  /** Gauge of the last run's rows read per second, tag source. */
  public static final String ROWS_PER_SECOND = "paritysync.royalty.run.rows.per.second";

  /** Gauge of the last run's schema rejection rate (dead letters / rows read, 0–1), tag source. */
  public static final String REJECTION_RATE = "paritysync.royalty.run.rejection.rate";

  /** The tag naming the configured source, on every meter. */
  public static final String TAG_SOURCE = "source";

  /** The tag of {@link #ROWS}: {@code valid} or {@code dead}. */
  public static final String TAG_OUTCOME = "outcome";

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> rowsPerSecond = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> rejection = new ConcurrentHashMap<>();

  /** Records into {@code registry}. */
  public RunMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The registry the meters live in. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Records one completed run of {@code source} that took {@code elapsed}. */
  public void run(String source, RunSummary summary, Duration elapsed) {
    Counter.builder(ROWS)
        .description("Report rows read")
        .tags(TAG_SOURCE, source, TAG_OUTCOME, "valid")
        .register(registry)
        .increment(summary.valid());
    Counter.builder(ROWS)
        .description("Report rows read")
        .tags(TAG_SOURCE, source, TAG_OUTCOME, "dead")
        .register(registry)
        .increment(summary.deadLettered());
    Timer.builder(RUN_DURATION)
        .description("Report ingest runs")
        .tags(TAG_SOURCE, source)
        .register(registry)
        .record(elapsed);
    gauge(rowsPerSecond, ROWS_PER_SECOND, "Rows per second of the last run", source)
        .set(Double.doubleToLongBits(rate(summary.rowsRead(), elapsed)));
    gauge(rejection, REJECTION_RATE, "Schema rejection rate of the last run", source)
        .set(Double.doubleToLongBits(summary.rejectionRate()));
  }

  /** {@code rows} per second over {@code elapsed} (0 when no time passed). */
  public static double rate(long rows, Duration elapsed) {
    long nanos = elapsed.toNanos();
    return nanos <= 0 ? 0.0 : rows * 1e9 / nanos;
  }

  private AtomicLong gauge(
      Map<String, AtomicLong> cache, String name, String description, String source) {
    return cache.computeIfAbsent(
        source,
        s -> {
          AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0.0));
          Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
              .description(description)
              .tags(TAG_SOURCE, s)
              .register(registry);
          return bits;
        });
  }
}
