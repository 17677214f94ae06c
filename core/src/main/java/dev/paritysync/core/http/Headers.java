package dev.paritysync.core.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Response or request headers with case-insensitive names. Immutable. */
public final class Headers {
  private static final Headers EMPTY = new Headers(new TreeMap<>());
  private final Map<String, List<String>> values;

  private Headers(TreeMap<String, List<String>> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static Headers empty() {
    return EMPTY;
  }

  /** Copies {@code map}; names are compared without regard to case. */
  public static Headers of(Map<String, List<String>> map) {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    map.forEach(
        (k, v) -> {
          if (k != null) {
            copy.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v);
          }
        });
    copy.replaceAll((k, v) -> List.copyOf(v));
    return new Headers(copy);
  }

  /** Headers from alternating names and values: {@code of("Retry-After", "5", "Date", "...")}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.computeIfAbsent(namesAndValues[i], x -> new ArrayList<>()).add(namesAndValues[i + 1]);
    }
    return of(map);
  }

  /** The first value of {@code name}, trimmed. */
  public Optional<String> first(String name) {
    List<String> list = values.get(name);
    return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0).trim());
  }

  /** Every value of {@code name}, in order. */
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** The headers as a map with case-insensitive keys. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    values.forEach(
        (k, v) ->
            sb.append(sb.length() > 1 ? ", " : "")
                .append(k)
                .append('=')
                .append(Redaction.isSecretHeader(k.toLowerCase(Locale.ROOT)) ? "[redacted]" : v));
    return sb.append('}').toString();
  }
}
