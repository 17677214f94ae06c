package dev.paritysync.app.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
 * thread-safe.
 */
public final class FeedReader implements Closeable {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  private static final Set<String> KEYS =
      Set.of(
          "property", "roomType", "ratePlan", "from", "to", "rate", "availability", "restrictions");
  private static final Set<String> RATE_KEYS = Set.of("amount", "currency");
  private static final Set<String> RESTRICTION_KEYS =
      Set.of("minLos", "maxLos", "closed", "closedToArrival", "closedToDeparture");

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
   * One batch of lines.
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
  static Change parse(String text, List<FieldError> errors) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      errors.add(new FieldError("$", "not JSON: " + e.getOriginalMessage().replace('\n', ' ')));
      return null;
    }
    if (n == null || !n.isObject()) {
      errors.add(new FieldError("$", "expected a JSON object"));
      return null;
    }
    unknown(n, KEYS, "", errors);
    String property = text(n, "property", "property", true, errors);
    String roomType = text(n, "roomType", "roomType", true, errors);
    String ratePlan = text(n, "ratePlan", "ratePlan", false, errors);
    LocalDate from = date(n, "from", errors);
    LocalDate to = date(n, "to", errors);
    Rate rate = null;
    JsonNode r = n.get("rate");
    if (r != null && !r.isNull()) {
      if (!r.isObject()) {
        errors.add(new FieldError("rate", "expected an object {amount, currency}"));
      } else {
        unknown(r, RATE_KEYS, "rate.", errors);
        BigDecimal amount = decimal(r, "amount", "rate.amount", errors);
        String currency = text(r, "currency", "rate.currency", true, errors);
        rate = new Rate(amount, currency);
      }
    }
    Integer availability = integer(n, "availability", "availability", errors);
    Restrictions restrictions = null;
    JsonNode s = n.get("restrictions");
    if (s != null && !s.isNull()) {
      if (!s.isObject()) {
        errors.add(new FieldError("restrictions", "expected an object"));
      } else {
        unknown(s, RESTRICTION_KEYS, "restrictions.", errors);
        restrictions =
            new Restrictions(
                integer(s, "minLos", "restrictions.minLos", errors),
                integer(s, "maxLos", "restrictions.maxLos", errors),
                bool(s, "closed", "restrictions.closed", errors),
                bool(s, "closedToArrival", "restrictions.closedToArrival", errors),
                bool(s, "closedToDeparture", "restrictions.closedToDeparture", errors));
      }
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new Change(property, roomType, ratePlan, from, to, rate, availability, restrictions);
  }

  private static void unknown(JsonNode n, Set<String> known, String prefix, List<FieldError> out) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        out.add(
            new FieldError(
                prefix + k, "unknown key (known: " + String.join(", ", sorted(known)) + ")"));
      }
    }
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  private static String text(
      JsonNode n, String name, String path, boolean required, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        errors.add(new FieldError(path, "is missing"));
      }
      return null;
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(path, "expected a string, found " + v));
      return null;
    }
    return v.asText();
  }

  private static LocalDate date(JsonNode n, String name, List<FieldError> errors) {
    String s = text(n, name, name, true, errors);
    if (s == null) {
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "'" + s + "' is not a date (yyyy-MM-dd)"));
      return null;
    }
  }

  private static BigDecimal decimal(JsonNode n, String name, String path, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      errors.add(new FieldError(path, "is missing"));
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    errors.add(new FieldError(path, v + " is not a decimal number"));
    return null;
  }

  private static Integer integer(JsonNode n, String name, String path, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    errors.add(new FieldError(path, v + " is not a whole number"));
    return null;
  }

  private static Boolean bool(JsonNode n, String name, String path, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    errors.add(new FieldError(path, v + " is not true or false"));
    return null;
  }
}
