package dev.paritysync.hotel.channel;

import dev.paritysync.core.auth.Secret;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.NullUnmarked;

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
 *     resilience: {...}           # optional, kept raw here
 *     options: {...}              # optional, adapter-specific, kept raw here (see the adapter)
 *     webhook: {...}              # optional, not read here: see WebhookConfig.parse
 *     reservations: {mode: poll}  # optional, how reservations are fetched; kept raw here
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
 * @param resilience the raw {@code resilience} block (empty when absent), parsed elsewhere
 * @param options the raw {@code options} block (empty when absent): settings only one adapter
 *     knows, read and checked by that adapter
 * @param reservations the raw {@code reservations} block (empty when absent): how the channel's
 *     reservations reach us (polling, {@code docs/polling.md}), read and checked by the application
 * @param priority the order of the channel's lanes under a binding quota ({@link
 *     ChannelPriority#DEFAULT} when absent)
 */
// Not null-checked until the configuration readers move onto core.config (issue 17): this
// reader takes YAML maps whose absent keys come back as null.
@NullUnmarked
public record ChannelConfig(
    String name,
    String adapter,
    URI baseUrl,
    Credentials credentials,
    ChannelMapping mapping,
    ChannelLimits limits,
    Map<String, Object> resilience,
    Map<String, Object> options,
    Map<String, Object> reservations,
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
    resilience = Collections.unmodifiableMap(new LinkedHashMap<>(resilience));
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    reservations = Collections.unmodifiableMap(new LinkedHashMap<>(reservations));
  }

  /** A channel without a {@code reservations} block. */
  public ChannelConfig(
      String name,
      String adapter,
      URI baseUrl,
      Credentials credentials,
      ChannelMapping mapping,
      ChannelLimits limits,
      Map<String, Object> resilience,
      Map<String, Object> options) {
    this(name, adapter, baseUrl, credentials, mapping, limits, resilience, options, Map.of());
  }

  /** A channel with the default {@linkplain ChannelPriority priority}. */
  public ChannelConfig(
      String name,
      String adapter,
      URI baseUrl,
      Credentials credentials,
      ChannelMapping mapping,
      ChannelLimits limits,
      Map<String, Object> resilience,
      Map<String, Object> options,
      Map<String, Object> reservations) {
    this(
        name,
        adapter,
        baseUrl,
        credentials,
        mapping,
        limits,
        resilience,
        options,
        reservations,
        ChannelPriority.DEFAULT);
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
    new ConfigNode("channels", channels)
        .entries()
        .forEach((name, node) -> configs.put(name, parse(node, name, secrets)));
    return Collections.unmodifiableMap(configs);
  }

  /**
   * The channel {@code name}, from the map under {@code channels.<name>}.
   *
   * @throws IllegalArgumentException naming the full key path of the first bad or unknown key
   */
  public static ChannelConfig parse(String name, Object channel, SecretResolver secrets) {
    return parse(new ConfigNode("channels." + name, channel), name, secrets);
  }

  private static ChannelConfig parse(ConfigNode node, String name, SecretResolver secrets) {
    Objects.requireNonNull(secrets, "secrets");
    Map<String, ConfigNode> e =
        node.entries(Set.of("adapter", "baseUrl", "credentials", "mapping"), KEYS);
    ConfigNode limits = e.get("limits");
    ConfigNode resilience = e.get("resilience");
    ConfigNode options = e.get("options");
    ConfigNode reservations = e.get("reservations");
    ConfigNode priority = e.get("priority");
    return new ChannelConfig(
        name,
        e.get("adapter").string(),
        e.get("baseUrl").httpUrl(),
        credentials(e.get("credentials"), secrets),
        mapping(e.get("mapping")),
        limits == null || !limits.isPresent() ? ChannelLimits.DEFAULTS : limits(limits),
        resilience == null || !resilience.isPresent() ? Map.of() : resilience.asMap(),
        options == null || !options.isPresent() ? Map.of() : options.asMap(),
        reservations == null || !reservations.isPresent() ? Map.of() : reservations.asMap(),
        priority == null || !priority.isPresent()
            ? ChannelPriority.DEFAULT
            : PriorityReader.read(priority));
  }

  private static Credentials credentials(ConfigNode node, SecretResolver secrets) {
    Map<String, ConfigNode> e = node.entries(Set.of(), List.of("oauth2", "apiKey"));
    if (e.size() != 1) {
      throw node.error("expected exactly one of oauth2, apiKey");
    }
    if (e.containsKey("oauth2")) {
      Map<String, ConfigNode> o =
          e.get("oauth2")
              .entries(
                  Set.of("tokenUrl", "clientId", "clientSecret"),
                  List.of("tokenUrl", "clientId", "clientSecret", "scope"));
      ConfigNode scope = o.get("scope");
      return new Credentials.OAuth2(
          o.get("tokenUrl").httpUrl(),
          o.get("clientId").string(),
          secret(o.get("clientSecret"), secrets),
          scope == null || !scope.isPresent() ? null : scope.string());
    }
    Map<String, ConfigNode> k =
        e.get("apiKey").entries(Set.of("header", "value"), List.of("header", "value"));
    String header = k.get("header").string();
    if (!HEADER.matcher(header).matches()) {
      throw k.get("header").error(header + " is not a valid HTTP header name");
    }
    return new Credentials.ApiKey(header, secret(k.get("value"), secrets));
  }

  private static Secret secret(ConfigNode node, SecretResolver secrets) {
    return secrets.resolve(node.path(), node.value());
  }

  private static ChannelMapping mapping(ConfigNode node) {
    Map<String, ConfigNode> e = node.entries(Set.of("rooms"), List.of("rooms", "ratePlans"));
    ConfigNode plans = e.get("ratePlans");
    return new ChannelMapping(
        codes(e.get("rooms")), plans == null || !plans.isPresent() ? Map.of() : codes(plans));
  }

  // Two PMS codes on one channel code would overwrite each other on the channel: parity could
  // never hold, so it is a configuration error.
  private static Map<String, String> codes(ConfigNode node) {
    Map<String, String> codes = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    node.entries()
        .forEach(
            (pms, value) -> {
              String channel = value.code();
              String owner = owners.putIfAbsent(channel, pms);
              if (owner != null) {
                throw value.error("channel code " + channel + " is already mapped from " + owner);
              }
              codes.put(pms, channel);
            });
    return codes;
  }

  private static ChannelLimits limits(ConfigNode node) {
    Map<String, ConfigNode> e =
        node.entries(Set.of(), List.of("maxRangesPerRequest", "maxBytesPerRequest", "perDayOnly"));
    ConfigNode ranges = e.get("maxRangesPerRequest");
    ConfigNode bytes = e.get("maxBytesPerRequest");
    ConfigNode perDay = e.get("perDayOnly");
    return new ChannelLimits(
        ranges == null ? ChannelLimits.DEFAULT_MAX_RANGES : ranges.positiveInt(),
        bytes == null ? ChannelLimits.DEFAULT_MAX_BYTES : bytes.positiveLong(),
        perDay != null && perDay.bool());
  }
}
