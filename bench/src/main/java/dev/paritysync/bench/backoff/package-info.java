/**
 * The backoff experiment: the closed- and open-system simulations of retries with backoff, jitter
 * and the retry budget, seeded and single-threaded, printing Markdown tables ({@link
 * dev.paritysync.bench.backoff.BackoffExperiment}).
 */
package dev.paritysync.bench.backoff;
