/**
 * {@link dev.paritysync.core.log.LogContext}: an exchange's correlation id, trace id, channel,
 * attempt, scope and idempotency key in the logging context (SLF4J's MDC), set and restored around
 * the exchange. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.log;

import org.jspecify.annotations.NullMarked;
