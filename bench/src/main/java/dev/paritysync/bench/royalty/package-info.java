/**
 * The royalty ingest benchmark: a seeded distributor CSV through parse, validation, the lake and
 * dead letters, printing rows per second and memory ({@link
 * dev.paritysync.bench.royalty.RoyaltyIngestBench}).
 */
package dev.paritysync.bench.royalty;
