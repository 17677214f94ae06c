package dev.paritysync.royalty.parse;

/**
 * A format defect a lenient parser accepted. Immutable.
 *
 * @param report the report identifier (usually the file name)
 * @param line the 1-based physical line the defect is on
 * @param message what is wrong, e.g. {@code ragged row: MW01.01 has 8 cells; heading #MW01.01 on
 *     line 5 has 16}
 */
public record ParseWarning(String report, long line, String message) {
  @Override
  public String toString() {
    return report + ":" + line + ": " + message;
  }
}
