package dev.paritysync.hotel.adapter;

import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.sim.SimConfig;
import java.net.URI;

/** The adapter test kit for the OpenTravel 2015A XML dialect. */
class OtaAdapterContractTest extends AdapterContract {
  @Override
  protected SimConfig.Builder simulator() {
    return SimConfig.healthy(1).toBuilder().withDialect("ota");
  }

  @Override
  protected ChannelAdapter adapter(URI base, ChannelMapping mapping) {
    return OtaAdapter.builder(base, mapping).build();
  }
}
