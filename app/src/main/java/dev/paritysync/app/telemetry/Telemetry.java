package dev.paritysync.app.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The process's {@link OpenTelemetry}, built from a {@link TelemetryConfig}: with no exporter (the
 * default) it is {@link OpenTelemetry#noop()} — nothing is recorded, and the engine still sends a
 * valid random {@code traceparent} on every request; with OTLP it is an SDK that batches spans to
 * the collector, samples new traces by the configured ratio (children follow their parent) and
 * propagates W3C trace context.
 *
 * <p>Hand {@link #openTelemetry()} to {@code HotelEngineBuilder.withOpenTelemetry}. {@link
 * #close()} flushes the spans not yet exported (waiting at most the export timeout) and shuts the
 * exporter down. Thread-safe.
 */
public final class Telemetry implements AutoCloseable {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final TelemetryConfig config;
  private final OpenTelemetry otel;
  private final @Nullable OpenTelemetrySdk sdk;

  private Telemetry(TelemetryConfig config, OpenTelemetry otel, @Nullable OpenTelemetrySdk sdk) {
    this.config = config;
    this.otel = otel;
    this.sdk = sdk;
  }

  /** Starts telemetry as {@code config} says. */
  public static Telemetry start(TelemetryConfig config) {
    Objects.requireNonNull(config, "config");
    if (!config.exporting()) {
      return new Telemetry(config, OpenTelemetry.noop(), null);
    }
    return withExporter(config, exporter(config));
  }

  /** Telemetry that exports to {@code exporter} (tests, or exporters not configured by file). */
  static Telemetry withExporter(TelemetryConfig config, SpanExporter exporter) {
    SdkTracerProvider tracers =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.create(Attributes.of(SERVICE_NAME, config.serviceName()))))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter).setExporterTimeout(config.timeout()).build())
            .build();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracers)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    return new Telemetry(config, sdk, sdk);
  }

  private static SpanExporter exporter(TelemetryConfig config) {
    String endpoint =
        Objects.requireNonNull(config.endpoint(), "an exporting config has an endpoint").toString();
    return switch (config.protocol()) {
      case HTTP_PROTOBUF ->
          OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setTimeout(config.timeout()).build();
      case GRPC ->
          OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).setTimeout(config.timeout()).build();
      case NONE -> throw new IllegalStateException("no exporter for protocol NONE");
    };
  }

  /** The configuration this telemetry runs with. */
  public TelemetryConfig config() {
    return config;
  }

  /** What the engine traces with: the SDK when exporting, else {@link OpenTelemetry#noop()}. */
  public OpenTelemetry openTelemetry() {
    return otel;
  }

  /**
   * Exports the spans ended so far, waiting at most the export timeout; returns whether the
   * collector took them (true when not exporting).
   */
  public boolean flush() {
    if (sdk == null) {
      return true;
    }
    CompletableResultCode r = sdk.getSdkTracerProvider().forceFlush();
    return r.join(config.timeout().toMillis(), TimeUnit.MILLISECONDS).isSuccess();
  }

  /** Flushes what is left and shuts the exporter down. */
  @Override
  public void close() {
    if (sdk != null) {
      flush();
      sdk.getSdkTracerProvider()
          .shutdown()
          .join(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
