package dev.paritysync.core.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A typed view of one mapping in a configuration file (as parsed from YAML), that names the full
 * key in every error and rejects keys it does not know — a misspelt key fails at start-up instead
 * of being silently ignored.
 */
public final class ConfigMap {
  private final String path;
  private final Map<String, Object> values;
  private final Set<String> known = new LinkedHashSet<>();

  public ConfigMap(String path, Map<String, Object> values) {
    this.path = path;
    this.values = values == null ? Map.of() : values;
  }

  /** The dotted path of this mapping, e.g. {@code channels.booking.resilience}. */
  public String path() {
    return path;
  }

  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    known.add(name);
    return values.containsKey(name) && values.get(name) != null;
  }

  public @Nullable Object raw(String name) {
    known.add(name);
    return values.get(name);
  }

  /**
   * The text at {@code name}: a string, or a number or boolean as written.
   *
   * @throws IllegalArgumentException {@code <key>: expected a text value, found a mapping} (or a
   *     list): such a value is a mistake in the file, never text to read
   */
  @Contract("_, !null -> !null")
  public @Nullable String string(String name, @Nullable String fallback) {
    Object v = raw(name);
    if (v instanceof Map || v instanceof List) {
      throw new IllegalArgumentException(
          key(name)
              + ": expected a text value, found a "
              + (v instanceof Map ? "mapping" : "list"));
    }
    return v == null ? fallback : String.valueOf(v);
  }

  public int integer(String name, int fallback) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number && ((Number) v).doubleValue() == ((Number) v).intValue()) {
      return ((Number) v).intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key(name) + ": '" + v + "' is not a whole number");
    }
  }

  public double decimal(String name, double fallback) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    String s = String.valueOf(v).trim();
    try {
      return s.endsWith("%")
          ? Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100
          : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key(name) + ": '" + v + "' is not a number");
    }
  }

  public Duration duration(String name, Duration fallback) {
    Object v = raw(name);
    return v == null ? fallback : Durations.parse(key(name), v);
  }

  /**
   * As {@link #duration}, and above zero.
   *
   * @throws IllegalArgumentException {@code <key>: must be positive, was <value>} otherwise
   */
  public Duration positiveDuration(String name, Duration fallback) {
    Duration d = duration(name, fallback);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key(name) + ": must be positive, was " + raw(name));
    }
    return d;
  }

  @SuppressWarnings("unchecked")
  public ConfigMap child(String name) {
    Object v = raw(name);
    if (v == null) {
      return new ConfigMap(key(name), Map.of());
    }
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException(key(name) + ": expected a mapping, found '" + v + "'");
    }
    return new ConfigMap(key(name), (Map<String, Object>) v);
  }

  @SuppressWarnings("unchecked")
  public <T> List<T> list(String name, Class<T> elementType) {
    Object v = raw(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw new IllegalArgumentException(key(name) + ": expected a list, found '" + v + "'");
    }
    List<Object> list = (List<Object>) v;
    for (int i = 0; i < list.size(); i++) {
      if (!elementType.isInstance(list.get(i))) {
        throw new IllegalArgumentException(
            key(name)
                + "["
                + i
                + "]: expected a "
                + elementType.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                + ", found '"
                + list.get(i)
                + "'");
      }
    }
    return (List<T>) list;
  }

  /** The raw mapping, for callers that walk entries themselves. */
  public Map<String, Object> asMap() {
    return values;
  }

  /**
   * Fails when the mapping holds a key that no accessor asked for. Call after reading every key.
   *
   * @throws IllegalArgumentException naming the unknown key and the known ones
   */
  public void rejectUnknown() {
    for (String k : values.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(
            key(k) + ": unknown key (known here: " + String.join(", ", known) + ")");
      }
    }
  }
}
