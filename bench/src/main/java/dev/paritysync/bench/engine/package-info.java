/**
 * End-to-end engine workloads: ingest, delivery and retention of the whole hotel engine on a SQLite
 * file against simulated channels over loopback HTTP, each printed next to its target. Types are
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.engine;

import org.jspecify.annotations.NullMarked;
