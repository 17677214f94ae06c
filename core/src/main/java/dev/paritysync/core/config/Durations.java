package dev.paritysync.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as configuration writes them: {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code
 * 15m}, {@code 72h}, {@code 2d}, or ISO-8601 ({@code PT30S}). A bare number is rejected: a unit
 * must be explicit.
 */
public final class Durations {
  private static final Pattern SIMPLE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|min|h|d)");

  private Durations() {}

  /** {@code d} as configuration writes it: {@code 100ms}, {@code 30s}, {@code 1h30m}. */
  public static String text(Duration d) {
    if (d.toMillis() < 1000 && d.toNanos() % 1_000_000 == 0) {
      return d.toMillis() + "ms";
    }
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming {@code key} and the text when it is not a duration
   */
  public static Duration parse(String key, Object value) {
    if (value instanceof Duration) {
      return (Duration) value;
    }
    String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(text);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double nanosPerUnit;
      switch (m.group(2)) {
        case "ns":
          nanosPerUnit = 1;
          break;
        case "us":
          nanosPerUnit = 1e3;
          break;
        case "ms":
          nanosPerUnit = 1e6;
          break;
        case "s":
          nanosPerUnit = 1e9;
          break;
        case "m":
        case "min":
          nanosPerUnit = 60e9;
          break;
        case "h":
          nanosPerUnit = 3600e9;
          break;
        default:
          nanosPerUnit = 86400e9;
          break;
      }
      double nanos = amount * nanosPerUnit;
      if (nanos <= Long.MAX_VALUE) {
        return Duration.ofNanos(Math.round(nanos));
      }
    } else if (text.startsWith("p")) {
      try {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        key + ": '" + value + "' is not a duration (examples: 250ms, 1s, 15m, 72h, 2d, PT30S)");
  }
}
