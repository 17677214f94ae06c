package dev.paritysync.app.demo;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.hotel.adapter.Adapters;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.sim.SimChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The demo's three channels as a user would configure them (adapter, credentials, mapping,
 * resilience and limits), parsed by the same {@link ChannelConfig} the configuration file goes
 * through.
 */
final class DemoChannels {
  private final long seed;
  private final List<String> adapters;

  /** {@code adapters}: one per channel of {@link EngineDemo#CHANNELS}, in order. */
  DemoChannels(long seed, List<String> adapters) {
    this.seed = seed;
    this.adapters = adapters;
  }

  /** The entry of {@code map} for demo channel {@code name}, which the demo always has. */
  static <V> V named(Map<String, V> map, String name) {
    return Objects.requireNonNull(map.get(name), () -> "the demo has no channel " + name);
  }

  /**
   * The channels as a user would configure them: the healthy one with an API key, the flaky one
   * with OAuth2 and a policy for its usual failure rate, the outage one with a quicker circuit and
   * no mapping for rate plan BB.
   */
  Map<String, ChannelConfig> configs(Map<String, SimChannel> sims) {
    SecretResolver secrets = secrets();
    Map<String, Object> all = new LinkedHashMap<>();
    all.put(
        "healthy",
        channel(
            "healthy",
            named(sims, "healthy"),
            Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:HEALTHY_KEY}")),
            mapping(List.of(EngineDemo.PLANS)),
            Map.of(),
            Map.of()));
    all.put("flaky", flaky(named(sims, "flaky")));
    all.put(
        "outage",
        channel(
            "outage",
            named(sims, "outage"),
            Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:HEALTHY_KEY}")),
            mapping(List.of("BAR", "NRF")),
            Map.of(
                "backoff",
                Map.of("base", "500ms", "cap", "5s", "maxRetries", 12, "jitter", "full"),
                "circuitBreaker",
                Map.of("consecutiveFailures", 5, "open", "4s", "halfOpenCalls", 2)),
            // smaller requests: a batch this channel rejects parks fewer innocent cells with it
            Map.of("maxRangesPerRequest", 40)));
    return ChannelConfig.parseAll(all, secrets);
  }

  /** The demo's secrets, from a fixed environment of its own. */
  private SecretResolver secrets() {
    Map<String, String> env =
        Map.of(
            "HEALTHY_KEY",
            "demo-key-" + seed,
            "FLAKY_SECRET",
            "demo-secret",
            "CLOUDBEDS_SECRET",
            EngineDemo.CLOUDBEDS_SECRET);
    return new SecretResolver() {
      @Override
      public Secret env(String name) {
        String v = env.get(name);
        if (v == null) {
          throw new IllegalArgumentException("demo secret " + name + " is not defined");
        }
        return Secret.of(v);
      }

      @Override
      public Secret file(Path file) {
        throw new IllegalArgumentException("the demo reads no secret files: " + file);
      }
    };
  }

  /**
   * The flaky channel: OAuth2 unless its dialect has its own scheme, and a policy for its usual
   * failure rate.
   */
  private Map<String, Object> flaky(SimChannel sim) {
    return channel(
        "flaky",
        sim,
        oauth("flaky")
            ? Map.of(
                "oauth2",
                Map.of(
                    "tokenUrl",
                    sim.baseUri().resolve("/oauth/token").toString(),
                    "clientId",
                    "paritysync-demo",
                    "clientSecret",
                    "${env:FLAKY_SECRET}"))
            : Map.of(),
        mapping(List.of(EngineDemo.PLANS)),
        // ~30 % of this channel's answers are failures: its budget allows that many retries,
        // and its circuit opens when it is worse than its usual self.
        Map.of(
            "backoff",
            Map.of("base", "500ms", "cap", "10s", "maxRetries", 10, "jitter", "full"),
            "retryBudget",
            Map.of("ratio", 0.6, "minRetries", 20, "window", "1m"),
            "quotas",
            perEndpoint("flaky", List.of("20/1s")),
            "circuitBreaker",
            Map.of(
                "failureRate",
                "70%",
                "window",
                40,
                "minimumCalls",
                20,
                "consecutiveFailures",
                12,
                "open",
                "5s",
                "halfOpenCalls",
                3)),
        Map.of());
  }

  /**
   * Whether {@code channel} authenticates with OAuth2 (the flaky one, unless its dialect has its
   * own scheme: Cloudbeds' shared secret).
   */
  boolean oauth(String channel) {
    return channel.equals("flaky")
        && !adapters.get(EngineDemo.CHANNELS.indexOf(channel)).equals(EngineDemo.CLOUDBEDS);
  }

  /** {@code channel}'s adapter name and what the simulator speaks, for the header. */
  String adapter(String channel) {
    String a = adapters.get(EngineDemo.CHANNELS.indexOf(channel));
    return a.equals(EngineDemo.NATIVE) ? "native JSON" : a;
  }

  private Map<String, Object> channel(
      String name,
      SimChannel sim,
      Map<String, Object> credentials,
      Map<String, Object> mapping,
      Map<String, Object> resilience,
      Map<String, Object> limits) {
    Map<String, Object> c = new LinkedHashMap<>();
    String adapter = adapters.get(EngineDemo.CHANNELS.indexOf(name));
    c.put("adapter", adapter);
    c.put("baseUrl", sim.baseUri().toString());
    if (adapter.equals(EngineDemo.CLOUDBEDS)) {
      // Cloudbeds authenticates with a shared secret, whatever the channel would do otherwise.
      c.put(
          "credentials",
          Map.of(
              "apiKey", Map.of("header", "X-Shared-Secret", "value", "${env:CLOUDBEDS_SECRET}")));
      c.put("options", Map.of("currency", "EUR"));
    } else {
      c.put("credentials", credentials);
    }
    c.put("mapping", mapping);
    if (!limits.isEmpty()) {
      c.put("limits", limits);
    }
    if (!resilience.isEmpty()) {
      c.put("resilience", resilience);
    }
    return c;
  }

  /** {@code windows} for every quota endpoint of {@code channel}'s adapter. */
  private Map<String, Object> perEndpoint(String channel, List<String> windows) {
    ChannelConfig probe =
        ChannelConfig.parse(
            channel,
            Map.of(
                "adapter",
                adapters.get(EngineDemo.CHANNELS.indexOf(channel)),
                "baseUrl",
                "http://127.0.0.1:9/",
                "credentials",
                Map.of("apiKey", Map.of("header", "X-Probe", "value", "${env:PROBE}")),
                "mapping",
                Map.of("rooms", Map.of(), "ratePlans", Map.of("BAR", "BAR")),
                "options",
                adapters.get(EngineDemo.CHANNELS.indexOf(channel)).equals(EngineDemo.CLOUDBEDS)
                    ? Map.of("currency", "EUR")
                    : Map.of()),
            SecretResolver.fromMap(Map.of("env:PROBE", "probe")));
    Map<String, Object> quotas = new TreeMap<>();
    for (String endpoint : Adapters.standard().create(probe).endpoints()) {
      quotas.put(endpoint, windows);
    }
    return quotas;
  }

  /** Channel room codes are {@code D-<PMS code>}; rate plans keep their codes. */
  private static Map<String, Object> mapping(List<String> plans) {
    Map<String, Object> rooms = new LinkedHashMap<>();
    for (String room : EngineDemo.ROOMS) {
      rooms.put(room, "D-" + room);
    }
    Map<String, Object> ratePlans = new LinkedHashMap<>();
    for (String plan : plans) {
      ratePlans.put(plan, plan);
    }
    return Map.of("rooms", rooms, "ratePlans", ratePlans);
  }
}
