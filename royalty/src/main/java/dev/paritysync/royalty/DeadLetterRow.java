package dev.paritysync.royalty;

import java.util.EnumMap;
import java.util.Map;

/**
 * A report line that failed validation, with the evidence a person needs to fix it. Immutable.
 *
 * @param source the configured source name
 * @param report the report identifier (usually the file name)
 * @param rowNumber the 1-based physical line in the report where the row starts
 * @param field the {@link Field#key()} of the first field that failed
 * @param reason why, naming the offending value
 * @param excerpt the start of the raw line (at most 200 characters)
 * @param values the row's field values as the parser read them, kept so that the row can be
 *     validated again after a configuration fix ({@link DeadLetterReplay}); empty when the parser
 *     could not trust the line's fields (a {@link RawRow.Defect})
 */
public record DeadLetterRow(
    String source,
    String report,
    long rowNumber,
    String field,
    String reason,
    String excerpt,
    Map<Field, String> values) {

  /** Copies the values. */
  public DeadLetterRow {
    values = values.isEmpty() ? Map.of() : new EnumMap<>(values);
  }

  /** A dead letter without field values: it can be shown, not validated again. */
  public DeadLetterRow(
      String source, String report, long rowNumber, String field, String reason, String excerpt) {
    this(source, report, rowNumber, field, reason, excerpt, Map.of());
  }
}
