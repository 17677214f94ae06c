package dev.paritysync.royalty.parse;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * RFC 4180 records: comma-separated, {@code "}-quoted fields that may hold commas, doubled quotes
 * and line breaks; LF or CRLF. Hand-written (about 100 lines) rather than Jackson's CSV module so
 * that it streams one record at a time, knows the physical line each record starts on (dead letters
 * name it), and routes malformed quoting through {@link Defects} like every other format defect.
 */
final class CsvTokenizer implements Tokenizer {
  private static final int BUFFER = 1 << 16;
  private static final int EXCERPT = 200;

  private final Reader reader;
  private final Defects defects;
  private final char[] buffer = new char[BUFFER];
  private int pos;
  private int limit;

  /** Where the current record starts in {@link #buffer}; what came before a refill is in carry. */
  private int recordStart;

  private final StringBuilder carry = new StringBuilder();
  private String excerpt = "";
  private long line = 1;
  private long recordLine;
  private boolean eof;

  CsvTokenizer(Reader reader, Defects defects) {
    this.reader = reader;
    this.defects = defects;
  }

  /** Refills the buffer, keeping the start of the current record for its excerpt. */
  private boolean fill() throws IOException {
    if (carry.length() < EXCERPT) {
      carry.append(buffer, recordStart, Math.min(limit - recordStart, EXCERPT - carry.length()));
    }
    int n = reader.read(buffer, 0, BUFFER);
    recordStart = 0;
    pos = 0;
    limit = Math.max(n, 0);
    return n > 0;
  }

  private int read() throws IOException {
    if (pos >= limit && !fill()) {
      return -1;
    }
    return buffer[pos++];
  }

  private int peek() throws IOException {
    if (pos >= limit && !fill()) {
      return -1;
    }
    return buffer[pos];
  }

  /** Appends the run of plain characters from {@code pos} on; returns how many. */
  private int plainRun(StringBuilder field) {
    int from = pos;
    int i = from;
    while (i < limit) {
      char c = buffer[i];
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        break;
      }
      i++;
    }
    field.append(buffer, from, i - from);
    pos = i;
    return i - from;
  }

  @Override
  public @Nullable List<String> next() throws IOException {
    if (eof) {
      return null;
    }
    carry.setLength(0);
    recordStart = pos;
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
        plainRun(field);
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
    StringBuilder b = carry;
    if (b.length() < EXCERPT) {
      b.append(buffer, recordStart, Math.min(pos - recordStart, EXCERPT - b.length()));
    }
    int n = b.length();
    while (n > 0 && (b.charAt(n - 1) == '\n' || b.charAt(n - 1) == '\r')) {
      n--;
    }
    excerpt = b.substring(0, n);
  }

  @Override
  public long line() {
    return recordLine;
  }

  @Override
  public String excerpt() {
    return excerpt;
  }
}
