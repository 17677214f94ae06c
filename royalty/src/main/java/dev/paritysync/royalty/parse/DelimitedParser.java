package dev.paritysync.royalty.parse;

import dev.paritysync.royalty.Field;
import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a report with one header row and one record per row (Apple-style TSV, distributor CSV).
 * Columns are found by header name, ignoring case and surrounding spaces. Blank rows are skipped.
 */
final class DelimitedParser implements RowCursor {
  private final Tokenizer tokenizer;
  private final Closeable input;
  private final String source;
  private final String report;
  private final Defects defects;
  private final SourceConfig config;
  private final Map<Field, Integer> index = new EnumMap<>(Field.class);
  private final Map<Field, String> constants = new EnumMap<>(Field.class);
  private int width = -1;
  private long headerLine;
  private RawRow next;
  private boolean done;

  DelimitedParser(
      Tokenizer tokenizer, Closeable input, String report, SourceConfig config, Defects defects) {
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
        List<String> cells = tokenizer.next();
        if (cells == null) {
          done = true;
          if (width < 0) {
            throw defects.fatal(tokenizer.line(), "no header row");
          }
          return false;
        }
        if (cells.size() == 1 && cells.get(0).isBlank()) {
          continue;
        }
        if (width < 0) {
          header(cells);
        } else {
          next = row(cells);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(report + ":" + tokenizer.line() + ": cannot read", e);
    }
    return true;
  }

  @Override
  public RawRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RawRow row = next;
    next = null;
    return row;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }

  private void header(List<String> cells) {
    width = cells.size();
    headerLine = tokenizer.line();
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

  private RawRow row(List<String> cells) {
    long line = tokenizer.line();
    if (cells.size() != width) {
      defects.defect(
          line,
          "ragged row: "
              + cells.size()
              + " cells; the header on line "
              + headerLine
              + " has "
              + width);
    }
    Map<Field, String> values = new EnumMap<>(constants);
    index.forEach(
        (field, i) -> {
          if (i < cells.size()) {
            values.put(field, cells.get(i));
          }
        });
    return new RawRow(source, report, line, values, new ArrayList<>(), tokenizer.excerpt());
  }
}
