package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Restrictions;
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
            Map.of("currency", currency)));
  }

  @Test
  void ratesAvailabilityAndRestrictionsReachParity() {
    start(SimConfig.healthy(11));

    engine
        .ingest()
        .accept(
            List.of(
                rate(1, "120.00"),
                rate(2, "130.50"),
                availability("SGL", 1, 3, 5),
                Change.builder("P1", "DBL", day(3), day(3))
                    .withRatePlan("BAR")
                    .withRestrictions(Restrictions.none().withMinLos(2).withClosedToArrival(true))
                    .build()));
    runFor(Duration.ofSeconds(10));
    engine.ingest().accept(List.of(rate(1, "125.00"), availability("SGL", 2, 2, 0)));
    runFor(Duration.ofSeconds(10));

    assertThat(cell("D1", "R1", 1).rate()).isEqualByComparingTo("125.00");
    assertThat(cell("D1", "R1", 2).rate()).isEqualByComparingTo("130.50");
    assertThat(cell("S1", null, 1).availability()).isEqualTo(5);
    assertThat(cell("S1", null, 2).availability()).isZero();
    assertThat(cell("S1", null, 3).availability()).isEqualTo(5);
    assertThat(cell("D1", "R1", 3).minLos()).isEqualTo(2);
    assertThat(cell("D1", "R1", 3).closedToArrival()).isTrue();
    assertThat(sim.stats().doubleApplications()).isZero();
    HotelEngine.ChannelStatus s = engine.status().get("cb");
    assertThat(s.settled()).isTrue();
    assertThat(s.deadLetters()).isZero();
    assertThat(s.cellsAtParity()).isEqualTo(6); // DBL/BAR days 1-3, SGL days 1-3
  }

  @Test
  void aRateUnderTheFloorIsAValidationDeadLetterOnlyItsRangeParkedAndTheSecretNotKept() {
    start(SimConfig.healthy(12).toBuilder().withRateFloor(new BigDecimal("50")).build());

    engine
        .ingest()
        .accept(List.of(rate(4, "10.00"), rate(6, "90.00"), availability("SGL", 4, 4, 2)));
    runFor(Duration.ofSeconds(10));

    List<QueueItem> parked = parked();
    assertThat(parked).hasSize(1);
    QueueItem item = parked.get(0);
    assertThat(item.queue()).isEqualTo(QueueItem.Queue.DEAD_LETTER);
    assertThat(item.reason())
        .startsWith("validation")
        .containsPattern("Inventory\\[\\d+]\\.rate")
        .contains("rate 10.00 is below the floor 50");
    assertThat(item.evidence().get("fieldErrors").toString())
        .containsPattern("Inventory\\[\\d+]\\.rate");
    assertThat(item.evidence().toString()).doesNotContain(SECRET).contains("shared_secret");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ranges =
        (List<Map<String, Object>>)
            ((Map<String, Object>) item.evidence().get("batch")).get("ranges");
    assertThat(ranges).hasSize(1);
    assertThat(ranges.get(0))
        .containsEntry("from", day(4).toString())
        .containsEntry("rate", "10.00");
    assertThat(item.evidence().get("cellsResent")).isEqualTo(2);

    assertThat(cell("D1", "R1", 4)).isNull();
    assertThat(cell("D1", "R1", 6).rate()).isEqualByComparingTo("90.00");
    assertThat(cell("S1", null, 4).availability()).isEqualTo(2);
    HotelEngine.ChannelStatus s = engine.status().get("cb");
    assertThat(s.settled()).isTrue();
    assertThat(s.deadLetters()).isEqualTo(1);
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
