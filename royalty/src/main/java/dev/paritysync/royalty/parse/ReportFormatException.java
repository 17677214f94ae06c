package dev.paritysync.royalty.parse;

/**
 * A report that cannot be read: a defect in strict mode, or one no mode can read past (a column the
 * configuration names is not in the header). The message is {@code report:line: defect}.
 */
public final class ReportFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String report;
  private final long line;

  ReportFormatException(String report, long line, String defect) {
    super(report + ":" + line + ": " + defect);
    this.report = report;
    this.line = line;
  }

  /** The report identifier. */
  public String report() {
    return report;
  }

  /** The 1-based line of the defect. */
  public long line() {
    return line;
  }
}
