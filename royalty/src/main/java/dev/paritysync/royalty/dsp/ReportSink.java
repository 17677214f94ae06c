package dev.paritysync.royalty.dsp;

import dev.paritysync.royalty.SalesRow;
import java.util.Iterator;

/**
 * Where a completely pulled and verified report goes next: the hook the lake publishes through
 * ({@code royalty.lake} writes the rows as Parquet and replaces the report's earlier files).
 *
 * <p>{@link DspSource} calls it once a report's staged rows match its manifest (row count and
 * checksum), before it marks the report complete; if the process dies in between, the next pull
 * calls it again with the same rows, so a sink must replace what it published for the report rather
 * than add to it. Exceptions propagate out of {@link DspSource#pull} and leave the report
 * incomplete. Called on the pulling thread; a sink shared by sources pulled on several threads must
 * be thread-safe.
 */
@FunctionalInterface
public interface ReportSink {
  /** A sink that publishes nothing: the rows stay staged in the store. */
  ReportSink NONE = (source, report, rows) -> {};

  /**
   * Publishes the valid rows of {@code report}, in row order, streamed from the store. The iterator
   * is valid only during the call.
   */
  void publish(String source, ReportManifest report, Iterator<SalesRow> rows);
}
