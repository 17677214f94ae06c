/**
 * Cluster scaling: delivery throughput of one to four {@code serve} workers sharing one PostgreSQL
 * ({@link dev.paritysync.bench.cluster.ClusterScale}).
 */
package dev.paritysync.bench.cluster;
