/**
 * Load on {@code paritysync serve}: its ingest API under many clients, with a SIGKILL in the
 * middle, counting every accepted change after the restart ({@link
 * dev.paritysync.bench.server.ServeLoad}), and the {@code serve} child process that it, the chaos
 * soak and the parity-map bench start, kill and stop ({@link
 * dev.paritysync.bench.server.ServeProcess}). Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.server;

import org.jspecify.annotations.NullMarked;
