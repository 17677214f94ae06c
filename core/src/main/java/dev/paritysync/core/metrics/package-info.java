/**
 * The core's meter names ({@link dev.paritysync.core.metrics.CoreMetrics}) and {@link
 * dev.paritysync.core.metrics.LatencyMeter}s, over Micrometer. Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.metrics;

import org.jspecify.annotations.NullMarked;
