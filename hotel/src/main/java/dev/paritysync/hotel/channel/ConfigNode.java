package dev.paritysync.hotel.channel;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.NullUnmarked;

/**
 * A value of a YAML-loaded tree and its key path, so every error names the full key. Messages quote
 * a value only where it cannot be a secret.
 */
// Not null-checked until the configuration readers move onto core.config (issue 17).
@NullUnmarked
record ConfigNode(String path, Object value) {

  ConfigNode child(String key) {
    return new ConfigNode(path + "." + key, asMap().get(key));
  }

  boolean isPresent() {
    return value != null;
  }

  IllegalArgumentException error(String message) {
    return new IllegalArgumentException(path + ": " + message);
  }

  /** The entries of a map, checking that it has every required key and no other than allowed. */
  Map<String, ConfigNode> entries(Set<String> required, List<String> allowed) {
    Map<String, Object> map = asMap();
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw new ConfigNode(path + "." + key, null)
            .error("unknown key; expected one of " + String.join(", ", allowed));
      }
    }
    for (String key : allowed) {
      if (required.contains(key) && map.get(key) == null) {
        throw new ConfigNode(path + "." + key, null).error("is required");
      }
    }
    Map<String, ConfigNode> nodes = new LinkedHashMap<>();
    map.forEach((k, v) -> nodes.put(k, new ConfigNode(path + "." + k, v)));
    return nodes;
  }

  /** The entries of a map whose keys are free (codes). */
  Map<String, ConfigNode> entries() {
    return entries(Set.of(), new ArrayList<>(asMap().keySet()));
  }

  Map<String, Object> asMap() {
    if (!(value instanceof Map<?, ?> map)) {
      throw error("expected a map, got " + describe(value));
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  String string() {
    if (!(value instanceof String s)) {
      throw error("expected a string, got " + describe(value));
    }
    if (s.isBlank()) {
      throw error("must not be blank");
    }
    return s;
  }

  /** A code: a non-blank string, or an integer written without quotes. */
  String code() {
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      return value.toString();
    }
    if (!(value instanceof String)) {
      throw error("expected a code (string or integer), got " + describe(value));
    }
    return string();
  }

  long positiveLong() {
    long n;
    if (value instanceof Integer || value instanceof Long) {
      n = ((Number) value).longValue();
    } else if (value instanceof BigInteger) {
      throw error(value + " is too large");
    } else {
      throw error("expected an integer, got " + describe(value));
    }
    if (n < 1) {
      throw error(n + " is below 1");
    }
    return n;
  }

  int positiveInt() {
    long n = positiveLong();
    if (n > Integer.MAX_VALUE) {
      throw error(n + " is too large; at most " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  boolean bool() {
    if (!(value instanceof Boolean b)) {
      throw error("expected true or false, got " + describe(value));
    }
    return b;
  }

  /** An absolute http or https URL without user info (credentials belong in credentials). */
  URI httpUrl() {
    String s = string();
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw error("is not a valid URL: " + e.getReason());
    }
    if (uri.getRawUserInfo() != null) {
      throw error("must not carry user info; put credentials under credentials");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw error(s + " is not an http(s) URL");
    }
    return uri;
  }

  static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
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
}
