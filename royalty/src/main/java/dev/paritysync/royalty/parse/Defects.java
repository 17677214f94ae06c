package dev.paritysync.royalty.parse;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Routes a format defect: thrown in strict mode, a warning in lenient mode. Remembers the first
 * defect that makes the report incomplete (a missing or disagreeing FOOT, a cut-off input).
 */
final class Defects {
  private final String report;
  private final Strictness strictness;
  private final Consumer<ParseWarning> warnings;
  private @Nullable String incomplete;

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

  /** A defect that also means the report is not all there. */
  void incomplete(long line, String message) {
    defect(line, message);
    if (incomplete == null) {
      incomplete = "line " + line + ": " + message;
    }
  }

  /** The input was cut off: the root cause, whatever other defect was seen first. */
  void cutOff(long line, String message) {
    defect(line, message);
    incomplete = "line " + line + ": " + message;
  }

  /** The first incompleteness defect ({@code line N: defect}), or null. */
  @Nullable String incompleteness() {
    return incomplete;
  }

  ReportFormatException fatal(long line, String message) {
    return new ReportFormatException(report, line, message);
  }

  static String excerpt(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200);
  }
}
