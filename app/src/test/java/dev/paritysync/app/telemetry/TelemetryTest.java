package dev.paritysync.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.paritysync.core.config.ConfigMap;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Telemetry from configuration: off by default, OTLP to a collector on loopback when set. */
class TelemetryTest {
  private HttpServer collector;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private record Received(String method, String path, String contentType, byte[] body) {}

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.stop(0);
    }
  }

  private static TelemetryConfig parse(Map<String, Object> telemetry) {
    return TelemetryConfig.fromConfig(new ConfigMap("telemetry", telemetry));
  }

  /** A stand-in OTLP/HTTP collector on 127.0.0.1 that records each request and answers 200. */
  private URI startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    in.readAllBytes()));
          }
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    return URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
  }

  @Test
  void isOffWithoutConfiguration() {
    TelemetryConfig config = parse(Map.of());
    assertThat(config.exporting()).isFalse();
    try (Telemetry telemetry = Telemetry.start(config)) {
      Span span = telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan();
      assertThat(span.getSpanContext().isValid()).isFalse();
      span.end();
      assertThat(telemetry.flush()).isTrue();
    }
  }

  @Test
  void exportsSpansOverOtlpHttpAndFlushesOnClose() throws IOException {
    URI endpoint = startCollector();
    TelemetryConfig config =
        parse(
            Map.of(
                "serviceName",
                "paritysync-test",
                "otlp",
                Map.of("endpoint", endpoint.toString(), "timeout", "5s")));
    assertThat(config.protocol()).isEqualTo(TelemetryConfig.Protocol.HTTP_PROTOBUF);

    String traceId;
    try (Telemetry telemetry = Telemetry.start(config)) {
      Span span =
          telemetry.openTelemetry().getTracer("t").spanBuilder("paritysync.ingest").startSpan();
      traceId = span.getSpanContext().getTraceId();
      assertThat(span.getSpanContext().isSampled()).isTrue();
      span.end();
    } // close() flushes the batch

    assertThat(received).hasSize(1);
    Received r = received.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/traces");
    assertThat(r.contentType()).isEqualTo("application/x-protobuf");
    // protobuf keeps strings as UTF-8 bytes: the span name and the service name are in the body
    String body = new String(r.body(), StandardCharsets.ISO_8859_1);
    assertThat(body).contains("paritysync.ingest").contains("paritysync-test");
    assertThat(traceId).hasSize(32);
  }

  @Test
  void acceptsGrpcAsAProtocol() {
    TelemetryConfig config =
        parse(Map.of("otlp", Map.of("endpoint", "http://127.0.0.1:4317", "protocol", "grpc")));
    assertThat(config.protocol()).isEqualTo(TelemetryConfig.Protocol.GRPC);
    assertThat(config.timeout()).isEqualTo(TelemetryConfig.DEFAULT_TIMEOUT);
    try (Telemetry telemetry = Telemetry.start(config)) {
      assertThat(telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan())
          .satisfies(s -> assertThat(s.getSpanContext().isValid()).isTrue());
    }
  }

  @Test
  void configurationErrorsNameTheKey() {
    assertThatThrownBy(() -> parse(Map.of("otlp", Map.of("protocol", "grpc"))))
        .hasMessage("telemetry.otlp.endpoint: required when telemetry.otlp is set");
    assertThatThrownBy(() -> parse(Map.of("otlp", Map.of("endpoint", "127.0.0.1:4318"))))
        .hasMessageStartingWith("telemetry.otlp.endpoint: '127.0.0.1:4318' is not a valid URL: ");
    assertThatThrownBy(() -> parse(Map.of("otlp", Map.of("endpoint", "ftp://127.0.0.1:4318"))))
        .hasMessage("telemetry.otlp.endpoint: ftp://127.0.0.1:4318 is not an http(s) URL");
    assertThatThrownBy(() -> parse(Map.of("otlp", Map.of("endpoint", "http:///v1/traces"))))
        .hasMessage("telemetry.otlp.endpoint: http:///v1/traces is not an http(s) URL");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "otlp",
                        Map.of("endpoint", "http://127.0.0.1:4318/v1/traces", "protocol", "udp"))))
        .hasMessage("telemetry.otlp.protocol: 'udp' is not supported; use http/protobuf or grpc");
    assertThatThrownBy(
            () -> parse(Map.of("otlp", Map.of("endpiont", "http://127.0.0.1:4318/v1/traces"))))
        .hasMessageStartingWith("telemetry.otlp.endpoint: required");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "otlp",
                        Map.of("endpoint", "http://127.0.0.1:4318/v1/traces", "timeot", "1s"))))
        .hasMessageStartingWith("telemetry.otlp.timeot: unknown key");
    assertThatThrownBy(() -> parse(Map.of("sampleRatio", 1.5)))
        .hasMessage("telemetry.sampleRatio: must be between 0 and 1, was 1.5");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "otlp",
                        Map.of("endpoint", "http://127.0.0.1:4318/v1/traces", "timeout", "0s"))))
        .hasMessage("telemetry.otlp.timeout: must be positive, was 0s");
    assertThat(Duration.ofSeconds(10)).isEqualTo(TelemetryConfig.DEFAULT_TIMEOUT);
  }
}
