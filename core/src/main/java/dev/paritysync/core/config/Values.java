package dev.paritysync.core.config;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Conversions of {@link ConfigMap}: each returns a message tail, or the value. */
final class Values {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);

  private Values() {}

  /** How an error names a value's kind without quoting it: {@code a string}, {@code a map}. */
  static String describe(@Nullable Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (isInteger(value)) {
      return "an integer";
    }
    if (value instanceof Number) {
      return "a decimal number";
    }
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "a " + value.getClass().getSimpleName();
  }

  static boolean isInteger(@Nullable Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger;
  }

  /**
   * Bytes from {@code 65536}, {@code 64KiB}, {@code 64KB} (decimal), {@code 10MiB}, {@code 1GB}; -1
   * when the text is no size.
   */
  static long size(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue() < 0 ? -1 : ((Number) value).longValue();
    }
    if (!(value instanceof String s)) {
      return -1;
    }
    Matcher m = SIZE.matcher(s.strip());
    if (!m.matches()) {
      return -1;
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    double factor =
        switch (unit) {
          case "kb" -> 1e3;
          case "kib" -> 1024;
          case "mb" -> 1e6;
          case "mib" -> 1024 * 1024;
          case "gb" -> 1e9;
          case "gib" -> 1024.0 * 1024 * 1024;
          default -> 1;
        };
    double bytes = Double.parseDouble(m.group(1)) * factor;
    if (bytes != Math.rint(bytes) || bytes > Long.MAX_VALUE) {
      return -1;
    }
    return (long) bytes;
  }

  /** The URI of an absolute http(s) URL without user info, else why it is not one (a String). */
  static Object httpUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return "'" + text + "' is not a valid URL: " + e.getReason();
    }
    if (uri.getRawUserInfo() != null) {
      return "must not carry user info; put credentials under credentials";
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      return text + " is not an http(s) URL";
    }
    return uri;
  }

  /** As configuration spells an enum constant: lower case, {@code -} for {@code _}. */
  static String configName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether {@code text} names {@code constant}, ignoring case and {@code -}/{@code _}. */
  static boolean names(String text, Enum<?> constant) {
    return text.strip().replace('-', '_').equalsIgnoreCase(constant.name());
  }
}
