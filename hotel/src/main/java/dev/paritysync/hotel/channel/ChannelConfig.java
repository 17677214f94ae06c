package dev.paritysync.hotel.channel;

import dev.paritysync.core.config.ConfigMap;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One channel's configuration, read from the {@code channels.<name>} block of the YAML file:
 *
 * <pre>{@code
 * channels:
 *   booking:
 *     adapter: booking            # required
 *     baseUrl: https://...        # required, http or https
 *     credentials:                # required: exactly one of oauth2, apiKey
 *       oauth2: {tokenUrl: "https://...", clientId: ps, clientSecret: "${env:BOOKING_SECRET}"}
 *       # apiKey: {header: X-Api-Key, value: "${file:/run/secrets/booking}"}
 *     mapping:                    # required
 *       rooms: {DBL: "1001"}      # PMS room type code → channel room code, required
 *       ratePlans: {BAR: "RP1"}   # PMS rate plan code → channel rate code, optional
 *     limits:                     # optional; defaults in ChannelLimits.DEFAULTS
 *       maxRangesPerRequest: 100
 *       maxBytesPerRequest: 1000000
 *       perDayOnly: false
 *     priority:                   # optional; defaults in ChannelPriority.DEFAULT
 *       order: [close, availability, rate, restriction]
 *       maxWait: 5m
 *     # priority: off               # first in, first out
 *     resilience: {...}           # optional, read by HotelDefaults.policy
 *     options: {...}              # optional, adapter-specific, read by the adapter
 *     webhook: {...}              # optional, not read here: see WebhookConfig.parse
 *     reservations: {mode: poll}  # optional, how reservations are fetched; read by the app
 * }</pre>
 *
 * <p>Secret values (the OAuth2 client secret, the API key) must be references, {@code ${env:NAME}}
 * or {@code ${file:/absolute/path}}; inline values are rejected, and no error message quotes them.
 * References are resolved once, when the configuration is parsed. Immutable and thread-safe; {@code
 * toString} shows secrets as {@code [redacted]}.
 *
 * @param name the channel's name, the key under {@code channels}
 * @param adapter the adapter that encodes requests for this channel
 * @param baseUrl the channel's base URL
 * @param credentials how to authenticate
 * @param mapping PMS codes → channel codes
 * @param limits what one request may carry
 * @param resilience the {@code resilience} block (empty when absent) at {@code
 *     channels.<name>.resilience}, read over the defaults by {@link HotelDefaults#policy(String,
 *     ConfigMap)}
 * @param options the {@code options} block (empty when absent) at {@code channels.<name>.options}:
 *     settings only one adapter knows, read and checked by that adapter (unknown keys are errors)
 * @param reservations the {@code reservations} block (empty when absent) at {@code
 *     channels.<name>.reservations}: how the channel's reservations reach us (polling, {@code
 *     docs/polling.md}), read and checked by the application
 * @param priority the order of the channel's lanes under a binding quota ({@link
 *     ChannelPriority#DEFAULT} when absent)
 */
public record ChannelConfig(
    String name,
    String adapter,
    URI baseUrl,
    Credentials credentials,
    ChannelMapping mapping,
    ChannelLimits limits,
    ConfigMap resilience,
    ConfigMap options,
    ConfigMap reservations,
    ChannelPriority priority) {

  private static final List<String> KEYS =
      List.of(
          "adapter",
          "baseUrl",
          "credentials",
          "mapping",
          "limits",
          "resilience",
          "options",
          "webhook",
          "reservations",
          "priority");
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  public ChannelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(adapter, "adapter");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(priority, "priority");
    resilience = fresh(Objects.requireNonNull(resilience, "resilience"));
    options = fresh(Objects.requireNonNull(options, "options"));
    reservations = fresh(Objects.requireNonNull(reservations, "reservations"));
  }

  /**
   * The {@code resilience} block, a fresh view on each call: a reader's {@link
   * ConfigMap#rejectUnknown} sees only the keys that reader asked for.
   */
  @Override
  public ConfigMap resilience() {
    return fresh(resilience);
  }

  /** The {@code options} block, a fresh view on each call (as {@link #resilience()}). */
  @Override
  public ConfigMap options() {
    return fresh(options);
  }

  /** The {@code reservations} block, a fresh view on each call (as {@link #resilience()}). */
  @Override
  public ConfigMap reservations() {
    return fresh(reservations);
  }

  private static ConfigMap fresh(ConfigMap block) {
    return new ConfigMap(block.path(), block.asMap());
  }

  /** This channel with {@code priority} instead of its own. */
  public ChannelConfig withPriority(ChannelPriority priority) {
    return new ChannelConfig(
        name,
        adapter,
        baseUrl,
        credentials,
        mapping,
        limits,
        resilience,
        options,
        reservations,
        priority);
  }

  /**
   * Every channel of a YAML {@code channels} block, by name, in file order.
   *
   * @throws IllegalArgumentException naming the full key path ({@code channels.booking.baseUrl}) of
   *     the first bad or unknown key
   */
  public static Map<String, ChannelConfig> parseAll(Object channels, SecretResolver secrets) {
    Map<String, ChannelConfig> configs = new LinkedHashMap<>();
    ConfigMap all = ConfigMap.of("channels", channels);
    for (String name : all.names()) {
      configs.put(name, parse(ConfigMap.of(all.key(name), all.raw(name)), name, secrets));
    }
    return Collections.unmodifiableMap(configs);
  }

  /**
   * The channel {@code name}, from the map under {@code channels.<name>}.
   *
   * @throws IllegalArgumentException naming the full key path of the first bad or unknown key
   */
  public static ChannelConfig parse(String name, Object channel, SecretResolver secrets) {
    return parse(ConfigMap.of("channels." + name, channel), name, secrets);
  }

  /**
   * The channel {@code name} from its block {@code node} ({@code channels.<name>}), as the
   * configuration file's loader reads it.
   *
   * @throws IllegalArgumentException naming the full key path of the first bad or unknown key
   */
  public static ChannelConfig parse(ConfigMap node, String name, SecretResolver secrets) {
    Objects.requireNonNull(secrets, "secrets");
    node.allow(KEYS, Set.of("adapter", "baseUrl", "credentials", "mapping"));
    return new ChannelConfig(
        name,
        node.text("adapter"),
        node.url("baseUrl"),
        credentials(map(node, "credentials"), secrets),
        mapping(map(node, "mapping")),
        node.has("limits") ? limits(node.child("limits")) : ChannelLimits.DEFAULTS,
        node.child("resilience"),
        node.child("options"),
        node.child("reservations"),
        node.has("priority") ? PriorityReader.read(node) : ChannelPriority.DEFAULT);
  }

  /** The map at {@code name}, which must be one (a key written without a value is not). */
  private static ConfigMap map(ConfigMap node, String name) {
    return ConfigMap.of(node.key(name), node.raw(name));
  }

  private static Credentials credentials(ConfigMap node, SecretResolver secrets) {
    node.allow("oauth2", "apiKey");
    if (node.asMap().size() != 1) {
      throw node.error("expected exactly one of oauth2, apiKey");
    }
    if (node.asMap().containsKey("oauth2")) {
      ConfigMap o =
          map(node, "oauth2")
              .allow(
                  List.of("tokenUrl", "clientId", "clientSecret", "scope"),
                  Set.of("tokenUrl", "clientId", "clientSecret"));
      return new Credentials.OAuth2(
          o.url("tokenUrl"),
          o.text("clientId"),
          o.secret("clientSecret", secrets),
          o.optionalText("scope"));
    }
    ConfigMap k = map(node, "apiKey").allow(List.of("header", "value"), Set.of("header", "value"));
    String header = k.text("header");
    if (!HEADER.matcher(header).matches()) {
      throw k.error("header", header + " is not a valid HTTP header name");
    }
    return new Credentials.ApiKey(header, k.secret("value", secrets));
  }

  private static ChannelMapping mapping(ConfigMap node) {
    node.allow(List.of("rooms", "ratePlans"), Set.of("rooms"));
    return new ChannelMapping(
        codes(map(node, "rooms")),
        node.has("ratePlans") ? codes(map(node, "ratePlans")) : Map.of());
  }

  // Two PMS codes on one channel code would overwrite each other on the channel: parity could
  // never hold, so it is a configuration error.
  private static Map<String, String> codes(ConfigMap node) {
    Map<String, String> codes = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (String pms : node.names()) {
      String channel = node.code(pms);
      String owner = owners.putIfAbsent(channel, pms);
      if (owner != null) {
        throw node.error(pms, "channel code " + channel + " is already mapped from " + owner);
      }
      codes.put(pms, channel);
    }
    return codes;
  }

  private static ChannelLimits limits(ConfigMap node) {
    node.allow("maxRangesPerRequest", "maxBytesPerRequest", "perDayOnly");
    return new ChannelLimits(
        node.positiveInt("maxRangesPerRequest", ChannelLimits.DEFAULT_MAX_RANGES),
        node.positiveSize("maxBytesPerRequest", ChannelLimits.DEFAULT_MAX_BYTES),
        node.bool("perDayOnly", false));
  }
}
