package dev.paritysync.app.telemetry;

import dev.paritysync.core.config.ConfigMap;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How traces leave the process: not at all (the default), or to an OpenTelemetry collector over
 * OTLP. Immutable.
 *
 * <p>From configuration ({@link #fromConfig}):
 *
 * <pre>
 * telemetry:
 *   serviceName: paritysync          # default paritysync
 *   sampleRatio: 1.0                 # of new traces; children follow their parent; default 1.0
 *   otlp:                            # absent: no exporter
 *     endpoint: http://127.0.0.1:4318/v1/traces
 *     protocol: http/protobuf        # or grpc (endpoint then e.g. http://127.0.0.1:4317)
 *     timeout: 10s                   # per export; default 10 s
 * </pre>
 *
 * @param serviceName the {@code service.name} resource attribute
 * @param sampleRatio the share of new traces recorded, 0 to 1
 * @param protocol the OTLP protocol, or {@link Protocol#NONE} for no exporter
 * @param endpoint where OTLP goes (for http/protobuf the full URL of the traces path); null when
 *     {@code protocol} is {@link Protocol#NONE}
 * @param timeout how long one export may take
 */
public record TelemetryConfig(
    String serviceName,
    double sampleRatio,
    Protocol protocol,
    @Nullable URI endpoint,
    Duration timeout) {

  /** The default service name. */
  public static final String DEFAULT_SERVICE_NAME = "paritysync";

  /** The default export timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** How spans are exported. */
  public enum Protocol {
    /** No exporter: tracing is off. */
    NONE,
    /** OTLP over HTTP with protobuf bodies. */
    HTTP_PROTOBUF,
    /** OTLP over gRPC. */
    GRPC
  }

  /**
   * Checks the configuration.
   *
   * @throws IllegalArgumentException naming the key of a bad ratio, endpoint or timeout
   */
  public TelemetryConfig {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(timeout, "timeout");
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException(
          "telemetry.sampleRatio: must be between 0 and 1, was " + sampleRatio);
    }
    if (protocol != Protocol.NONE) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (endpoint.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw new IllegalArgumentException(
            "telemetry.otlp.endpoint: must be an http or https URL, was '" + endpoint + "'");
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "telemetry.otlp.timeout: must be positive, was " + timeout);
    }
  }

  /** Tracing off: no exporter. */
  public static TelemetryConfig off() {
    return new TelemetryConfig(DEFAULT_SERVICE_NAME, 1.0, Protocol.NONE, null, DEFAULT_TIMEOUT);
  }

  /** OTLP over http/protobuf to {@code endpoint} (the full traces URL), every trace sampled. */
  static TelemetryConfig otlpHttp(URI endpoint) {
    return new TelemetryConfig(
        DEFAULT_SERVICE_NAME, 1.0, Protocol.HTTP_PROTOBUF, endpoint, DEFAULT_TIMEOUT);
  }

  /** Whether spans are exported. */
  public boolean exporting() {
    return protocol != Protocol.NONE;
  }

  /**
   * Reads the {@code telemetry} mapping (see the class comment); an empty mapping is {@link
   * #off()}.
   *
   * @throws IllegalArgumentException naming the key and the problem, also for unknown keys
   */
  public static TelemetryConfig fromConfig(ConfigMap telemetry) {
    String service = telemetry.string("serviceName", DEFAULT_SERVICE_NAME);
    if (service.isBlank()) {
      throw new IllegalArgumentException(telemetry.key("serviceName") + ": must not be blank");
    }
    double ratio = telemetry.decimalIn("sampleRatio", 1.0, 0, 1);
    Protocol protocol = Protocol.NONE;
    URI endpoint = null;
    Duration timeout = DEFAULT_TIMEOUT;
    if (telemetry.has("otlp")) {
      ConfigMap otlp = telemetry.child("otlp");
      String e = otlp.string("endpoint", null);
      if (e == null || e.isBlank()) {
        throw new IllegalArgumentException(
            otlp.key("endpoint") + ": required when " + otlp.path() + " is set");
      }
      endpoint = otlp.url("endpoint");
      String p = otlp.string("protocol", "http/protobuf").trim().toLowerCase(Locale.ROOT);
      protocol =
          switch (p) {
            case "http/protobuf" -> Protocol.HTTP_PROTOBUF;
            case "grpc" -> Protocol.GRPC;
            default ->
                throw new IllegalArgumentException(
                    otlp.key("protocol")
                        + ": '"
                        + p
                        + "' is not supported; use http/protobuf or grpc");
          };
      timeout = otlp.positiveDuration("timeout", DEFAULT_TIMEOUT);
      otlp.rejectUnknown();
    }
    telemetry.rejectUnknown();
    return new TelemetryConfig(service, ratio, protocol, endpoint, timeout);
  }
}
