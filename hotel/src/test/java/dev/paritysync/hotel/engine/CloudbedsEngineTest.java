package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.QueueItem;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine with adapter {@code cloudbeds} against a real sim speaking the Cloudbeds Build-To-Us
 * dialect, with a shared secret.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class CloudbedsEngineTest extends ChannelEngineTestBase {
  @Parameter Backend backend;

  @Override
  Backend backend() {
    return backend;
  }

  private HotelEngine start(SimConfig config) {
    return start(config, "EUR");
  }

  private HotelEngine start(SimConfig config, String currency) {
    return start(config, currency, "on");
  }

  private HotelEngine start(SimConfig config, String currency, String priority) {
    return start(
        "cb",
        "cloudbeds",
        config.toBuilder().withSharedSecret(SECRET).build(),
        Map.of(
            "credentials",
            Map.of("apiKey", Map.of("header", "X-Shared-Secret", "value", "${env:CHANNEL_SECRET}")),
            "resilience",
            Map.of("quotas", Map.of("ari", List.of("10/1m"))),
            "options",
            Map.of("currency", currency),
            "priority",
            priority));
  }

  @Test
  void ratesAvailabilityAndRestrictionsReachParity() {
    start(SimConfig.healthy(11));
    playParityScenario("cb");
  }

  @Test
  void aRateUnderTheFloorIsAValidationDeadLetterOnlyItsRangeParkedAndTheSecretNotKept() {
    // first in, first out: the scenario's availability travels in the rate's batch (with the
    // lanes, the default, it would go in a batch of its own and nothing of it would be resent)
    start(
        SimConfig.healthy(12).toBuilder().withRateFloor(new BigDecimal("50")).build(),
        "EUR",
        "off");
    QueueItem item = playRateFloorScenario("cb", "Inventory\\[\\d+]\\.rate");
    assertThat(item.evidence().toString()).doesNotContain(SECRET).contains("shared_secret");
  }

  @Test
  void aBatchTheAdapterCannotEncodeIsDeadLetteredOnceAndTheChannelGoesOn() {
    // The channel is configured for USD while the portfolio's rates are in EUR.
    start(SimConfig.healthy(13), "USD");

    engine.ingest().accept(List.of(rate(1, "120.00")));
    runFor(Duration.ofSeconds(5));

    List<QueueItem> parked = parked();
    assertThat(parked)
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.queue()).isEqualTo(QueueItem.Queue.DEAD_LETTER);
              assertThat(item.reason())
                  .startsWith("configuration: the adapter cannot encode this batch: ")
                  .contains("EUR")
                  .contains("USD");
            });
    assertThat(sim.stats().requests()).isZero();
    HotelEngine.ChannelStatus s = engine.status().get("cb");
    assertThat(s.settled()).isTrue();
    assertThat(s.deadLetters()).isEqualTo(1);
  }
}
