package dev.paritysync.core.retry;

import java.util.Objects;

/**
 * A unit of work for the {@link ResilientExecutor}: which channel, property and endpoint kind it
 * targets (the quota key), the idempotency key every attempt carries — the same across retries, so
 * the channel applies it once — a correlation id, and the {@link Exchange} that performs an
 * attempt.
 *
 * @param property the property the call concerns, or null when the channel's quotas are not per
 *     property
 */
public record Call(
    String channel,
    String property,
    String endpoint,
    String idempotencyKey,
    String correlationId,
    Exchange exchange) {
  public Call {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(exchange, "exchange");
  }
}
