package dev.paritysync.app.config;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.hotel.adapter.Adapters;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.channel.WebhookConfig;
import dev.paritysync.hotel.engine.ChannelPolicies;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code channels:} section read once: per channel its configuration, its webhook and
 * reservations blocks, and its resilience policy as the engine runs it (the adapter built and its
 * options checked on the way).
 */
record Channels(
    Map<String, ChannelConfig> configs,
    Map<String, WebhookConfig> webhooks,
    Map<String, ChannelPolicy> policies,
    Map<String, PollingConfig> polling) {

  /**
   * Every channel block of {@code blocks}, by name in file order.
   *
   * @throws IllegalArgumentException naming the full key path of the first bad or unknown value
   */
  static Channels read(Map<String, ConfigMap> blocks, SecretResolver secrets) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("channels: is empty; configure at least one channel");
    }
    Map<String, ChannelConfig> configs = new LinkedHashMap<>();
    Map<String, WebhookConfig> webhooks = new LinkedHashMap<>();
    Map<String, ChannelPolicy> policies = new LinkedHashMap<>();
    Map<String, PollingConfig> polling = new LinkedHashMap<>();
    Adapters adapters = Adapters.standard();
    blocks.forEach(
        (name, block) -> {
          ChannelConfig c = ChannelConfig.parse(block, name, secrets);
          configs.put(name, c);
          if (block.has("webhook")) {
            webhooks.put(name, WebhookConfig.parse(block.child("webhook"), secrets));
          }
          if (!c.reservations().asMap().isEmpty()) {
            polling.put(name, PollingConfig.parse(name, c.reservations()));
          }
          policies.put(name, ChannelPolicies.of(c, adapters.create(c)));
        });
    return new Channels(
        Collections.unmodifiableMap(configs),
        Collections.unmodifiableMap(webhooks),
        Collections.unmodifiableMap(policies),
        Collections.unmodifiableMap(polling));
  }
}
