package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine with adapter {@code channex} against a real sim speaking the Channex dialect. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ChannexEngineTest extends ChannelEngineTestBase {
  @Parameter Backend backend;

  @Override
  Backend backend() {
    return backend;
  }

  private HotelEngine start(SimConfig config) {
    return start(config, Map.of()); // Channex's documented quotas, the adapter's defaults
  }

  private HotelEngine start(SimConfig config, Map<String, Object> resilience) {
    return start(
        "cx",
        "channex",
        config,
        Map.of(
            "credentials",
            Map.of("apiKey", Map.of("header", "user-api-key", "value", "${env:CHANNEL_SECRET}")),
            "resilience",
            resilience));
  }

  /**
   * With priority off (first in, first out): only then does one batch carry availability and rates
   * together — with the lanes (the default) each kind goes in batches of its own.
   */
  private HotelEngine startFifo(SimConfig config) {
    return start(
        "cx",
        "channex",
        config,
        Map.of(
            "credentials",
            Map.of("apiKey", Map.of("header", "user-api-key", "value", "${env:CHANNEL_SECRET}")),
            "priority",
            "off"));
  }

  @Test
  void ratesAvailabilityAndRestrictionsReachParity() {
    start(SimConfig.healthy(11));
    playParityScenario("cx");
  }

  @Test
  void aRateUnderTheFloorIsAValidationDeadLetterAndOnlyItsRangeIsParked() {
    startFifo(SimConfig.healthy(12).toBuilder().withRateFloor(new BigDecimal("50")).build());
    playRateFloorScenario("cx", "values\\.\\d+\\.rate");
  }

  @Test
  void aBatchOfBothKindsIsTwoRequestsAndOnlyTheWaitingOneWaits() {
    // The channel allows one restrictions request a minute and says so on the first answer (200,
    // X-RateLimit-Remaining: 0, a reset): the second batch's availability part goes at once, its
    // rate part waits for the announced reset (never a 429 during the wait) and then goes alone.
    startFifo(SimConfig.healthy(13).toBuilder().withQuota("restrictions", "1/1m").build());
    engine.ingest().accept(List.of(rate(1, "120.00"), availability("SGL", 1, 1, 4)));
    runFor(Duration.ofSeconds(5));
    Accepted second =
        engine.ingest().accept(List.of(rate(2, "130.00"), availability("SGL", 2, 2, 3)));
    runFor(Duration.ofSeconds(5));

    assertThat(cell("S1", null, 2).availability()).isEqualTo(3);
    assertThat(cell("D1", "R1", 2)).isNull();

    runFor(Duration.ofSeconds(70));

    assertThat(cell("D1", "R1", 2).rate()).isEqualByComparingTo("130.00");
    List<LedgerEntry> ledger =
        db.read(c -> new Ledger(time).byCorrelation(c, second.correlationIds().get(0)));
    List<LedgerEntry> attempts = ledger.stream().filter(e -> e.kind().equals("attempt")).toList();
    assertThat(attempts)
        .extracting(e -> e.attributes().get("part") + ":" + e.attributes().get("status"))
        .containsExactly("0:200", "1:200");
    assertThat(ledger)
        .filteredOn(e -> e.kind().equals("batch.deferred"))
        .extracting(e -> e.attributes().get("gate"))
        .containsOnly("quota");
    assertThat(sim.stats().requestsDuringAnnouncedWait()).isZero();
    assertThat(sim.stats().throttled()).isZero();
    String batch = attempts.get(0).subject();
    assertThat(attempts).extracting(LedgerEntry::subject).containsOnly(batch);
    assertThat(ledger)
        .extracting(LedgerEntry::kind)
        .containsSubsequence("batch.part_acknowledged", "batch.acknowledged");
    assertThat(sim.applications(batch + ".0")).isEqualTo(1);
    assertThat(sim.applications(batch + ".1")).isEqualTo(1);
    assertThat(sim.stats().doubleApplications()).isZero();
    assertThat(engine.status().get("cx").settled()).isTrue();
  }

  @Test
  void aQuotaForAnEndpointTheAdapterDoesNotSendToIsAConfigurationError() {
    openStore(); // outside assertThatThrownBy: an absent backend skips the test
    assertThatThrownBy(
            () -> start(SimConfig.healthy(14), Map.of("quotas", Map.of("ari", List.of("10/1m")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "channels.cx.resilience.quotas.ari: the channex adapter sends to no such endpoint;"
                + " its quota endpoints are availability, restrictions and read");
  }
}
