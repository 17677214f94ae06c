/**
 * Backoff and jitter: {@link dev.paritysync.core.backoff.Backoff} says how long the n-th retry
 * waits, {@link dev.paritysync.core.backoff.Jitter} spreads it. Pure functions of their inputs and
 * a supplied random source; immutable and thread-safe. Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.backoff;

import org.jspecify.annotations.NullMarked;
