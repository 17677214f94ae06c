package dev.paritysync.royalty.parse;

import java.util.function.Consumer;

/** Routes a format defect: thrown in strict mode, a warning in lenient mode. */
final class Defects {
  private final String report;
  private final Strictness strictness;
  private final Consumer<ParseWarning> warnings;

  Defects(String report, Strictness strictness, Consumer<ParseWarning> warnings) {
    this.report = report;
    this.strictness = strictness;
    this.warnings = warnings;
  }

  void defect(long line, String message) {
    if (strictness == Strictness.STRICT) {
      throw new ReportFormatException(report, line, message);
    }
    warnings.accept(new ParseWarning(report, line, message));
  }

  ReportFormatException fatal(long line, String message) {
    return new ReportFormatException(report, line, message);
  }

  static String excerpt(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200);
  }
}
