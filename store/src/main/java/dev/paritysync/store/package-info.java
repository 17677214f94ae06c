/**
 * The durable parts paritysync builds on: a pooled, migrated {@link dev.paritysync.store.Database}
 * (one SQLite file in WAL mode by default, PostgreSQL for several workers), a leased {@link
 * dev.paritysync.store.WorkQueue}, the append-only {@link dev.paritysync.store.Ledger}, and the
 * dead-letter and reconciliation {@link dev.paritysync.store.Queues}.
 *
 * <p>Conventions shared by every table and type here:
 *
 * <ul>
 *   <li>Instants are epoch milliseconds in {@code BIGINT} columns, read from an injected {@link
 *       dev.paritysync.core.time.Clock}; nothing here reads the system clock.
 *   <li>Ids are application-made sortable strings ({@link dev.paritysync.store.Ids}); JSON is
 *       {@code TEXT}.
 *   <li>SQL is portable between SQLite and PostgreSQL; where they must differ, {@link
 *       dev.paritysync.store.Dialect} says how.
 *   <li>Operations take the caller's {@link java.sql.Connection}, so that what they record commits
 *       with the work it describes; {@link dev.paritysync.store.Database#inTransaction} gives one.
 *   <li>Parameters and results are non-null unless documented as nullable.
 * </ul>
 */
@NullMarked
package dev.paritysync.store;

import org.jspecify.annotations.NullMarked;
