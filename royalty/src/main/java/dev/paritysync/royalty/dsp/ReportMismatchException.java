package dev.paritysync.royalty.dsp;

/**
 * A report whose staged rows do not add up to its manifest: the row counts or the checksums differ,
 * or the DSP listed a different manifest for a report already being pulled. The message names both
 * sides. The report is not published nor marked complete.
 */
public final class ReportMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String report;

  ReportMismatchException(String report, String message) {
    super(message);
    this.report = report;
  }

  /** The report id. */
  public String report() {
    return report;
  }
}
