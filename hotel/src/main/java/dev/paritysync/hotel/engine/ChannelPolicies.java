package dev.paritysync.hotel.engine;

import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.HotelDefaults;
import java.util.TreeSet;

/**
 * A channel's resilience policy as the engine runs it: its {@code resilience} block over the {@link
 * HotelDefaults}, the adapter's classification rows under the block's own, and its quota endpoints
 * checked against those the adapter sends to. The one place both the engine and {@code paritysync
 * config check} read it, so a file that checks is a file that runs. Static.
 */
public final class ChannelPolicies {
  private ChannelPolicies() {}

  /**
   * The policy of channel {@code c}, whose requests {@code adapter} encodes.
   *
   * @throws IllegalArgumentException naming the key path ({@code channels.<name>.resilience…}) of
   *     the first bad value: an unknown key, a malformed duration or row, a quota for an endpoint
   *     the adapter never sends to
   */
  public static ChannelPolicy of(ChannelConfig c, ChannelAdapter adapter) {
    // The block is read over the defaults with the adapter's table as its base: rows at
    // channels.<name>.resilience.classification[i] go under the adapter's own, read once.
    ChannelPolicy base =
        HotelDefaults.policy(c.name()).toBuilder()
            .withClassification(adapter.classification())
            .build();
    ChannelPolicy p = ChannelPolicy.fromConfig(base, c.resilience());
    for (String endpoint : p.quotas().keySet()) {
      if (!adapter.endpoints().contains(endpoint)
          && !endpoint.equals(ChannelAdapter.READ_ENDPOINT)) {
        throw new IllegalArgumentException(
            "channels."
                + c.name()
                + ".resilience.quotas."
                + endpoint
                + ": the "
                + c.adapter()
                + " adapter sends to no such endpoint; its quota endpoints are "
                + String.join(", ", new TreeSet<>(adapter.endpoints()))
                + " and "
                + ChannelAdapter.READ_ENDPOINT);
      }
    }
    return p;
  }
}
