package dev.paritysync.core.retry;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work for the {@link ResilientExecutor}: which channel, scope and endpoint kind it
 * targets (the quota key), the idempotency key every attempt carries — the same across retries, so
 * the channel applies it once — a correlation id, and the {@link Exchange} that performs an
 * attempt.
 *
 * @param scope what the channel counts the call's quota against ({@link
 *     dev.paritysync.core.quota.QuotaKey#scope()}); a constant when the channel's quota is not
 *     split
 */
public record Call(
    String channel,
    String scope,
    String endpoint,
    @Nullable String idempotencyKey,
    String correlationId,
    Exchange exchange) {
  public Call {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(exchange, "exchange");
  }
}
