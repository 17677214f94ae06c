/**
 * The only source of time: {@link dev.paritysync.core.time.Clock} (wall and monotonic readings) and
 * {@link dev.paritysync.core.time.Scheduler}; {@link dev.paritysync.core.time.SystemClock} and
 * {@link dev.paritysync.core.time.SystemScheduler} are the real ones, {@link
 * dev.paritysync.core.time.VirtualTime} the one tests advance by hand. Types are non-null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.time;

import org.jspecify.annotations.NullMarked;
