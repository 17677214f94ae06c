package dev.paritysync.hotel.engine;

import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.BodyDigest;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.retry.RetryDecider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of an {@code attempt} ledger entry: what was sent and what came back, in a form a
 * person can follow from an incident — the attempt's number, status, latency, delay and action, the
 * field errors, the part of a split batch, the trace id of the attempt's span, and the SHA-256 of
 * the exact body sent and of the response ({@code none} when no answer came). Static.
 */
final class AttemptEntry {
  private AttemptEntry() {}

  static Map<String, Object> attributes(
      DeliveryWorker.InFlight f,
      Outcome outcome,
      @Nullable Response response,
      Duration latency,
      RetryDecider.Decision d) {
    Map<String, Object> attempt = new LinkedHashMap<>();
    attempt.put("attempt", f.attempt());
    attempt.put("status", outcome.failure() != null ? outcome.failure().name() : outcome.status());
    attempt.put("latencyMillis", latency.toMillis());
    attempt.put("delayMillis", d.delay().map(Duration::toMillis).orElse(null));
    attempt.put("action", d.action().toString());
    if (!outcome.fieldErrors().isEmpty()) {
      attempt.put("fieldErrors", outcome.fieldErrors().stream().map(Object::toString).toList());
    }
    if (f.parts() > 1) {
      attempt.put("part", f.partIndex());
      attempt.put("parts", f.parts());
    }
    attempt.put("traceId", f.context().traceId());
    attempt.put("bodySha256", BodyDigest.sha256(f.request().body()));
    attempt.put("responseSha256", response == null ? "none" : BodyDigest.sha256(response.body()));
    return attempt;
  }
}
