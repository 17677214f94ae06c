/**
 * Cluster scaling: delivery throughput of one to four {@code serve} workers sharing one PostgreSQL
 * ({@link dev.paritysync.bench.cluster.ClusterScale}). Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.cluster;

import org.jspecify.annotations.NullMarked;
