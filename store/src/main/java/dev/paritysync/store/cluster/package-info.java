/**
 * The cluster: N engine processes ({@code run}, {@code serve}) sharing one database (PostgreSQL in
 * production; the same SQL runs on SQLite, which serves one engine process).
 *
 * <ul>
 *   <li>{@link dev.paritysync.store.cluster.Cluster} registers a worker ({@link
 *       dev.paritysync.store.cluster.WorkerRegistry}) and heartbeats;
 *   <li>{@link dev.paritysync.store.cluster.Leases} give singletons (pollers, the reconciliation
 *       timetable, pruning) to one worker at a time, with failover when it dies;
 *   <li>{@link dev.paritysync.store.cluster.SharedQuotas} hold the quota buckets and pauses, {@link
 *       dev.paritysync.store.cluster.SharedBudget} the retry budget per channel, {@link
 *       dev.paritysync.store.cluster.SharedCircuits} the circuit per channel and endpoint;
 *   <li>{@link dev.paritysync.store.cluster.SharedTokens} shares an OAuth2 token, sealed, and one
 *       refresh at a time;
 *   <li>{@link dev.paritysync.store.cluster.EngineLock} keeps a second engine off a SQLite file.
 * </ul>
 *
 * <p>Conventions: every instant is the wall time of an injected {@link
 * dev.paritysync.core.time.Clock}, stored in epoch milliseconds, in the {@code cluster_*} tables of
 * the store's V2 migration. A row several processes update is created with {@code INSERT ... ON
 * CONFLICT DO NOTHING} and then locked with {@code SELECT ... FOR UPDATE} (PostgreSQL) inside one
 * {@link dev.paritysync.store.Database#inTransaction}, or changed by a conditional {@code UPDATE};
 * on SQLite the write transaction already serialises. Public types are thread-safe; parameters and
 * results are non-null unless documented as nullable.
 */
@NullMarked
package dev.paritysync.store.cluster;

import org.jspecify.annotations.NullMarked;
