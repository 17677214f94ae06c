package dev.paritysync.sim;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.config.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads a {@link SimConfig} through core's {@link ConfigMap}; every error names its key. */
final class SimConfigReader {
  /** The default lifetime of a simulated OAuth2 token, when {@code oauth.tokenTtl} is absent. */
  static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);

  private static final List<String> KEYS =
      List.of(
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

  /** The presets a file may start from. */
  enum Preset {
    HEALTHY,
    FLAKY
  }

  private SimConfigReader() {}

  static SimConfig read(ConfigMap c) {
    c.allow(KEYS, java.util.Set.of());
    long seed = c.longInteger("seed", 0);
    SimConfig.Builder b =
        (c.enumValue("preset", Preset.class, Preset.HEALTHY) == Preset.FLAKY
                ? SimConfig.flaky(seed)
                : SimConfig.healthy(seed))
            .toBuilder();
    if (c.has("port")) {
      b.withPort(c.integer("port", 0));
    }
    if (c.has("maxUpdatesPerRequest")) {
      b.withMaxUpdatesPerRequest(c.integer("maxUpdatesPerRequest", 0));
    }
    if (c.has("maxBodyBytes")) {
      b.withMaxBodyBytes(c.size("maxBodyBytes", 0));
    }
    ConfigMap quotas = c.child("quotas");
    for (String kind : quotas.names()) {
      b.withQuota(kind, quotas.list(kind, String.class).toArray(String[]::new));
    }
    if (c.has("retryAfterStyle")) { // present: the fallback is never used
      b.withRetryAfterStyle(
          c.enumValue(
              "retryAfterStyle",
              SimConfig.RetryAfterStyle.class,
              SimConfig.RetryAfterStyle.SECONDS));
    }
    faults(c, b);
    for (Window w : c.windows("outages")) {
      b.withOutage(w.from(), w.to());
    }
    List<String> cells = c.strings("conflictCells");
    for (int i = 0; i < cells.size(); i++) {
      SimConfigChecks.parseCell(c.key("conflictCells") + "[" + i + "]", cells.get(i));
      b.withConflictCell(cells.get(i));
    }
    if (c.has("rateFloor")) {
      b.withRateFloor(rateFloor(c));
    }
    if (c.has("oauth")) {
      ConfigMap o =
          c.child("oauth")
              .allow(
                  List.of("clientId", "clientSecret", "tokenTtl"),
                  java.util.Set.of("clientId", "clientSecret"));
      b.withOAuth(
          o.text("clientId"),
          o.text("clientSecret"),
          o.positiveDuration("tokenTtl", DEFAULT_TOKEN_TTL));
    }
    if (c.has("honorIdempotencyKeys")) {
      b.withIdempotencyKeysHonored(c.bool("honorIdempotencyKeys", true));
    }
    return b.build(); // build() messages name the setting
  }

  private static void faults(ConfigMap c, SimConfig.Builder b) {
    Map<String, java.util.function.DoubleConsumer> probabilities =
        Map.of(
            "p500", b::withP500,
            "p502", b::withP502,
            "p503", b::withP503,
            "p504", b::withP504,
            "p429", b::withP429,
            "pReset", b::withPReset,
            "pSlow", b::withPSlow,
            "pDropUpdate", b::withPDropUpdate);
    probabilities.forEach(
        (key, set) -> {
          if (c.has(key)) {
            set.accept(c.decimalIn(key, 0, 0, 1));
          }
        });
    if (c.has("slowDelay")) {
      b.withSlowDelay(c.duration("slowDelay", Duration.ZERO));
    }
    if (c.has("latency")) {
      b.withLatency(c.duration("latency", Duration.ZERO));
    }
    if (c.has("dialect")) {
      b.withDialect(c.text("dialect").trim());
    }
    if (c.has("sharedSecret")) {
      b.withSharedSecret(c.text("sharedSecret"));
    }
  }

  private static BigDecimal rateFloor(ConfigMap c) {
    Object v = c.raw("rateFloor");
    try {
      return new BigDecimal(String.valueOf(v).trim());
    } catch (NumberFormatException ex) {
      throw c.error("rateFloor", "expected a decimal, got '" + v + "'");
    }
  }
}
