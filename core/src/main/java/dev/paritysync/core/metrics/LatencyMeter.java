package dev.paritysync.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A latency or delay: a Micrometer {@link Timer} {@code <name>} with a percentile histogram
 * (buckets, so {@code histogram_quantile} can aggregate across processes), and gauges {@code
 * <name>.percentile} with tag {@value #TAG_QUANTILE} = 0.5, 0.95, 0.99 reading percentiles this
 * process computes over a sliding window of {@link #WINDOW}.
 *
 * <p>The gauges exist because registries that export a percentile histogram (Prometheus among them)
 * drop a timer's client-side percentiles, so a timer cannot carry both.
 *
 * <p>Thread-safe.
 */
public final class LatencyMeter {
  /** The percentiles published as gauges. */
  public static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  /** The tag of the percentile gauges. */
  public static final String TAG_QUANTILE = "quantile";

  /** The suffix of the percentile gauges' name. */
  public static final String PERCENTILE_SUFFIX = ".percentile";

  /** How far back the percentile gauges look. */
  public static final Duration WINDOW = Duration.ofMinutes(2);

  private final Timer timer;
  private final TimeWindowPercentileHistogram window;

  /**
   * Registers the timer {@code name} and its percentile gauges in {@code registry}, with {@code
   * tags}, expecting values up to {@code max}.
   */
  public LatencyMeter(
      MeterRegistry registry, String name, String description, Tags tags, Duration max) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(name, "name");
    this.timer =
        Timer.builder(name)
            .description(description)
            .tags(tags)
            .publishPercentiles(PERCENTILES) // for registries that export both
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(max)
            .register(registry);
    this.window =
        new TimeWindowPercentileHistogram(
            registry.config().clock(),
            DistributionStatisticConfig.builder()
                .percentiles(PERCENTILES)
                .percentilePrecision(1)
                .expiry(WINDOW)
                .bufferLength(3)
                .build()
                .merge(DistributionStatisticConfig.DEFAULT),
            false);
    for (double p : PERCENTILES) {
      Gauge.builder(name + PERCENTILE_SUFFIX, this, m -> m.percentile(p))
          .description(description + ", percentile over the last " + WINDOW.toMinutes() + " min")
          .tags(tags)
          .tag(TAG_QUANTILE, Double.toString(p))
          .baseUnit("seconds")
          .strongReference(true)
          .register(registry);
    }
  }

  /** Records one value; a negative one counts as zero. */
  public void record(Duration value) {
    Duration v = value.isNegative() ? Duration.ZERO : value;
    timer.record(v);
    window.recordLong(v.toNanos());
  }

  /** The timer. */
  public Timer timer() {
    return timer;
  }

  private double percentile(double p) {
    for (ValueAtPercentile v : window.takeSnapshot(0, 0, 0).percentileValues()) {
      if (v.percentile() == p) {
        return v.value(TimeUnit.SECONDS);
      }
    }
    return Double.NaN;
  }
}
