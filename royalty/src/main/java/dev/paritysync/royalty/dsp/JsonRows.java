package dev.paritysync.royalty.dsp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.core.json.CanonicalRows;
import dev.paritysync.royalty.Field;
import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.validate.RowValidator;
import dev.paritysync.royalty.validate.Validated;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one JSON row of a DSP page into a staged row: its canonical text ({@link CanonicalRows}),
 * and either a valid {@code SalesRow} or a dead letter, read through the source's column mapping
 * ({@code format: json}: a column is a property of the row; {@code =VALUE} a constant; the first
 * non-empty wins). Immutable and thread-safe.
 */
final class JsonRows {
  private static final int EXCERPT = 200;

  private final SourceConfig config;
  private final RowValidator validator;

  JsonRows(SourceConfig config) {
    this.config = config;
    this.validator = new RowValidator(config);
  }

  /**
   * @throws DspPullException when the row has no number or one outside the manifest's rows
   */
  DspStaging.Staged stage(ReportManifest report, JsonNode row, String what) {
    JsonNode number = row.get("row");
    if (number == null || !number.canConvertToLong()) {
      throw new DspPullException(what + " has a row without a 'row' number");
    }
    long n = number.asLong();
    if (n < 1 || n > report.rows()) {
      throw new DspPullException(
          what + " has row " + n + ", outside 1.." + report.rows() + " of the manifest");
    }
    String canonical =
        CanonicalRows.line(
            key -> {
              JsonNode v = row.get(key);
              return v == null || v.isNull() ? null : v.asText();
            });
    Map<Field, String> values = new EnumMap<>(Field.class);
    config
        .columns()
        .forEach(
            (field, columns) -> {
              for (String column : columns) {
                String v;
                if (column.startsWith("=")) {
                  v = column.substring(1);
                } else {
                  JsonNode node = row.get(column);
                  v = node == null || node.isNull() ? null : node.asText();
                }
                if (v != null && !v.isEmpty()) {
                  values.put(field, v);
                  break;
                }
              }
            });
    String excerpt = canonical.length() > EXCERPT ? canonical.substring(0, EXCERPT) : canonical;
    RawRow raw =
        new RawRow(config.name(), report.id(), n, values, List.of(), excerpt.stripTrailing());
    Validated v = validator.validate(raw);
    if (v instanceof Validated.Valid good) {
      return new DspStaging.Staged(n, canonical, good.row(), null);
    }
    return new DspStaging.Staged(n, canonical, null, ((Validated.Invalid) v).deadLetter());
  }
}
