/**
 * The cluster: N engine processes sharing one database (PostgreSQL; SQLite serves one process).
 * {@link dev.paritysync.store.cluster.Cluster} registers a worker and heartbeats; {@link
 * dev.paritysync.store.cluster.Leases} give singletons to one worker at a time with failover;
 * {@link dev.paritysync.store.cluster.SharedTokens} shares an OAuth2 token and its refresh; {@link
 * dev.paritysync.store.cluster.EngineLock} keeps a second engine off a SQLite file.
 *
 * <p>Every instant comes from an injected {@link dev.paritysync.core.time.Clock} (wall time) and is
 * stored as epoch milliseconds; a row that several workers may write is changed under its lock or
 * by a conditional {@code UPDATE}, so the outcome is the same on SQLite and PostgreSQL.
 */
package dev.paritysync.store.cluster;
