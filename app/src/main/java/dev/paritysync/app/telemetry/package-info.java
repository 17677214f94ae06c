/**
 * Telemetry: Prometheus meters ({@link dev.paritysync.app.telemetry.Metrics}, {@link
 * dev.paritysync.app.telemetry.ClusterMetrics}), OpenTelemetry traces ({@link
 * dev.paritysync.app.telemetry.Telemetry}) and the {@code telemetry:} section that configures them.
 * Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.app.telemetry;

import org.jspecify.annotations.NullMarked;
