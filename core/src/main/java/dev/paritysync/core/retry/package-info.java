/**
 * The resilient executor: {@link dev.paritysync.core.retry.ResilientExecutor} runs a {@link
 * dev.paritysync.core.retry.Call} under a {@link dev.paritysync.core.retry.ChannelPolicy} (retry
 * around circuit around quota around the exchange), each attempt admitted by a {@link
 * dev.paritysync.core.admission.AdmissionGate}; the {@link dev.paritysync.core.retry.RetryDecider}
 * picks each next step and {@link dev.paritysync.core.retry.AttemptListener}s see every {@link
 * dev.paritysync.core.retry.AttemptEvent}. Retries are scheduled on an injected {@link
 * dev.paritysync.core.time.Scheduler}, never slept. Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.retry;

import org.jspecify.annotations.NullMarked;
