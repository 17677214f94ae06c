/**
 * Load on {@code paritysync serve}: its ingest API under many clients, with a SIGKILL in the
 * middle, counting every accepted change after the restart ({@link
 * dev.paritysync.bench.server.ServeLoad}).
 */
package dev.paritysync.bench.server;
