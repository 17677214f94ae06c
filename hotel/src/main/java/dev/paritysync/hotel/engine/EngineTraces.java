package dev.paritysync.hotel.engine;

import dev.paritysync.core.time.Clock;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The hotel engine's OpenTelemetry spans, by name.
 *
 * <ul>
 *   <li>{@value #INGEST} (internal): one per ingest call, a child of the caller's current span
 *       (such as an HTTP server span); attributes {@value #CHANGES}, and {@value #VERSION} once
 *       accepted. Its W3C {@code traceparent} is stored with the changes it accepted.
 *   <li>{@value #ATTEMPT} (client): one per request a delivery worker sends; attributes {@value
 *       #CHANNEL}, {@value #BATCH}, {@value #ATTEMPT_NUMBER}, and once answered {@value #STATUS}
 *       (the HTTP status, or the transport failure's name) and {@value #ACTION}. The causality
 *       crosses the database: its parent is the ingest span of the oldest version in the batch,
 *       read back from the stored {@code traceparent}; the ingest spans of the batch's other
 *       versions (up to {@value #MAX_LINKS}) are links. The request carries this span's {@code
 *       traceparent}.
 * </ul>
 *
 * <p>Start and end times come from the engine's {@link Clock}. Thread-safe.
 */
final class EngineTraces {
  /** The instrumentation scope name of the engine's tracer. */
  public static final String SCOPE = "dev.paritysync.hotel";

  public static final String INGEST = "paritysync.ingest";
  public static final String ATTEMPT = "paritysync.attempt";

  public static final String CHANGES = "paritysync.changes";
  public static final String VERSION = "paritysync.version";
  public static final String CHANNEL = "paritysync.channel";
  public static final String BATCH = "paritysync.batch";
  public static final String ATTEMPT_NUMBER = "paritysync.attempt";
  public static final String STATUS = "paritysync.status";
  public static final String ACTION = "paritysync.action";

  /** The most ingest spans an attempt span links to besides its parent. */
  public static final int MAX_LINKS = 32;

  private static final String TRACEPARENT = "traceparent";
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public @Nullable String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Tracer tracer;
  private final Clock clock;

  EngineTraces(OpenTelemetry otel, Clock clock) {
    this.tracer = Objects.requireNonNull(otel, "openTelemetry").getTracer(SCOPE);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts an ingest span under the current context. */
  Span startIngest(int changes) {
    return tracer
        .spanBuilder(INGEST)
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(clock.instant())
        .setAttribute(CHANGES, changes)
        .startSpan();
  }

  /**
   * Starts an attempt span whose parent is {@code origins}' first traceparent (or a new trace when
   * there is none) and which links to the others.
   */
  Span startAttempt(String channel, String batch, int attempt, List<String> origins) {
    var b =
        tracer
            .spanBuilder(ATTEMPT)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(clock.instant())
            .setAttribute(CHANNEL, channel)
            .setAttribute(BATCH, batch)
            .setAttribute(ATTEMPT_NUMBER, attempt);
    Context parent = origins.isEmpty() ? null : extract(origins.get(0));
    if (parent != null) {
      b.setParent(parent);
    } else {
      b.setNoParent();
    }
    for (int i = 1; i < origins.size() && i <= MAX_LINKS; i++) {
      Context link = extract(origins.get(i));
      if (link != null) {
        b.addLink(Span.fromContext(link).getSpanContext());
      }
    }
    return b.startSpan();
  }

  /** Ends {@code span} at the clock's now. */
  void end(Span span) {
    span.end(clock.instant());
  }

  /** {@code span}'s W3C traceparent, or null when it has no valid context (tracing off). */
  static @Nullable String traceparent(Span span) {
    SpanContext sc = span.getSpanContext();
    if (!sc.isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(Context.root().with(span), carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  private static @Nullable Context extract(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    Context c = W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), GETTER);
    return Span.fromContext(c).getSpanContext().isValid() ? c : null;
  }
}
