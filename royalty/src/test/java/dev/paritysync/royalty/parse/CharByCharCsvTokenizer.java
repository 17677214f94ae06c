package dev.paritysync.royalty.parse;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer as it was before it read through its own buffer: the reference CsvTokenizerTest
 * compares with.
 *
 * <p>Was: RFC 4180 records: comma-separated, {@code "}-quoted fields that may hold commas, doubled
 * quotes and line breaks; LF or CRLF. Hand-written (about 100 lines) rather than Jackson's CSV
 * module so that it streams one record at a time, knows the physical line each record starts on
 * (dead letters name it), and routes malformed quoting through {@link Defects} like every other
 * format defect.
 */
final class CharByCharCsvTokenizer implements Tokenizer {
  private final Reader reader;
  private final Defects defects;
  private final StringBuilder excerpt = new StringBuilder();
  private long line = 1;
  private long recordLine;
  private int peeked = -2;
  private boolean eof;

  CharByCharCsvTokenizer(Reader reader, Defects defects) {
    this.reader = reader;
    this.defects = defects;
  }

  private int read() throws IOException {
    int c;
    if (peeked != -2) {
      c = peeked;
      peeked = -2;
    } else {
      c = reader.read();
    }
    if (c >= 0 && excerpt.length() < 200) {
      excerpt.append((char) c);
    }
    return c;
  }

  private int peek() throws IOException {
    if (peeked == -2) {
      peeked = reader.read();
    }
    return peeked;
  }

  @Override
  public List<String> next() throws IOException {
    if (eof) {
      return null;
    }
    excerpt.setLength(0);
    recordLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int c = read();
    if (c == -1) {
      eof = true;
      return null;
    }
    while (true) {
      if (c == '"' && field.length() == 0) {
        c = quoted(field);
        continue;
      }
      if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' || c == '\n' || c == -1) {
        if (c == '\r' && peek() == '\n') {
          read();
        }
        if (c == -1) {
          eof = true;
        } else {
          line++;
        }
        fields.add(field.toString());
        trimExcerpt();
        return fields;
      } else {
        if (c == '"') {
          defects.defect(line, "quote inside an unquoted field");
        }
        field.append((char) c);
      }
      c = read();
    }
  }

  /** Reads a quoted field's content into {@code field}; returns the character after it. */
  private int quoted(StringBuilder field) throws IOException {
    long start = line;
    while (true) {
      int c = read();
      if (c == -1) {
        throw defects.fatal(start, "quoted field starting on this line is never closed");
      }
      if (c == '"') {
        if (peek() == '"') {
          read();
          field.append('"');
          continue;
        }
        int after = read();
        if (after != ',' && after != '\r' && after != '\n' && after != -1) {
          defects.defect(line, "text after a closing quote");
          field.append((char) after);
          return read();
        }
        return after;
      }
      if (c == '\n' || (c == '\r' && peek() != '\n')) {
        line++;
      }
      field.append((char) c);
    }
  }

  private void trimExcerpt() {
    int n = excerpt.length();
    while (n > 0 && (excerpt.charAt(n - 1) == '\n' || excerpt.charAt(n - 1) == '\r')) {
      n--;
    }
    excerpt.setLength(n);
  }

  @Override
  public long line() {
    return recordLine;
  }

  @Override
  public String excerpt() {
    return excerpt.toString();
  }
}
