package dev.paritysync.royalty;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One report line as a parser read it: field values as text, not yet validated. Produced by the
 * parsers in {@code dev.paritysync.royalty.parse}, consumed by {@code RowValidator}. Immutable.
 *
 * @param source the configured source name
 * @param report the report identifier (usually the file name)
 * @param rowNumber the 1-based physical line in the report where the row starts
 * @param values field values as read (unescaped, untrimmed); a field absent from the map was not
 *     present in the line or not configured
 * @param notes normalisations the parser already applied, for the record
 * @param excerpt the start of the raw line, for dead letters
 * @param defect why the parser could not trust the line's fields (its record has more fields than
 *     its type allows, or was cut off), or null; a row with a defect is a dead letter whatever its
 *     values, in every mode
 */
public record RawRow(
    String source,
    String report,
    long rowNumber,
    Map<Field, String> values,
    List<String> notes,
    String excerpt,
    @Nullable Defect defect) {

  /** Copies the collections. */
  public RawRow {
    values = values.isEmpty() ? Map.of() : new EnumMap<>(values);
    notes = List.copyOf(notes);
  }

  /** A row the parser found no defect in. */
  public RawRow(
      String source,
      String report,
      long rowNumber,
      Map<Field, String> values,
      List<String> notes,
      String excerpt) {
    this(source, report, rowNumber, values, notes, excerpt, null);
  }

  /**
   * Why a row's fields cannot be trusted, as its dead letter will say.
   *
   * @param field what is wrong: a record type ({@code AS01}) or {@code row}
   * @param reason naming the line and the cells, e.g. {@code AS01 on line 16 has 7 cells; heading
   *     #AS01 on line 5 has 6: its fields are shifted}
   * @param excerpt the start of the culprit line as written
   */
  public record Defect(String field, String reason, String excerpt) {}

  /** The value of {@code field}, or null when absent. */
  public @Nullable String get(Field field) {
    return values.get(field);
  }
}
