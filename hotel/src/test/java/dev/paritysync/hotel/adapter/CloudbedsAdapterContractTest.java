package dev.paritysync.hotel.adapter;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.sim.SimConfig;
import java.net.URI;

/** The adapter test kit for the Cloudbeds Build-To-Us dialect, with a shared secret. */
class CloudbedsAdapterContractTest extends AdapterContract {
  private static final String SECRET = "kit-secret";

  @Override
  protected SimConfig.Builder simulator() {
    return SimConfig.healthy(1).toBuilder().withDialect("cloudbeds").withSharedSecret(SECRET);
  }

  @Override
  protected ChannelAdapter adapter(URI base, ChannelMapping mapping) {
    return new CloudbedsAdapter(base, mapping, Secret.of(SECRET), "EUR", "paritysync");
  }
}
