package dev.paritysync.app.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.app.server.ApiLimits;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.json.StrictJson;
import dev.paritysync.hotel.ari.Change;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads a feed of PMS changes: an NDJSON file, one change per line, in batches of lines.
 *
 * <pre>{@code
 * {"property":"P1","roomType":"DBL","ratePlan":"BAR","from":"2026-05-01","to":"2026-05-03",
 *  "rate":{"amount":"120.00","currency":"EUR"},"availability":4,
 *  "restrictions":{"minLos":2,"maxLos":7,"closed":false,"closedToArrival":false,
 *                  "closedToDeparture":false}}
 * }</pre>
 *
 * <p>{@code property}, {@code roomType}, {@code from} and {@code to} (ISO dates, both inclusive)
 * are required; {@code ratePlan}, {@code rate}, {@code availability}, {@code restrictions} and each
 * restriction are optional and mean "unchanged" when absent. Amounts may be JSON numbers or decimal
 * strings. Blank lines are skipped; unknown keys are errors. Lines are numbered from 1. Not
 * thread-safe: one thread reads it, from {@link #open} to {@link #close}.
 */
public final class FeedReader implements Closeable {
  // The API's bounds (depth, number length), one value per line, no key twice: a line holding two
  // changes must fail, not lose the second.
  private static final StrictJson JSON =
      new StrictJson(ApiLimits.DEFAULTS.maxJsonDepth(), ApiLimits.DEFAULTS.maxNumberLength());

  private final BufferedReader reader;
  private final int batchLines;
  private long lineNumber;
  private boolean exhausted;

  /**
   * A reader of {@code file} that starts at line {@code fromLine} (1-based) and hands out batches
   * of up to {@code batchLines} lines.
   *
   * @throws IllegalArgumentException when the file cannot be opened or an argument is out of range
   */
  public static FeedReader open(Path file, long fromLine, int batchLines) {
    if (fromLine < 1) {
      throw new IllegalArgumentException("--from-line: must be ≥ 1, was " + fromLine);
    }
    if (batchLines < 1) {
      throw new IllegalArgumentException("--feed-batch: must be ≥ 1, was " + batchLines);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--feed: no such file: " + file);
    }
    try {
      FeedReader r =
          new FeedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), batchLines);
      r.skip(fromLine - 1);
      return r;
    } catch (IOException e) {
      throw new IllegalArgumentException("--feed: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  FeedReader(BufferedReader reader, int batchLines) {
    this.reader = reader;
    this.batchLines = batchLines;
  }

  private void skip(long lines) throws IOException {
    for (long i = 0; i < lines; i++) {
      if (reader.readLine() == null) {
        exhausted = true;
        return;
      }
      lineNumber++;
    }
  }

  /** The number of the last line read, 0 before any. */
  public long lineNumber() {
    return lineNumber;
  }

  /**
   * The next batch of up to {@code batchLines} lines, or empty at the end of the file.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public Optional<Batch> next() {
    if (exhausted) {
      return Optional.empty();
    }
    List<Change> changes = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long first = lineNumber + 1;
    try {
      for (int i = 0; i < batchLines; i++) {
        String text = reader.readLine();
        if (text == null) {
          exhausted = true;
          break;
        }
        lineNumber++;
        if (text.isBlank()) {
          continue;
        }
        List<FieldError> lineErrors = new ArrayList<>();
        Change c = parse(text, lineErrors);
        if (lineErrors.isEmpty()) {
          changes.add(c);
          lines.add(lineNumber);
        } else {
          for (FieldError e : lineErrors) {
            errors.add("line " + lineNumber + ": " + e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("feed: cannot read line " + (lineNumber + 1), e);
    }
    if (lineNumber < first) {
      return Optional.empty();
    }
    return Optional.of(new Batch(first, lineNumber, changes, lines, errors));
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /**
   * One batch of lines. Immutable: the lists are copies.
   *
   * @param firstLine the number of its first line
   * @param lastLine the number of its last line
   * @param changes the changes of the lines that parsed
   * @param lines per change, its line number
   * @param errors every error of the lines that did not parse, as {@code line N: path: message}
   */
  public record Batch(
      long firstLine, long lastLine, List<Change> changes, List<Long> lines, List<String> errors) {
    public Batch {
      changes = List.copyOf(changes);
      lines = List.copyOf(lines);
      errors = List.copyOf(errors);
    }

    /** {@code error} (a path like {@code changes[3].rate}) with the index replaced by its line. */
    public String onLine(FieldError error) {
      String path = error.path();
      if (path.startsWith("changes[")) {
        int close = path.indexOf(']');
        try {
          int index = Integer.parseInt(path.substring("changes[".length(), close));
          String rest = path.substring(close + 1);
          rest = rest.startsWith(".") ? rest.substring(1) : rest;
          return "line "
              + lines.get(index)
              + ": "
              + (rest.isEmpty() ? "" : rest + ": ")
              + error.message();
        } catch (RuntimeException e) {
          // fall through: not an index we know
        }
      }
      return "lines " + firstLine + "-" + lastLine + ": " + error;
    }
  }

  /** Parses one line; field errors go to {@code errors} and the result is then null. */
  static @Nullable Change parse(String text, List<FieldError> errors) {
    JsonNode n;
    try {
      n = JSON.read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (StrictJson.Malformed e) {
      errors.add(
          new FieldError("$", "not JSON: " + String.valueOf(e.getMessage()).replace('\n', ' ')));
      return null;
    }
    if (n == null) {
      errors.add(new FieldError("$", "not JSON: the line is empty"));
      return null;
    }
    return ChangeJson.parse(n, "", errors);
  }
}
