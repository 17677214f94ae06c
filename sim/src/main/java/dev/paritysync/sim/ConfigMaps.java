package dev.paritysync.sim;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a {@link SimConfig} from a YAML-shaped map; every error names its key. */
final class ConfigMaps {
  private static final Set<String> KEYS =
      Set.of(
          "preset",
          "seed",
          "port",
          "maxUpdatesPerRequest",
          "maxBodyBytes",
          "quotas",
          "retryAfterStyle",
          "p500",
          "p502",
          "p503",
          "p504",
          "p429",
          "pReset",
          "pSlow",
          "slowDelay",
          "outages",
          "conflictCells",
          "rateFloor",
          "oauth",
          "honorIdempotencyKeys",
          "latency",
          "dialect",
          "sharedSecret",
          "pDropUpdate");

  private ConfigMaps() {}

  static SimConfig fromMap(Map<String, ?> map) {
    for (String key : map.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key '" + key + "' (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
      }
    }
    long seed = map.containsKey("seed") ? longValue("seed", map.get("seed")) : 0;
    SimConfig.Builder b;
    Object preset = map.get("preset");
    if (preset == null || "healthy".equals(preset)) {
      b = SimConfig.healthy(seed).toBuilder();
    } else if ("flaky".equals(preset)) {
      b = SimConfig.flaky(seed).toBuilder();
    } else {
      throw new IllegalArgumentException("preset: expected healthy or flaky, got '" + preset + "'");
    }
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      try {
        apply(b, k, v);
      } catch (ClassCastException ex) {
        throw new IllegalArgumentException(k + ": unexpected type " + typeName(v), ex);
      }
    }
    return b.build(); // build() messages name the setting
  }

  private static void apply(SimConfig.Builder b, String k, Object v) {
    switch (k) {
      case "preset", "seed" -> {}
      case "port" -> b.withPort((int) longValue(k, v));
      case "maxUpdatesPerRequest" -> b.withMaxUpdatesPerRequest((int) longValue(k, v));
      case "maxBodyBytes" -> b.withMaxBodyBytes(longValue(k, v));
      case "quotas" -> quotas(b, k, v);
      case "retryAfterStyle" -> {
        String s = string(k, v).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
          b.withRetryAfterStyle(SimConfig.RetryAfterStyle.valueOf(s));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(
              k + ": expected seconds, http_date or absent, got '" + v + "'", ex);
        }
      }
      case "p500" -> b.withP500(doubleValue(k, v));
      case "p502" -> b.withP502(doubleValue(k, v));
      case "p503" -> b.withP503(doubleValue(k, v));
      case "p504" -> b.withP504(doubleValue(k, v));
      case "p429" -> b.withP429(doubleValue(k, v));
      case "pReset" -> b.withPReset(doubleValue(k, v));
      case "pSlow" -> b.withPSlow(doubleValue(k, v));
      case "pDropUpdate" -> b.withPDropUpdate(doubleValue(k, v));
      case "slowDelay" -> b.withSlowDelay(duration(k, v));
      case "latency" -> b.withLatency(duration(k, v));
      case "dialect" -> b.withDialect(string(k, v).trim());
      case "sharedSecret" -> b.withSharedSecret(string(k, v));
      case "outages" -> outages(b, k, v);
      case "conflictCells" -> {
        List<?> list = list(k, v);
        for (int i = 0; i < list.size(); i++) {
          String key = k + "[" + i + "]";
          String cell = string(key, list.get(i));
          SimConfigChecks.parseCell(key, cell);
          b.withConflictCell(cell);
        }
      }
      case "rateFloor" -> {
        try {
          b.withRateFloor(new BigDecimal(String.valueOf(v).trim()));
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException(k + ": expected a decimal, got '" + v + "'", ex);
        }
      }
      case "oauth" -> oauth(b, k, v);
      case "honorIdempotencyKeys" -> {
        if (!(v instanceof Boolean bool)) {
          throw new IllegalArgumentException(k + ": expected true or false, got " + typeName(v));
        }
        b.withIdempotencyKeysHonored(bool);
      }
      default -> throw new IllegalStateException(k);
    }
  }

  /** {@code quotas}: per kind of request, its windows ({@code "20/1s"}). */
  private static void quotas(SimConfig.Builder b, String k, Object v) {
    for (Map.Entry<?, ?> q : map(k, v).entrySet()) {
      String kind = String.valueOf(q.getKey());
      List<?> specs = list(k + "." + kind, q.getValue());
      String[] arr = new String[specs.size()];
      for (int i = 0; i < arr.length; i++) {
        arr[i] = string(k + "." + kind + "[" + i + "]", specs.get(i));
      }
      b.withQuota(kind, arr);
    }
  }

  /** {@code outages}: windows from and to, measured from the start. */
  private static void outages(SimConfig.Builder b, String k, Object v) {
    List<?> list = list(k, v);
    for (int i = 0; i < list.size(); i++) {
      String key = k + "[" + i + "]";
      Map<?, ?> w = map(key, list.get(i));
      Duration from = duration(key + ".from", require(key, w, "from"));
      Duration to = duration(key + ".to", require(key, w, "to"));
      try {
        b.withOutage(from, to);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(key + ": " + ex.getMessage(), ex);
      }
    }
  }

  /** {@code oauth}: client id and secret, and how long a token lives (default 1 h). */
  private static void oauth(SimConfig.Builder b, String k, Object v) {
    Map<?, ?> o = map(k, v);
    for (Object ok : o.keySet()) {
      if (!Set.of("clientId", "clientSecret", "tokenTtl").contains(String.valueOf(ok))) {
        throw new IllegalArgumentException(
            "unknown key '"
                + k
                + "."
                + ok
                + "' (known: oauth.clientId, oauth.clientSecret, oauth.tokenTtl)");
      }
    }
    b.withOAuth(
        string(k + ".clientId", require(k, o, "clientId")),
        string(k + ".clientSecret", require(k, o, "clientSecret")),
        o.containsKey("tokenTtl")
            ? duration(k + ".tokenTtl", o.get("tokenTtl"))
            : Duration.ofHours(1));
  }

  private static Object require(String key, Map<?, ?> m, String name) {
    Object v = m.get(name);
    if (v == null) {
      throw new IllegalArgumentException(key + "." + name + ": required");
    }
    return v;
  }

  private static long longValue(String key, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + ": expected an integer, got '" + s + "'", e);
      }
    }
    throw new IllegalArgumentException(key + ": expected an integer, got " + typeName(v));
  }

  private static double doubleValue(String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + ": expected a number, got '" + s + "'", e);
      }
    }
    throw new IllegalArgumentException(key + ": expected a number, got " + typeName(v));
  }

  private static Duration duration(String key, Object v) {
    if (v instanceof Duration d) {
      return d;
    }
    if (v instanceof String s) {
      return dev.paritysync.core.config.Durations.parse(key, s);
    }
    throw new IllegalArgumentException(
        key + ": expected a duration like 500ms, 10s, 2m or PT10S, got " + typeName(v));
  }

  private static String string(String key, Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(key + ": expected a string, got " + typeName(v));
  }

  private static List<?> list(String key, Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(key + ": expected a list, got " + typeName(v));
  }

  private static Map<?, ?> map(String key, Object v) {
    if (v instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(key + ": expected a map, got " + typeName(v));
  }

  private static String typeName(Object v) {
    return v == null ? "null" : v.getClass().getSimpleName() + " '" + v + "'";
  }
}
