/**
 * End-to-end engine workloads: ingest, delivery and retention of the whole hotel engine on a SQLite
 * file against simulated channels over loopback HTTP, each printing what it measured next to its
 * target or to a baseline run in the same process, and the demo portfolio and changes they share.
 * Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.engine;

import org.jspecify.annotations.NullMarked;
