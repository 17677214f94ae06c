package dev.paritysync.hotel.adapter;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.channel.ChannelConfig;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The adapters a channel's {@code adapter:} key may name, each built from the channel's
 * configuration. Immutable and thread-safe.
 */
public final class Adapters {
  private final Map<String, Function<ChannelConfig, ChannelAdapter>> factories;

  private Adapters(Map<String, Function<ChannelConfig, ChannelAdapter>> factories) {
    this.factories = Map.copyOf(factories);
  }

  /**
   * The adapters paritysync ships: {@code native} (the simulator's JSON dialect), {@code channex}
   * (Channex-style JSON, {@link ChannexAdapter}), {@code cloudbeds} (Cloudbeds Build-To-Us {@code
   * ARIUpdate}, {@link CloudbedsAdapter}) and {@code ota} (OpenTravel 2015A XML, {@link
   * OtaAdapter}).
   */
  public static Adapters standard() {
    return new Adapters(
        Map.of(
            "native",
            c -> new NativeJsonAdapter(c.baseUrl(), noOptions(c).mapping()),
            "channex",
            c -> new ChannexAdapter(c.baseUrl(), noOptions(c).mapping()),
            CloudbedsAdapter.NAME,
            CloudbedsAdapter::fromConfig,
            "ota",
            OtaAdapter::fromConfig));
  }

  /** {@code c}, whose adapter takes no options: any key under {@code options} is unknown. */
  private static ChannelConfig noOptions(ChannelConfig c) {
    ConfigMap options = c.options();
    for (String key : options.names()) {
      throw options.error(key, "unknown key; the " + c.adapter() + " adapter takes no options");
    }
    return c;
  }

  /** These adapters and {@code name}, built by {@code factory} (which wins over a shipped one). */
  public Adapters with(String name, Function<ChannelConfig, ChannelAdapter> factory) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(factory, "factory");
    Map<String, Function<ChannelConfig, ChannelAdapter>> m = new TreeMap<>(factories);
    m.put(name, factory);
    return new Adapters(m);
  }

  /**
   * The adapter {@code config} names.
   *
   * @throws IllegalArgumentException naming the channel and the known adapters when it is unknown
   */
  public ChannelAdapter create(ChannelConfig config) {
    Function<ChannelConfig, ChannelAdapter> f = factories.get(config.adapter());
    if (f == null) {
      throw new IllegalArgumentException(
          "channels."
              + config.name()
              + ".adapter: unknown adapter '"
              + config.adapter()
              + "'; known: "
              + String.join(", ", new TreeMap<>(factories).keySet()));
    }
    return f.apply(config);
  }
}
