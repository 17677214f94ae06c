package dev.paritysync.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of {@link ConfigMap}'s getters for numbers, lists, text maps, windows and enums.
 * Static.
 */
final class Shapes {
  private Shapes() {}

  @SuppressWarnings("unchecked")
  static <T> List<T> list(ConfigMap m, String name, Class<T> elementType) {
    Object v = m.raw(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw m.error(name, "expected a list, got " + Values.describe(v));
    }
    List<Object> list = (List<Object>) v;
    for (int i = 0; i < list.size(); i++) {
      if (!elementType.isInstance(list.get(i))) {
        throw m.error(
            name + "[" + i + "]",
            "expected a "
                + elementType.getSimpleName().toLowerCase(Locale.ROOT)
                + ", got "
                + Values.describe(list.get(i)));
      }
    }
    return (List<T>) list;
  }

  static List<String> strings(ConfigMap m, String name) {
    List<String> out = new ArrayList<>();
    List<?> list = list(m, name, Object.class);
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      if (v instanceof Map || v instanceof List || v == null) {
        throw m.error(name + "[" + i + "]", "expected a string, got " + Values.describe(v));
      }
      out.add(String.valueOf(v));
    }
    return out;
  }

  static List<Window> windows(ConfigMap m, String name) {
    List<Window> out = new ArrayList<>();
    for (ConfigMap w : m.maps(name)) {
      w.allow(List.of("from", "to"), Set.of("from", "to"));
      Duration from = w.duration("from", Duration.ZERO);
      Duration to = w.duration("to", Duration.ZERO);
      if (from.isNegative() || to.compareTo(from) <= 0) {
        throw w.error(
            "must satisfy 0 <= from < to, got [" + w.raw("from") + ", " + w.raw("to") + ")");
      }
      out.add(new Window(from, to));
    }
    return out;
  }

  static <E extends Enum<E>> @Nullable E enumValue(
      ConfigMap m, String name, Class<E> type, @Nullable E fallback) {
    Object v = m.raw(name);
    if (v == null) {
      return fallback;
    }
    E[] constants = type.getEnumConstants();
    if (v instanceof String s) {
      for (E c : constants) {
        if (Values.names(s, c)) {
          return c;
        }
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E c : constants) {
      allowed.add(Values.configName(c));
    }
    String shown = v instanceof Map || v instanceof List ? Values.describe(v) : "'" + v + "'";
    throw m.error(name, shown + " is not one of " + String.join(", ", allowed));
  }

  static String code(ConfigMap m, String name) {
    Object v = m.require(name);
    if (Values.isInteger(v)) {
      return v.toString();
    }
    if (!(v instanceof String)) {
      throw m.error(name, "expected a code (string or integer), got " + Values.describe(v));
    }
    return m.text(name);
  }

  static Map<String, ConfigMap> children(ConfigMap parent) {
    Map<String, ConfigMap> out = new LinkedHashMap<>();
    for (String k : parent.names()) {
      out.put(k, ConfigMap.of(parent.key(k), parent.raw(k)));
    }
    return out;
  }

  static int within(ConfigMap m, String name, int n, int min, int max) {
    if (n >= min && n <= max) {
      return n;
    }
    throw m.error(
        name,
        max == Integer.MAX_VALUE
            ? "must be at least " + min + ", was " + n
            : n + " is not in " + min + ".." + max);
  }

  static double within(ConfigMap m, String name, double x, double min, double max) {
    if (x >= min && x <= max) {
      return x;
    }
    throw m.error(name, "must be between " + plain(min) + " and " + plain(max) + ", was " + x);
  }

  /** {@code 1} for 1.0, {@code 0.5} for 0.5: a bound as a person writes it. */
  private static String plain(double d) {
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  static Map<String, String> texts(ConfigMap m) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : m.names()) {
      if (m.raw(k) == null) {
        throw m.error(k, "expected a text value, got nothing");
      }
      out.put(k, Objects.requireNonNull(m.string(k, null)));
    }
    return out;
  }

  static int integer(ConfigMap m, String name, Object v) {
    if (v instanceof Number n && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw m.error(name, "'" + v + "' is not a whole number");
    }
  }

  static double decimal(ConfigMap m, String name, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    String s = String.valueOf(v).trim();
    try {
      return s.endsWith("%")
          ? Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100
          : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw m.error(name, "'" + v + "' is not a number");
    }
  }

  static long positiveLong(ConfigMap m, String name, Object v) {
    if (!Values.isInteger(v)) {
      throw m.error(name, "expected an integer, got " + Values.describe(v));
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
      throw m.error(name, v + " is too large");
    }
    long n = ((Number) v).longValue();
    if (n < 1) {
      throw m.error(name, n + " is below 1");
    }
    return n;
  }

  /** A whole number from a number or its text, or the error naming the key. */
  static long whole(ConfigMap m, String name, Object v) {
    if (v instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw m.error(name, "'" + v + "' is not a whole number");
    }
  }
}
