package dev.paritysync.hotel.adapter;

import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.sim.SimConfig;
import java.net.URI;

/** The adapter test kit for the Channex-style dialect. */
class ChannexAdapterContractTest extends AdapterContract {
  @Override
  protected SimConfig.Builder simulator() {
    return SimConfig.healthy(1).toBuilder().withDialect("channex");
  }

  @Override
  protected ChannelAdapter adapter(URI base, ChannelMapping mapping) {
    return new ChannexAdapter(base, mapping);
  }
}
