/**
 * The chaos soak: {@code paritysync serve} under a flaky channel, hostile clients, SIGKILLs, a held
 * write lock and a full disk, then a check that parity converged and nothing accepted was lost
 * ({@link dev.paritysync.bench.chaos.ChaosSoak}). Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.chaos;

import org.jspecify.annotations.NullMarked;
