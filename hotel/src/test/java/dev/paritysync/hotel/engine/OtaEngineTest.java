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
 * The engine with adapter {@code ota} against a real sim speaking OpenTravel 2015A XML, over real
 * HTTP on loopback.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class OtaEngineTest extends ChannelEngineTestBase {
  @Parameter Backend backend;

  @Override
  Backend backend() {
    return backend;
  }

  /** The tests map P1 to the channel's hotel code H1 ({@code options.hotelCodes}). */
  @Override
  String channelProperty() {
    return "H1";
  }

  private HotelEngine start(SimConfig config, Map<String, Object> options) {
    return start(
        "ota",
        "ota",
        config,
        Map.of(
            "resilience", Map.of("quotas", Map.of("ari", List.of("10/1m"))), "options", options));
  }

  @Test
  void ratesAvailabilityAndRestrictionsReachParity() {
    start(SimConfig.healthy(21), Map.of("hotelCodes", Map.of("P1", "H1")));
    playParityScenario("ota");
    assertThat(sim.state("P1")).as("sent under the configured HotelCode").isEmpty();
  }

  @Test
  void aRateUnderTheFloorInsideA200IsAValidationDeadLetterNamingItsRange() {
    start(
        SimConfig.healthy(22).toBuilder().withRateFloor(new BigDecimal("50")).build(),
        Map.of("hotelCodes", Map.of("P1", "H1")));

    engine
        .ingest()
        .accept(List.of(rate(4, "10.00"), rate(6, "90.00"), availability("SGL", 4, 4, 2)));
    runFor(Duration.ofSeconds(10));

    List<QueueItem> parked = parked();
    assertThat(parked).hasSize(1);
    QueueItem item = parked.get(0);
    assertThat(item.queue()).isEqualTo(QueueItem.Queue.DEAD_LETTER);
    assertThat(item.reason()).startsWith("validation").contains("rate 10.00 is below the floor 50");
    assertThat(item.evidence().get("fieldErrors").toString()).contains("Code 320");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ranges =
        (List<Map<String, Object>>)
            ((Map<String, Object>) item.evidence().get("batch")).get("ranges");
    assertThat(ranges).hasSize(1);
    assertThat(ranges.get(0))
        .containsEntry("from", day(4).toString())
        .containsEntry("rate", "10.00");

    assertThat(cell("D1", "R1", 4)).isNull();
    assertThat(cell("D1", "R1", 6).rate()).isEqualByComparingTo("90.00");
    assertThat(cell("S1", null, 4).availability()).isEqualTo(2);
    HotelEngine.ChannelStatus s = engine.status().get("ota");
    assertThat(s.settled()).isTrue();
    assertThat(s.deadLetters()).isEqualTo(1);
  }
}
