package dev.paritysync.app.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The process's Prometheus registry: give {@link #registry()} to {@code
 * HotelEngineBuilder.withMeterRegistry}, serve {@link #scrape()} at {@code /metrics} with {@link
 * #CONTENT_TYPE}. Optionally with JVM and process meters (memory, GC, threads, class loading, CPU,
 * uptime). Thread-safe; {@link #close()} stops the GC listener and closes the registry.
 */
public final class Metrics implements AutoCloseable {
  /** The content type of {@link #scrape()}: the Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final @Nullable JvmGcMetrics gc;
  private final java.util.List<Runnable> beforeScrape =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private Metrics(boolean jvm) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (jvm) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      this.gc = new JvmGcMetrics();
      gc.bindTo(registry);
    } else {
      this.gc = null;
    }
  }

  /** A registry with the JVM and process meters. */
  public static Metrics withJvm() {
    return new Metrics(true);
  }

  /** A registry with the application's meters only. */
  public static Metrics applicationOnly() {
    return new Metrics(false);
  }

  /** Where meters go. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Runs {@code hook} at the start of every {@link #scrape()}: for gauges whose set of series is
   * read from elsewhere (such as {@link ClusterMetrics#refresh()}).
   */
  public void beforeScrape(Runnable hook) {
    beforeScrape.add(java.util.Objects.requireNonNull(hook, "hook"));
  }

  /** Every meter, in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    beforeScrape.forEach(Runnable::run);
    return registry.scrape();
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
