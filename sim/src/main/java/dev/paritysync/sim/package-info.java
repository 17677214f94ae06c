/**
 * Simulated channels: real HTTP servers on loopback that hold state, enforce quotas, honour
 * idempotency keys and fail on purpose, reproducibly from a seed. Start one with {@link
 * dev.paritysync.sim.SimChannel#start}; configure it with {@link dev.paritysync.sim.SimConfig}.
 * Everything else in this package is package-private.
 */
@NullMarked
package dev.paritysync.sim;

import org.jspecify.annotations.NullMarked;
