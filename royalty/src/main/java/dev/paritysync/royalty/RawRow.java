package dev.paritysync.royalty;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One report line as a parser read it: field values as text, not yet validated. Produced by the
 * parsers in {@code dev.paritysync.royalty.parse}, consumed by {@code RowValidator}.
 *
 * @param source the configured source name
 * @param report the report identifier (usually the file name)
 * @param rowNumber the 1-based physical line in the report where the row starts
 * @param values field values as read (unescaped, untrimmed); a field absent from the map was not
 *     present in the line or not configured
 * @param notes normalisations the parser already applied, for the record
 * @param excerpt the start of the raw line, for dead letters
 */
public record RawRow(
    String source,
    String report,
    long rowNumber,
    Map<Field, String> values,
    List<String> notes,
    String excerpt) {

  /** Copies the collections. */
  public RawRow {
    values = values.isEmpty() ? Map.of() : new EnumMap<>(values);
    notes = List.copyOf(notes);
  }

  /** The value of {@code field}, or null when absent. */
  public String get(Field field) {
    return values.get(field);
  }
}
