package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.TraceContext;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportStore;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's Prometheus meters and OpenTelemetry spans, driven over real HTTP against a sim
 * channel on virtual time; assertions read the Prometheus scrape text and the exported spans.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class EngineTelemetryTest {
  @Parameter Backend backend;
  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(Engines.START);
  private final Transport transport = Transport.builder().withClock(time).build();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();
  private Backend.EngineStore store;
  private SimChannel sim;
  private HotelEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    transport.close();
    if (sim != null) {
      sim.close();
    }
    if (store != null) {
      store.close();
    }
    otel.close();
    registry.close();
  }

  private HotelEngine engine(OpenTelemetry telemetry) {
    store = backend.open(dir); // an unavailable backend skips here
    sim = SimChannel.start(SimConfig.healthy(11), time);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", "native");
    c.put("baseUrl", sim.baseUri().toString());
    c.put("credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:KEY}")));
    c.put(
        "mapping",
        Map.of("rooms", Map.of("DBL", "D1", "SGL", "S1"), "ratePlans", Map.of("BAR", "R1")));
    SecretResolver secrets = SecretResolver.constant(Secret.of("k"));
    return HotelEngine.builder()
        .withDatabase(store.db)
        .withClock(time)
        .withScheduler(time)
        .withTransport(transport)
        .withPortfolio(Engines.PORTFOLIO)
        .withChannels(Map.of("a", ChannelConfig.parse("a", c, secrets)))
        .withMeterRegistry(registry)
        .withOpenTelemetry(telemetry)
        .build();
  }

  private static Change rate(String property, int day, String amount) {
    return Change.builder(property, "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withRatePlan("BAR")
        .withRate(new Rate(new BigDecimal(amount), "EUR"))
        .build();
  }

  /** Steps the channel's loop once a second until it settles (at most a minute). */
  private void settle() {
    for (int i = 0; i < 60 && !engine.status().get("a").settled(); i++) {
      time.advance(Duration.ofSeconds(1));
      engine.step("a");
    }
    assertThat(engine.status().get("a").settled()).isTrue();
  }

  /** The value of the series {@code series} (name and labels exactly as scraped). */
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in%n%s", series, scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void scrapeCountsIngestAttemptsRetriesAndAckLatency() {
    engine = engine(OpenTelemetry.noop());

    engine.ingest().accept(List.of(rate("P1", 1, "120.00"), rate("P1", 2, "121.00")));
    assertThatThrownBy(() -> engine.ingest().accept(List.of(rate("NOPE", 1, "99.00"))))
        .isInstanceOf(ChangesRejected.class);

    sim.setOutage(true); // the first attempt gets a 503 and is retried
    time.advance(Duration.ofSeconds(2));
    engine.step("a");
    String during = registry.scrape();
    assertThat(value(during, "paritysync_queue_depth{channel=\"a\",queue=\"retrying_batches\"}"))
        .isEqualTo(1);
    assertThat(value(during, "paritysync_queue_depth{channel=\"a\",queue=\"in_flight_cells\"}"))
        .isEqualTo(2);
    assertThat(value(during, "paritysync_parity_percent{channel=\"a\"}")).isZero();
    sim.setOutage(false);
    settle();

    String scrape = registry.scrape();
    assertThat(value(scrape, "paritysync_ingest_changes_total{outcome=\"accepted\"}")).isEqualTo(2);
    assertThat(value(scrape, "paritysync_ingest_changes_total{outcome=\"rejected\"}")).isEqualTo(1);
    assertThat(value(scrape, "paritysync_ingest_rejection_rate")).isCloseTo(100.0 / 3, within());
    long retries = sim.stats().count(503);
    long acks = sim.stats().count(200);
    assertThat(retries).isEqualTo(1);
    assertThat(acks).isEqualTo(1);
    assertThat(
            value(
                    scrape,
                    "paritysync_attempts_total{action=\"retry_after\",channel=\"a\",reason=\"none\"}")
                + value(
                    scrape,
                    "paritysync_attempts_total{action=\"ack\",channel=\"a\",reason=\"none\"}"))
        .isEqualTo(2);
    assertThat(value(scrape, "paritysync_retries_total{channel=\"a\"}")).isEqualTo(1);
    assertThat(value(scrape, "paritysync_retry_rate{channel=\"a\"}")).isEqualTo(50);
    // one acknowledged batch, whose oldest change was accepted when the test began
    assertThat(value(scrape, "paritysync_change_ack_latency_seconds_count{channel=\"a\"}"))
        .isEqualTo(1);
    assertThat(value(scrape, "paritysync_change_ack_latency_seconds_sum{channel=\"a\"}"))
        .isEqualTo(Duration.between(Engines.START, time.instant()).toMillis() / 1000.0);
    assertPercentiles(scrape);
    assertThat(scrape).contains("paritysync_change_ack_latency_seconds_bucket{channel=\"a\",le=");
    assertThat(value(scrape, "paritysync_attempt_latency_seconds_count{channel=\"a\"}"))
        .isEqualTo(2);
    assertThat(value(scrape, "paritysync_retry_delay_seconds_count{channel=\"a\"}")).isEqualTo(1);
    assertEveryQueueEmpty(scrape);
    assertThat(value(scrape, "paritysync_circuit_state{channel=\"a\",endpoint=\"ari\"}")).isZero();
    assertThat(value(scrape, "paritysync_parity_percent{channel=\"a\"}")).isEqualTo(100);
    assertThat(value(scrape, "paritysync_reconciliation_awaiting_review")).isZero();
    new ReportStore(store.db)
        .save(
            new ReconciliationReport(
                "01REVIEW",
                time.instant(),
                Engines.TODAY,
                Engines.TODAY.plusDays(2),
                ReconciliationReport.Status.REVIEW,
                List.of()));
    assertThat(value(registry.scrape(), "paritysync_reconciliation_awaiting_review")).isEqualTo(1);
    // without a tracer, requests still carry a valid traceparent, a new one per attempt
    assertThat(sim.traceparents()).hasSize(2).allMatch(TraceContext::isValid);

    engine.close();
    assertThat(registry.scrape())
        .doesNotContain("paritysync_queue_depth")
        .doesNotContain("paritysync_parity_percent")
        .doesNotContain("paritysync_reconciliation_awaiting_review");
  }

  /**
   * Every percentile gauge is scraped; a change waited about 3 s for its acknowledgement and a
   * retry about 1 s.
   */
  private static void assertPercentiles(String scrape) {
    for (String q : List.of("0.5", "0.95", "0.99")) {
      assertThat(scrape)
          .contains(
              "paritysync_attempt_latency_percentile_seconds{channel=\"a\",quantile=\""
                  + q
                  + "\"}");
      assertThat(
              value(
                  scrape,
                  "paritysync_change_ack_latency_percentile_seconds{channel=\"a\",quantile=\""
                      + q
                      + "\"}"))
          .isCloseTo(3.0, org.assertj.core.data.Percentage.withPercentage(5));
      assertThat(
              value(
                  scrape,
                  "paritysync_retry_delay_percentile_seconds{channel=\"a\",quantile=\""
                      + q
                      + "\"}"))
          .isCloseTo(1.0, org.assertj.core.data.Percentage.withPercentage(5));
    }
  }

  private static void assertEveryQueueEmpty(String scrape) {
    for (String queue :
        List.of(
            "pending_cells",
            "in_flight_cells",
            "retrying_batches",
            "dead_letters",
            "reconciliation")) {
      assertThat(value(scrape, "paritysync_queue_depth{channel=\"a\",queue=\"" + queue + "\"}"))
          .as(queue)
          .isZero();
    }
  }

  @Test
  void attemptSpansContinueTheTraceOfTheIngestCallsAndTravelAsTraceparent() {
    engine = engine(otel);

    engine.ingest().accept(List.of(rate("P1", 1, "120.00")));
    time.advance(Duration.ofSeconds(1));
    engine.ingest().accept(List.of(rate("P1", 2, "121.00")));
    settle();

    List<SpanData> ingests =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals(EngineTraces.INGEST))
            .toList();
    List<SpanData> attempts =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals(EngineTraces.ATTEMPT))
            .toList();
    assertThat(ingests).hasSize(2);
    assertThat(attempts).hasSize(1); // both changes travel in one batch
    SpanData first = ingests.get(0);
    SpanData attempt = attempts.get(0);
    assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(attempt.getTraceId()).isEqualTo(first.getTraceId());
    assertThat(attempt.getParentSpanId()).isEqualTo(first.getSpanId());
    assertThat(attempt.getLinks())
        .extracting(l -> l.getSpanContext().getSpanId())
        .containsExactly(ingests.get(1).getSpanId());
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey(EngineTraces.CHANNEL)))
        .isEqualTo("a");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey(EngineTraces.STATUS)))
        .isEqualTo("200");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey(EngineTraces.ACTION)))
        .isEqualTo("ACK");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey(EngineTraces.BATCH)))
        .isNotBlank();
    assertThat(first.getAttributes().get(AttributeKey.longKey(EngineTraces.VERSION))).isEqualTo(1L);
    // the request the sim received carried the attempt span's context
    assertThat(sim.traceparents())
        .containsExactly(
            "00-"
                + attempt.getTraceId()
                + "-"
                + attempt.getSpanId()
                + "-"
                + attempt.getSpanContext().getTraceFlags().asHex());
    // span times come from the engine's clock
    assertThat(first.getStartEpochNanos())
        .isEqualTo(Engines.START.getEpochSecond() * 1_000_000_000L);
  }

  @Test
  void aRejectedIngestCallEndsItsSpanAsAnError() {
    engine = engine(otel);

    assertThatThrownBy(() -> engine.ingest().accept(List.of(rate("NOPE", 1, "99.00"))))
        .isInstanceOf(ChangesRejected.class);

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo(EngineTraces.INGEST);
    assertThat(span.getStatus().getStatusCode())
        .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.longKey(EngineTraces.CHANGES))).isEqualTo(1L);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
