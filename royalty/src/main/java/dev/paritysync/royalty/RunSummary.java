package dev.paritysync.royalty;

import org.jspecify.annotations.Nullable;

/**
 * What one ingest run did with a report. Immutable.
 *
 * @param rowsRead sales rows the parser produced
 * @param valid rows that passed validation
 * @param deadLettered rows that went to the dead-letter store
 * @param warnings format defects accepted in lenient mode
 * @param delivery what identifies the delivery, for duplicate detection
 * @param incomplete why the report is not all there ({@code line N: defect}: a missing or
 *     disagreeing FOOT, a cut-off gzip, a last line cut mid-record), or null when it is complete
 */
public record RunSummary(
    long rowsRead,
    long valid,
    long deadLettered,
    long warnings,
    Delivery delivery,
    @Nullable String incomplete) {

  /** The counts of a complete report. */
  public RunSummary(
      long rowsRead, long valid, long deadLettered, long warnings, Delivery delivery) {
    this(rowsRead, valid, deadLettered, warnings, delivery, null);
  }

  /** True when nothing says the report is cut short. */
  public boolean complete() {
    return incomplete == null;
  }

  /** Dead-lettered rows as a fraction of rows read (0 when nothing was read). */
  public double rejectionRate() {
    return rowsRead == 0 ? 0.0 : (double) deadLettered / rowsRead;
  }

  /** One line for the console, e.g. {@code rows 10, valid 9, dead letters 1, rejection 10.00%}. */
  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "rows %d, valid %d, dead letters %d, rejection %.2f%%, format warnings %d%s",
        rowsRead,
        valid,
        deadLettered,
        rejectionRate() * 100,
        warnings,
        incomplete == null ? "" : ", incomplete (" + incomplete + ")");
  }
}
