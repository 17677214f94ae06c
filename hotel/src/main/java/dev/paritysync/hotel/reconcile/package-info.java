/**
 * Reconciliation: read what each channel holds ({@link dev.paritysync.hotel.engine.ChannelReader}),
 * compare it with truth as of the versions the channel acknowledged, classify every differing cell
 * ({@link DriftClass}), write the {@link ReconciliationReport} as JSON, CSV or one HTML page
 * ({@link ReportWriters}), and re-push small drift at once while large drift waits for a person's
 * approval ({@link Reconciler}, {@link ReportStore}). See {@code docs/reconciliation.md}.
 */
@NullMarked
package dev.paritysync.hotel.reconcile;

import org.jspecify.annotations.NullMarked;
