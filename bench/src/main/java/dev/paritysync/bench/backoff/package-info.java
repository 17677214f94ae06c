/**
 * The backoff experiment: the closed- and open-system simulations of retries with backoff, jitter
 * and the retry budget, seeded and single-threaded, printing Markdown tables ({@link
 * dev.paritysync.bench.backoff.BackoffExperiment}). Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.backoff;

import org.jspecify.annotations.NullMarked;
