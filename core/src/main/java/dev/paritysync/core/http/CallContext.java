package dev.paritysync.core.http;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Who an HTTP exchange is for: the ids {@link Transport} sends as headers and {@link
 * dev.paritysync.core.log.LogContext} puts into log lines. Immutable.
 *
 * @param correlationId sent as {@code X-Correlation-ID}; stays the same across the attempts of one
 *     unit of work
 * @param idempotencyKey sent as {@code Idempotency-Key}, or null to send none; the same for every
 *     retry of a batch
 * @param traceparent a W3C {@code traceparent} ({@link TraceContext}), sent as is
 * @param channel the channel (or DSP) the exchange talks to
 * @param scope what the work is counted against within the channel ({@link
 *     dev.paritysync.core.quota.QuotaKey#scope()}), or null
 * @param attempt the attempt number, from 1
 */
public record CallContext(
    String correlationId,
    @Nullable String idempotencyKey,
    String traceparent,
    String channel,
    @Nullable String scope,
    int attempt) {

  public CallContext {
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(channel, "channel");
    if (!TraceContext.isValid(traceparent)) {
      TraceContext.parse(traceparent); // throws, naming the problem
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts are numbered from 1, was " + attempt);
    }
  }

  /**
   * A first attempt with a new random correlation id (a UUID) and a new root trace, no idempotency
   * key. The ids come from {@code random}.
   */
  public static CallContext newRoot(
      String channel, @Nullable String scope, RandomGenerator random) {
    UUID id = new UUID(random.nextLong(), random.nextLong());
    return new CallContext(
        id.toString(), null, TraceContext.newRoot(random).header(), channel, scope, 1);
  }

  /** {@link #newRoot(String, String, RandomGenerator)} with {@link ThreadLocalRandom}. */
  public static CallContext newRoot(String channel, @Nullable String scope) {
    return newRoot(channel, scope, ThreadLocalRandom.current());
  }

  /** The trace id of {@link #traceparent()}: 32 lowercase hex digits. */
  public String traceId() {
    return TraceContext.parse(traceparent).traceId();
  }

  /** This context with attempt number {@code attempt}; everything else, ids too, unchanged. */
  public CallContext withAttempt(int attempt) {
    return new CallContext(correlationId, idempotencyKey, traceparent, channel, scope, attempt);
  }

  /** This context with idempotency key {@code key} (null for none). */
  public CallContext withIdempotencyKey(String key) {
    return new CallContext(correlationId, key, traceparent, channel, scope, attempt);
  }
}
