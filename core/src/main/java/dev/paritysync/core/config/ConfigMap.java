package dev.paritysync.core.config;

import dev.paritysync.core.auth.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A typed view of one mapping in a configuration file (as parsed from YAML): the one reader of
 * configuration, for every module. Every error is an {@link IllegalArgumentException} whose message
 * starts with the full key path ({@code channels.expedia.resilience.backoff.base: must be positive,
 * was 0s}); {@link ConfigFile} puts the file's name before it. A value that may be a secret is
 * never quoted: messages name its kind ({@code got a list}) instead.
 *
 * <p>Keys a reader does not know fail instead of being ignored: declare them with {@link #allow}
 * before reading, or call {@link #rejectUnknown} after reading every key. Getters with a fallback
 * return it when the key is absent or null; the others fail with {@code is required}.
 *
 * <p>Not thread-safe: it records which keys were asked for. Read a file on one thread.
 */
public final class ConfigMap {
  private final String path;
  private final Map<String, @Nullable Object> values;
  private final Set<String> known = new LinkedHashSet<>();

  /**
   * A view of {@code values} (null reads as empty) at {@code path} ({@code ""} for a file's top
   * level). Keys are read as text, so {@code 1001:} and {@code "1001":} are the same key.
   */
  public ConfigMap(String path, @Nullable Map<String, ? extends @Nullable Object> values) {
    this.path = path;
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    if (values != null) {
      ((Map<?, ?>) values).forEach((k, v) -> copy.put(String.valueOf(k), v));
    }
    this.values = Collections.unmodifiableMap(copy);
  }

  /**
   * The mapping {@code value} found at {@code path}.
   *
   * @throws IllegalArgumentException {@code <path>: expected a map, got a string} when it is not
   *     one (also when it is null)
   */
  @SuppressWarnings("unchecked")
  public static ConfigMap of(String path, @Nullable Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(path + ": expected a map, got " + Values.describe(value));
    }
    return new ConfigMap(path, (Map<String, Object>) map);
  }

  /**
   * How errors name the kind of {@code value} without quoting it: {@code a string}, {@code an
   * integer}, {@code a decimal number}, {@code a boolean}, {@code a map}, {@code a list}, {@code
   * nothing}.
   */
  public static String describe(@Nullable Object value) {
    return Values.describe(value);
  }

  /** The dotted path of this mapping, e.g. {@code channels.booking.resilience}. */
  public String path() {
    return path;
  }

  /** The full key of {@code name} in this mapping. */
  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** An error about {@code name}: {@code <full key>: <message>}. */
  public IllegalArgumentException error(String name, String message) {
    return new IllegalArgumentException(key(name) + ": " + message);
  }

  /** An error about this mapping as a whole: {@code <path>: <message>}. */
  public IllegalArgumentException error(String message) {
    return new IllegalArgumentException(path + ": " + message);
  }

  /** Whether {@code name} is present and not null; marks it known. */
  public boolean has(String name) {
    known.add(name);
    return values.get(name) != null;
  }

  /** The value at {@code name} as parsed, or null; marks it known. */
  public @Nullable Object raw(String name) {
    known.add(name);
    return values.get(name);
  }

  /** The keys of this mapping in file order, all marked known (for maps whose keys are names). */
  public Set<String> names() {
    known.addAll(values.keySet());
    return values.keySet();
  }

  /**
   * Declares the keys this mapping may hold, and fails on any other; {@code required} keys must be
   * present.
   *
   * @throws IllegalArgumentException {@code <key>: unknown key; expected one of <allowed>}, or
   *     {@code <key>: is required}
   */
  public ConfigMap allow(List<String> allowed, Set<String> required) {
    known.addAll(allowed);
    rejectUnknown();
    for (String name : allowed) {
      if (required.contains(name) && values.get(name) == null) {
        throw error(name, "is required");
      }
    }
    return this;
  }

  /** {@link #allow(List, Set)} with nothing required. */
  public ConfigMap allow(String... allowed) {
    return allow(List.of(allowed), Set.of());
  }

  /**
   * Fails when the mapping holds a key that no accessor asked for. Call after reading every key.
   *
   * @throws IllegalArgumentException {@code <key>: unknown key; expected one of <known keys>}
   */
  public void rejectUnknown() {
    for (String k : values.keySet()) {
      if (!known.contains(k)) {
        throw error(
            k,
            known.isEmpty()
                ? "unknown key; none is expected here"
                : "unknown key; expected one of " + String.join(", ", known));
      }
    }
  }

  /**
   * The value at {@code name}, which must be present.
   *
   * @throws IllegalArgumentException {@code <key>: is required}
   */
  public Object require(String name) {
    Object v = raw(name);
    if (v == null) {
      throw error(name, "is required");
    }
    return v;
  }

  // ------------------------------------------------------------------ text

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
      throw error(
          name, "expected a text value, found a " + (v instanceof Map ? "mapping" : "list"));
    }
    return v == null ? fallback : String.valueOf(v);
  }

  /**
   * The string at {@code name}, required and not blank; a number is not a string here.
   *
   * @throws IllegalArgumentException {@code is required}, {@code expected a string, got a list},
   *     {@code must not be blank}
   */
  public String text(String name) {
    Object v = require(name);
    if (!(v instanceof String s)) {
      throw error(name, "expected a string, got " + Values.describe(v));
    }
    if (s.isBlank()) {
      throw error(name, "must not be blank");
    }
    return s;
  }

  /** As {@link #text}, or null when absent. */
  public @Nullable String optionalText(String name) {
    return has(name) ? text(name) : null;
  }

  /**
   * A code at {@code name}: a non-blank string, or an integer written without quotes.
   *
   * @throws IllegalArgumentException {@code expected a code (string or integer), got a map}
   */
  public String code(String name) {
    return Shapes.code(this, name);
  }

  /**
   * The text of every element of the list at {@code name}; empty when absent.
   *
   * @throws IllegalArgumentException naming {@code <key>[i]} of an element that is no text
   */
  public List<String> strings(String name) {
    return Shapes.strings(this, name);
  }

  /**
   * The text of every value of the mapping at {@code name}, by key in file order ({@code {P1:
   * HOTEL1}}); empty when absent.
   *
   * @throws IllegalArgumentException naming {@code <key>.<entry>} of a value that is a map, a list
   *     or nothing
   */
  public Map<String, String> texts(String name) {
    return Shapes.texts(child(name));
  }

  /**
   * The secret at {@code name}, resolved by {@code lookup}; required. The message of an error never
   * quotes the value.
   */
  public Secret secret(String name, SecretLookup lookup) {
    return lookup.resolve(key(name), require(name));
  }

  // ------------------------------------------------------------------ numbers

  /** A whole number, as a number or as text; {@code fallback} when absent. */
  public int integer(String name, int fallback) {
    Object v = raw(name);
    return v == null ? fallback : Shapes.integer(this, name, v);
  }

  /** As {@link #integer}, for values beyond {@code int} (seeds, counts). */
  public long longInteger(String name, long fallback) {
    Object v = raw(name);
    return v == null ? fallback : Shapes.whole(this, name, v);
  }

  /** A number, as a number, as text or as a percentage ({@code 5%} is 0.05). */
  public double decimal(String name, double fallback) {
    Object v = raw(name);
    return v == null ? fallback : Shapes.decimal(this, name, v);
  }

  /**
   * As {@link #integer}, and in {@code [min, max]}.
   *
   * @throws IllegalArgumentException {@code <key>: 70000 is not in 0..65535}, or {@code <key>: must
   *     be at least 1, was 0} when {@code max} is {@link Integer#MAX_VALUE}
   */
  public int integerIn(String name, int fallback, int min, int max) {
    return Shapes.within(this, name, integer(name, fallback), min, max);
  }

  /**
   * As {@link #decimal}, and in {@code [min, max]} (a percentage counts as its fraction).
   *
   * @throws IllegalArgumentException {@code <key>: must be between 0 and 1, was 1.5}
   */
  public double decimalIn(String name, double fallback, double min, double max) {
    return Shapes.within(this, name, decimal(name, fallback), min, max);
  }

  /**
   * An integer of at least 1 written as a number; {@code fallback} when absent.
   *
   * @throws IllegalArgumentException {@code expected an integer, got a string}, {@code 0 is below
   *     1}, {@code 3000000000 is too large}
   */
  public long positiveLong(String name, long fallback) {
    Object v = raw(name);
    return v == null ? fallback : Shapes.positiveLong(this, name, v);
  }

  /** As {@link #positiveLong}, at most {@link Integer#MAX_VALUE}. */
  public int positiveInt(String name, int fallback) {
    long n = positiveLong(name, fallback);
    if (n > Integer.MAX_VALUE) {
      throw error(name, n + " is too large; at most " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  /**
   * A size in bytes: an integer, or a number and a unit ({@code 64KiB}, {@code 10MB}: KB, MB, GB
   * are powers of 1000, KiB, MiB, GiB of 1024); {@code fallback} when absent.
   *
   * @throws IllegalArgumentException {@code <key>: '<text>' is not a size in bytes (...)}
   */
  public long size(String name, long fallback) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    long bytes = Values.size(v);
    if (bytes < 0) {
      throw error(name, "'" + v + "' is not a size in bytes (examples: 65536, 64KiB, 10MB, 1GiB)");
    }
    return bytes;
  }

  /**
   * As {@link #size}, and at least one byte.
   *
   * @throws IllegalArgumentException {@code <key>: must be at least 1 byte, was 0KB} otherwise
   */
  public long positiveSize(String name, long fallback) {
    long bytes = size(name, fallback);
    if (bytes < 1) {
      throw error(name, "must be at least 1 byte, was " + raw(name));
    }
    return bytes;
  }

  /**
   * {@code true} or {@code false}, as YAML writes them; {@code fallback} when absent.
   *
   * @throws IllegalArgumentException {@code expected true or false, got a string}
   */
  public boolean bool(String name, boolean fallback) {
    Object v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw error(name, "expected true or false, got " + Values.describe(v));
    }
    return b;
  }

  // ------------------------------------------------------------------ durations, URLs, enums

  /** A duration as {@link Durations} parses it; {@code fallback} when absent. */
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
      Object v = raw(name);
      throw error(name, "must be positive, was " + (v == null ? d : v));
    }
    return d;
  }

  /**
   * As {@link #positiveDuration}, and at least {@code min}.
   *
   * @throws IllegalArgumentException {@code <key>: must be positive, was 0s}, or {@code <key>: must
   *     be at least 100ms, was 50ms}
   */
  public Duration durationAtLeast(String name, Duration min, Duration fallback) {
    Duration d = positiveDuration(name, fallback);
    if (d.compareTo(min) < 0) {
      Object v = raw(name);
      throw error(name, "must be at least " + Durations.text(min) + ", was " + (v == null ? d : v));
    }
    return d;
  }

  /**
   * As {@link #duration}, and not negative.
   *
   * @throws IllegalArgumentException {@code <key>: must not be negative, was <value>} otherwise
   */
  public Duration nonNegativeDuration(String name, Duration fallback) {
    Duration d = duration(name, fallback);
    if (d.isNegative()) {
      throw error(name, "must not be negative, was " + raw(name));
    }
    return d;
  }

  /**
   * The absolute http or https URL at {@code name}, without user info (credentials belong in
   * credentials); required. Whether a loopback host is allowed is the caller's rule.
   *
   * @throws IllegalArgumentException {@code <key>: ftp://x is not an http(s) URL}, {@code must not
   *     carry user info; ...}
   */
  public URI url(String name) {
    Object checked = Values.httpUrl(text(name));
    if (checked instanceof String reason) {
      throw error(name, reason);
    }
    return (URI) checked;
  }

  /** As {@link #url}, or null when absent. */
  public @Nullable URI optionalUrl(String name) {
    return has(name) ? url(name) : null;
  }

  /**
   * The constant of {@code type} at {@code name}, written in any case with {@code -} or {@code _}
   * ({@code shared-secret} for {@code SHARED_SECRET}); {@code fallback} when absent.
   *
   * @throws IllegalArgumentException {@code <key>: 'x' is not one of a, b, c}
   */
  @Contract("_, _, !null -> !null")
  public <E extends Enum<E>> @Nullable E enumValue(
      String name, Class<E> type, @Nullable E fallback) {
    return Shapes.enumValue(this, name, type, fallback);
  }

  // ------------------------------------------------------------------ nesting

  /**
   * The mapping at {@code name}; empty (with its path) when absent.
   *
   * @throws IllegalArgumentException {@code <key>: expected a map, got a list}
   */
  @SuppressWarnings("unchecked")
  public ConfigMap child(String name) {
    Object v = raw(name);
    if (v == null) {
      return new ConfigMap(key(name), Map.of());
    }
    if (!(v instanceof Map)) {
      throw error(name, "expected a map, got " + Values.describe(v));
    }
    return new ConfigMap(key(name), (Map<String, Object>) v);
  }

  /**
   * The mappings under the mapping at {@code name}, by their keys in file order ({@code
   * channels.<name>}); empty when absent.
   *
   * @throws IllegalArgumentException naming the first entry that is not a map
   */
  public Map<String, ConfigMap> children(String name) {
    return Shapes.children(child(name));
  }

  /**
   * The list at {@code name}, each element of {@code elementType}; empty when absent.
   *
   * @throws IllegalArgumentException {@code <key>: expected a list, got a string}, or {@code
   *     <key>[i]: expected a string, got a map}
   */
  public <T> List<T> list(String name, Class<T> elementType) {
    return Shapes.list(this, name, elementType);
  }

  /**
   * The mappings of the list at {@code name}, each at {@code <key>[i]}; empty when absent.
   *
   * @throws IllegalArgumentException naming {@code <key>[i]} of an element that is not a map
   */
  public List<ConfigMap> maps(String name) {
    List<?> list = list(name, Map.class); // a null element: "expected a map, got nothing"
    List<ConfigMap> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(ConfigMap.of(key(name) + "[" + i + "]", list.get(i)));
    }
    return out;
  }

  /**
   * The windows of the list at {@code name}, each a map of {@code from} and {@code to} (durations,
   * {@code 0 <= from < to}); empty when absent.
   *
   * @throws IllegalArgumentException naming {@code <key>[i]} or {@code <key>[i].from} of a bad
   *     window
   */
  public List<Window> windows(String name) {
    return Shapes.windows(this, name);
  }

  /** The raw mapping, for callers that walk entries themselves. */
  public Map<String, @Nullable Object> asMap() {
    return values;
  }
}
