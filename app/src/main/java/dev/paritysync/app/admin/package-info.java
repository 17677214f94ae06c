/**
 * The admin API's views: queues of dead letters and reconciliation items, channels, the cluster and
 * the parity map, read from the store and shaped for the admin routes and the web UI. Errors a
 * caller can fix are {@link dev.paritysync.app.admin.AdminException}s. Types are non-null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.app.admin;

import org.jspecify.annotations.NullMarked;
