package dev.paritysync.royalty.parse;

import dev.paritysync.royalty.SourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Opens a report as a lazy {@link RowCursor} of raw rows, in the format {@link
 * SourceConfig#format()} names. Input may be plain or gzip (detected by magic bytes), UTF-8 with or
 * without a BOM, with LF or CRLF line ends. Memory stays bounded by one row (one DSR block),
 * whatever the report's size.
 *
 * <p>DSR flat files: each record of the sales record type (the record named by the {@code quantity}
 * column, {@code SU} by default) becomes one row, joined with its block's records ({@code AS},
 * {@code RE}, …: same BlockId), the summary record ({@code SY}) whose SummaryRecordId it names, and
 * the HEAD. Heading lines ({@code #TYPE\tColumn…}) name each record type's columns; other {@code #}
 * lines are comments. The FOOT counts of lines, summary records and blocks are checked.
 *
 * <p>Format defects (ragged or padded rows, missing headings, legacy headers, FOOT mismatches,
 * malformed quoting) throw {@link ReportFormatException} in {@link Strictness#STRICT} mode and go
 * to {@code warnings} in {@link Strictness#LENIENT} mode. A configured column missing from a header
 * is fatal in both.
 *
 * <p>Thread-safe (stateless); each cursor it opens is not, and belongs to one reader.
 */
public final class ReportParser {
  private ReportParser() {}

  /**
   * Opens {@code in}; the returned cursor owns and closes it.
   *
   * @param report the report identifier used in rows, warnings and errors (usually the file name)
   */
  public static RowCursor open(
      InputStream in,
      String report,
      SourceConfig config,
      Strictness strictness,
      Consumer<ParseWarning> warnings)
      throws IOException {
    Defects defects = new Defects(report, strictness, warnings);
    Inputs.Text reader = Inputs.reader(in);
    return switch (config.format()) {
      case DSR -> new DsrParser(reader, report, config, defects);
      case APPLE -> new DelimitedParser(Tokenizer.tabs(reader), reader, report, config, defects);
      case CSV ->
          new DelimitedParser(new CsvTokenizer(reader, defects), reader, report, config, defects);
      case JSON ->
          throw new IllegalArgumentException(
              "source "
                  + config.name()
                  + ": format json is read from a DSP API (royalty pull), not from files");
    };
  }

  /** Opens {@code file}; the report identifier is the file name. */
  public static RowCursor open(
      Path file, SourceConfig config, Strictness strictness, Consumer<ParseWarning> warnings)
      throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      return open(in, file.getFileName().toString(), config, strictness, warnings);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
