package dev.paritysync.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.paritysync.core.classify.Action;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoreMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, DistributionStatisticConfig> distributions = new ConcurrentHashMap<>();
  private final CoreMetrics metrics;

  CoreMetricsTest() {
    // SimpleMeterRegistry keeps no histogram buckets, so look at the configuration it was given
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                distributions.put(id.getName(), config);
                return config;
              }
            });
    metrics = new CoreMetrics(registry);
  }

  @Test
  void countsAttemptsByChannelActionAndReason() {
    metrics.attempt("booking", Action.ACK);
    metrics.attempt("booking", Action.ACK);
    metrics.attempt("booking", Action.deadLetter("validation"));
    metrics.attempt("expedia", Action.RETRY);

    assertThat(
            registry
                .get("paritysync.attempts")
                .tags("channel", "booking", "action", "ack", "reason", "none")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("paritysync.attempts")
                .tags("channel", "booking", "action", "dead_letter", "reason", "validation")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("paritysync.attempts")
                .tags("channel", "expedia", "action", "retry")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void recordsRetryDelaysWithPercentilesAndAHistogram() {
    metrics.retryDelay("booking", Duration.ofMillis(500));
    metrics.retryDelay("booking", Duration.ofSeconds(2));

    Timer timer = registry.get("paritysync.retry.delay").tag("channel", "booking").timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2500);
    assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(2000);
    assertThat(
            Arrays.stream(timer.takeSnapshot().percentileValues())
                .map(ValueAtPercentile::percentile))
        .containsExactly(0.5, 0.95, 0.99);
    assertThat(distributions.get("paritysync.retry.delay").isPercentileHistogram()).isTrue();
  }

  @Test
  void publishesPercentileGaugesBesideTheHistogram() {
    for (int i = 1; i <= 100; i++) {
      metrics.attemptLatency("booking", Duration.ofMillis(10L * i));
    }

    for (String q : new String[] {"0.5", "0.95", "0.99"}) {
      double seconds =
          registry
              .get("paritysync.attempt.latency.percentile")
              .tags("channel", "booking", LatencyMeter.TAG_QUANTILE, q)
              .gauge()
              .value();
      // 10 ms .. 1 s evenly: percentile p is p seconds
      assertThat(seconds).as(q).isCloseTo(Double.parseDouble(q), within(0.05));
    }
  }

  @Test
  void keepsOneCircuitGaugePerChannelAndEndpoint() {
    metrics.circuitState("booking", "ari", CoreMetrics.CIRCUIT_OPEN);
    metrics.circuitState("booking", "reservations", CoreMetrics.CIRCUIT_CLOSED);
    metrics.circuitState("booking", "ari", CoreMetrics.CIRCUIT_HALF_OPEN);

    assertThat(
            registry
                .get("paritysync.circuit.state")
                .tags("channel", "booking", "endpoint", "ari")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            registry
                .get("paritysync.circuit.state")
                .tags("channel", "booking", "endpoint", "reservations")
                .gauge()
                .value())
        .isEqualTo(0);
    assertThat(registry.get("paritysync.circuit.state").gauges()).hasSize(2);
  }

  @Test
  void rejectsUnknownCircuitStates() {
    assertThatThrownBy(() -> metrics.circuitState("booking", "ari", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 3");
  }

  @Test
  void countsBudgetExhaustionByChannel() {
    metrics.budgetExhausted("channex");
    metrics.budgetExhausted("channex");

    assertThat(
            registry.get("paritysync.budget.exhausted").tag("channel", "channex").counter().count())
        .isEqualTo(2);
  }

  @Test
  void timesQuotaWaitsAndAttemptLatencies() {
    metrics.quotaWait("booking", Duration.ofMillis(120));
    metrics.attemptLatency("booking", Duration.ofMillis(80));
    metrics.attemptLatency("booking", Duration.ofMillis(40));

    Timer wait = registry.get("paritysync.quota.wait").tag("channel", "booking").timer();
    assertThat(wait.count()).isEqualTo(1);
    assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
    Timer latency = registry.get("paritysync.attempt.latency").tag("channel", "booking").timer();
    assertThat(latency.count()).isEqualTo(2);
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
    assertThat(latency.takeSnapshot().percentileValues()).hasSize(3);
    assertThat(distributions.get("paritysync.attempt.latency").isPercentileHistogram()).isTrue();
  }
}
