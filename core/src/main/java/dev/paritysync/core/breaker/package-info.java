/**
 * Circuit breakers per channel endpoint, over Resilience4j: {@link
 * dev.paritysync.core.breaker.Breakers} hands out a {@link dev.paritysync.core.breaker.Breaker} per
 * key, configured by a {@link dev.paritysync.core.breaker.BreakerConfig}, and reports each {@link
 * dev.paritysync.core.breaker.StateChange} between {@link
 * dev.paritysync.core.breaker.BreakerState}s. Time comes from an injected {@link
 * dev.paritysync.core.time.Clock}. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.breaker;

import org.jspecify.annotations.NullMarked;
