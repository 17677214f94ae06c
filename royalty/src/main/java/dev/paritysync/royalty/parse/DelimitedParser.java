package dev.paritysync.royalty.parse;

import dev.paritysync.royalty.Field;
import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a report with one header row and one record per row (Apple-style TSV, distributor CSV).
 * Columns are found by header name, ignoring case and surrounding spaces. Blank rows are skipped.
 */
final class DelimitedParser implements RowCursor {
  /** One record as read: its cells, the line it starts on, and its start as written. */
  private record Line(List<String> cells, long number, String excerpt) {}

  private final Tokenizer tokenizer;
  private final Inputs.Text input;
  private final String source;
  private final String report;
  private final Defects defects;
  private final SourceConfig config;
  private final Map<Field, Integer> index = new EnumMap<>(Field.class);
  private final Map<Field, String> constants = new EnumMap<>(Field.class);
  private int width = -1;
  private long headerLine;
  private @Nullable RawRow next;
  private @Nullable Line ahead;
  private boolean done;

  DelimitedParser(
      Tokenizer tokenizer, Inputs.Text input, String report, SourceConfig config, Defects defects) {
    this.tokenizer = tokenizer;
    this.input = input;
    this.source = config.name();
    this.report = report;
    this.defects = defects;
    this.config = config;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      while (next == null) {
        Line line = ahead != null ? ahead : read();
        ahead = null;
        if (line == null) {
          done = true;
          end();
          return false;
        }
        if (line.cells().size() == 1 && line.cells().get(0).isBlank()) {
          continue;
        }
        if (width < 0) {
          header(line.cells(), line.number());
        } else {
          ahead = read(); // one record ahead: the last one may be cut off
          boolean cut = ahead == null && input.truncated() != null && !input.endsWithLineBreak();
          next = row(line, cut);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(report + ":" + tokenizer.line() + ": cannot read", e);
    }
    return true;
  }

  @Override
  public @Nullable String incomplete() {
    return defects.incompleteness();
  }

  private @Nullable Line read() throws IOException {
    List<String> cells = tokenizer.next();
    return cells == null ? null : new Line(cells, tokenizer.line(), tokenizer.excerpt());
  }

  private void end() {
    if (width < 0) {
      throw defects.fatal(
          tokenizer.line(), "no header row: the file has no records (is it a " + format() + "?)");
    }
    String truncated = input.truncated();
    if (truncated != null) {
      defects.cutOff(tokenizer.line(), truncated);
    }
  }

  private String format() {
    return config.format() == SourceConfig.Format.CSV ? "CSV report" : "tab-separated report";
  }

  @Override
  public RawRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RawRow row = Objects.requireNonNull(next, "hasNext() read no row");
    next = null;
    return row;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }

  private void header(List<String> cells, long line) {
    width = cells.size();
    headerLine = line;
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      String name = cells.get(i).strip().toLowerCase(Locale.ROOT);
      if (byName.putIfAbsent(name, i) != null) {
        defects.defect(headerLine, "column '" + cells.get(i).strip() + "' appears twice");
      }
    }
    config
        .columns()
        .forEach(
            (field, specs) -> {
              for (String spec : specs) {
                if (spec.startsWith("=")) {
                  constants.put(field, spec.substring(1));
                  return;
                }
                Integer i = byName.get(spec.strip().toLowerCase(Locale.ROOT));
                if (i != null) {
                  index.put(field, i);
                  return;
                }
              }
              throw defects.fatal(
                  headerLine,
                  "no column "
                      + String.join(" or ", specs.stream().map(s -> "'" + s + "'").toList())
                      + " for field "
                      + field.key()
                      + " (sources."
                      + source
                      + ".columns."
                      + field.key()
                      + ") in the header");
            });
  }

  private RawRow row(Line record, boolean cut) {
    List<String> cells = record.cells();
    long line = record.number();
    RawRow.Defect defect = null;
    if (cells.size() != width) {
      boolean shifted = false;
      for (int i = width; i < cells.size(); i++) {
        shifted |= !cells.get(i).isBlank();
      }
      String what = cells.size() + " cells; the header on line " + headerLine + " has " + width;
      boolean padded = cells.size() > width && !shifted;
      defects.defect(line, (padded ? "padded row: " : "ragged row: ") + what);
      if (shifted) {
        defect =
            new RawRow.Defect(
                "row",
                "line " + line + " has " + what + ": its fields are shifted",
                record.excerpt());
      }
    }
    if (cut) {
      defect =
          new RawRow.Defect(
              "row", "line " + line + " is cut off (" + input.truncated() + ")", record.excerpt());
    }
    Map<Field, String> values = new EnumMap<>(constants);
    index.forEach(
        (field, i) -> {
          if (i < cells.size()) {
            values.put(field, cells.get(i));
          }
        });
    return new RawRow(source, report, line, values, new ArrayList<>(), record.excerpt(), defect);
  }
}
