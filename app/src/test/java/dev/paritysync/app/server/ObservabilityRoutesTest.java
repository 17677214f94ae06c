package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.ServeRoutesAccess;
import dev.paritysync.app.telemetry.Metrics;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} and the ingest span over real HTTP, wired as {@code serve} wires them: the PMS's
 * {@code traceparent} becomes the parent of the ingest span, and the scrape counts what happened.
 */
class ObservabilityRoutesTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String ONE =
      "{\"changes\":[{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\","
          + "\"from\":\"2026-03-02\",\"to\":\"2026-03-03\","
          + "\"rate\":{\"amount\":\"120.00\",\"currency\":\"EUR\"}}]}";

  @TempDir Path dir;
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  final Metrics metrics = Metrics.applicationOnly();
  ApiFixture f;

  @BeforeEach
  void start() {
    f =
        new ApiFixture(
            dir,
            ApiFixture.YAML,
            Map.<String, String>of(),
            b -> b.withMeterRegistry(metrics.registry()).withOpenTelemetry(otel));
    ApiServer.Builder b = ApiServer.builder();
    ServeRoutesAccess.routes(f.cfg, f.db, f.engine, f.time, metrics, otel, () -> false)
        .forEach(b::withRoutes);
    f.start(b);
  }

  @AfterEach
  void stop() {
    f.close();
    otel.close();
    metrics.close();
  }

  private HttpResponse<String> post(String body) {
    return f.send(
        HttpRequest.newBuilder(f.uri("/v1/changes"))
            .header("Content-Type", "application/json")
            .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void theIngestSpanContinuesThePmsTrace() {
    assertThat(post(ONE).statusCode()).isEqualTo(202);

    SpanData ingest =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("paritysync.ingest"))
            .findFirst()
            .orElseThrow();
    assertThat(ingest.getTraceId()).isEqualTo(TRACE);
    assertThat(ingest.getParentSpanId()).isEqualTo(PARENT);
  }

  @Test
  void metricsCountAcceptedAndRejectedChangesInPrometheusText() {
    post(ONE);
    post(ONE.replace("\"P1\"", "\"P9\""));

    HttpResponse<String> scrape = f.get("/metrics");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(scrape.body())
        .contains("paritysync_ingest_changes_total{outcome=\"accepted\"} 1.0")
        .contains("paritysync_ingest_changes_total{outcome=\"rejected\"} 1.0")
        .contains("paritysync_ingest_rejection_rate 50.0")
        .contains("paritysync_queue_depth{channel=\"a\",queue=\"pending_cells\"} 2.0");
  }
}
