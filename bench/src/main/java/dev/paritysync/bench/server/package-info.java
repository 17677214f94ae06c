/**
 * Load on {@code paritysync serve}: its ingest API under many clients, with a SIGKILL in the
 * middle, counting every accepted change after the restart ({@link
 * dev.paritysync.bench.server.ServeLoad}). Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.server;

import org.jspecify.annotations.NullMarked;
