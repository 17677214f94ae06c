/**
 * The royalty ingest benchmark: a seeded distributor CSV through parse, validation, the lake and
 * dead letters, printing rows per second and memory ({@link
 * dev.paritysync.bench.royalty.RoyaltyIngestBench}). Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.royalty;

import org.jspecify.annotations.NullMarked;
