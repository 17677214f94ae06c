package dev.paritysync.core.breaker;

/**
 * One transition of the breaker for (channel, endpoint), at the injected clock's wall time.
 * Immutable.
 */
public record StateChange(
    String channel, String endpoint, BreakerState from, BreakerState to, java.time.Instant at) {}
