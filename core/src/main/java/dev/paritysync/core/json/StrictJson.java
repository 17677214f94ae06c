package dev.paritysync.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads JSON a client sent, within bounds, with Jackson's own {@link StreamReadConstraints}: at
 * most {@code maxDepth} levels of nesting and {@code maxNumberLength} characters per number; a key
 * twice in one object ({@link JsonParser.Feature#STRICT_DUPLICATE_DETECTION}) and anything after
 * the first value are errors. Decimals are read as exact {@link java.math.BigDecimal}s.
 *
 * <p>A failure is a {@link Malformed} naming where (a JSON pointer, line and column) and why, in
 * words that name the limit and never a Java type. Immutable and thread-safe.
 */
public final class StrictJson {
  private static final Pattern PARENTHESISED_NUMBER = Pattern.compile("\\((\\d+)\\)");
  private static final Pattern QUOTED = Pattern.compile("['\"]([^'\"]*)['\"]");

  private final ObjectMapper mapper;
  private final int maxDepth;
  private final int maxNumberLength;

  /**
   * A reader allowing {@code maxDepth} levels of nesting (an object in an array in the root is 2)
   * and numbers of at most {@code maxNumberLength} characters.
   *
   * @throws IllegalArgumentException when a bound is below 1
   */
  public StrictJson(int maxDepth, int maxNumberLength) {
    if (maxDepth < 1 || maxNumberLength < 1) {
      throw new IllegalArgumentException(
          "maxDepth and maxNumberLength must be ≥ 1, were " + maxDepth + ", " + maxNumberLength);
    }
    this.maxDepth = maxDepth;
    this.maxNumberLength = maxNumberLength;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    .maxNumberLength(maxNumberLength)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper =
        new ObjectMapper(factory)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  }

  /** The nesting this reader allows. */
  public int maxDepth() {
    return maxDepth;
  }

  /** The longest number this reader allows, in characters. */
  public int maxNumberLength() {
    return maxNumberLength;
  }

  /**
   * The tree of {@code body}; null when the body is empty or only whitespace.
   *
   * @throws Malformed when it is not one JSON value within the bounds
   */
  public @Nullable JsonNode read(byte[] body) throws Malformed {
    JsonParser parser;
    try {
      parser = mapper.createParser(body);
    } catch (IOException e) {
      throw new Malformed("", 1, 1, "cannot be read");
    }
    try (parser) {
      JsonNode root = mapper.readTree(parser);
      return root == null || root.isMissingNode() ? null : root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
      String pointer = parser.getParsingContext().pathAsPointer().toString();
      throw new Malformed(pointer, at.getLineNr(), at.getColumnNr(), reason(e));
    } catch (IOException e) {
      throw new Malformed("", 1, 1, "cannot be read");
    } catch (NumberFormatException e) {
      // Within the length bound, 1e99999999999 still has an exponent no BigDecimal can hold;
      // Jackson lets the conversion's unchecked exception through.
      JsonLocation at = parser.currentLocation();
      String pointer = parser.getParsingContext().pathAsPointer().toString();
      throw new Malformed(
          pointer,
          at.getLineNr(),
          at.getColumnNr(),
          "a number whose exponent is beyond ±" + Integer.MAX_VALUE);
    }
  }

  private String reason(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (e instanceof StreamConstraintsException) {
      if (message.contains("nesting depth")) {
        return "nested more than " + maxDepth + " levels deep";
      }
      if (message.startsWith("Number value length")) {
        return "a number of "
            + first(PARENTHESISED_NUMBER, message, "more")
            + " characters; at most "
            + maxNumberLength
            + " are allowed";
      }
      return "too large to read";
    }
    if (message.startsWith("Duplicate")) {
      return "key \"" + first(QUOTED, message, "?") + "\" appears twice in one object";
    }
    if (message.startsWith("Trailing token")) {
      return "more than one JSON value: something follows the first";
    }
    // Jackson's syntax messages say what it found and expected; cut the Java types it may name.
    int bound = message.indexOf(" (bound as");
    String text = bound >= 0 ? message.substring(0, bound) : message;
    return text.replaceAll("`[^`]*`", "").replace('\n', ' ').trim();
  }

  private static String first(Pattern p, String text, String fallback) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : fallback;
  }

  /** Why a body could not be read, and where. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    private final String pointer;
    private final int line;
    private final int column;
    private final String reason;

    Malformed(String pointer, int line, int column, String reason) {
      super(
          (pointer.isEmpty() ? "/" : pointer)
              + " (line "
              + line
              + ", column "
              + column
              + "): "
              + reason,
          null,
          false,
          false);
      this.pointer = pointer;
      this.line = line;
      this.column = column;
      this.reason = reason;
    }

    /** The JSON pointer (RFC 6901) of the value being read; empty for the root. */
    public String pointer() {
      return pointer;
    }

    /** The line of the input, from 1. */
    public int line() {
      return line;
    }

    /** The column of the input, from 1. */
    public int column() {
      return column;
    }

    /** Why, in one line that names the limit when one was exceeded. */
    public String reason() {
      return reason;
    }
  }
}
