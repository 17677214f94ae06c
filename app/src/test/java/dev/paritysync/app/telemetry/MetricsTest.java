package dev.paritysync.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

/** The Prometheus registry and its scrape. */
class MetricsTest {
  @Test
  void scrapesApplicationMetersInPrometheusText() {
    try (Metrics metrics = Metrics.applicationOnly()) {
      Counter.builder("paritysync.test.things")
          .tag("channel", "a")
          .register(metrics.registry())
          .increment(3);

      String scrape = metrics.scrape();

      assertThat(scrape)
          .contains("# TYPE paritysync_test_things_total counter")
          .contains("paritysync_test_things_total{channel=\"a\"} 3.0")
          .doesNotContain("jvm_");
      assertThat(Metrics.CONTENT_TYPE).startsWith("text/plain; version=0.0.4");
    }
  }

  @Test
  void withJvmAddsJvmAndProcessMeters() {
    try (Metrics metrics = Metrics.withJvm()) {
      assertThat(metrics.scrape())
          .contains("jvm_memory_used_bytes")
          .contains("jvm_threads_live_threads")
          .contains("process_uptime_seconds");
    }
  }
}
