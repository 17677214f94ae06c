/**
 * What the engine processes of a cluster share through one database (PostgreSQL in production; the
 * same SQL runs on SQLite, which serves one process): quota buckets and pauses ({@link
 * dev.paritysync.store.cluster.SharedQuotas}), the retry budget per channel ({@link
 * dev.paritysync.store.cluster.SharedBudget}) and circuit state per channel and endpoint ({@link
 * dev.paritysync.store.cluster.SharedCircuits}), kept in the {@code cluster_*} tables of the
 * store's V2 migration.
 *
 * <p>Conventions: every instant is the wall time of an injected {@link
 * dev.paritysync.core.time.Clock}, stored in epoch milliseconds; a row several processes update is
 * created with {@code INSERT ... ON CONFLICT DO NOTHING} and then locked with {@code SELECT ... FOR
 * UPDATE} (PostgreSQL) inside one {@link dev.paritysync.store.Database#inTransaction} — on SQLite
 * the write transaction already serialises; SQL is portable. Public types are thread-safe;
 * parameters and results are non-null unless documented as nullable.
 */
package dev.paritysync.store.cluster;
