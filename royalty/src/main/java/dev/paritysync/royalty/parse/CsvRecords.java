package dev.paritysync.royalty.parse;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * RFC 4180 records of a plain or gzip CSV file, one at a time, each with the physical line it
 * starts on: the tokenizer the report parsers use, for other CSV inputs such as the catalog.
 * Malformed quoting is lenient (a {@link ParseWarning}) except an unclosed quote, which throws
 * {@link ReportFormatException}. Not thread-safe.
 */
public final class CsvRecords implements Closeable {
  private final BufferedReader reader;
  private final CsvTokenizer tokenizer;

  private CsvRecords(BufferedReader reader, String name, Consumer<ParseWarning> warnings) {
    this.reader = reader;
    this.tokenizer = new CsvTokenizer(reader, new Defects(name, Strictness.LENIENT, warnings));
  }

  /**
   * Reads {@code in} (UTF-8, plain or gzip); {@code name} names the input in warnings and errors.
   * Closing the records closes {@code in}.
   */
  public static CsvRecords open(InputStream in, String name, Consumer<ParseWarning> warnings)
      throws IOException {
    return new CsvRecords(Inputs.reader(in), name, warnings);
  }

  /** The cells of the next record, or null at the end of the input. */
  public @Nullable List<String> next() throws IOException {
    return tokenizer.next();
  }

  /** The 1-based line the record last returned by {@link #next()} started on. */
  public long line() {
    return tokenizer.line();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
