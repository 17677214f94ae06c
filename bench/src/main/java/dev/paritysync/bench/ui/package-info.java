/**
 * The web UI's render times: the parity heat map over a realistic SQLite file ({@link
 * dev.paritysync.bench.ui.ParityMapBench}). Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.bench.ui;

import org.jspecify.annotations.NullMarked;
