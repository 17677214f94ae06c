package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine with adapter {@code ota} against a real sim speaking OpenTravel 2015A XML, over real
 * HTTP on loopback.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class OtaEngineTest {
  @Parameter Backend backend;
  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(Engines.START);
  private final Transport transport = Transport.builder().withClock(time).build();
  private Backend.EngineStore store;
  private Database db;
  private SimChannel sim;
  private HotelEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    transport.close();
    if (sim != null) {
      sim.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private HotelEngine start(SimConfig config, Map<String, Object> options) {
    sim = SimChannel.start(config.toBuilder().withDialect("ota").build(), time);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", "ota");
    c.put("baseUrl", sim.baseUri().toString());
    c.put(
        "credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:OTA_KEY}")));
    c.put(
        "mapping",
        Map.of("rooms", Map.of("DBL", "D1", "SGL", "S1"), "ratePlans", Map.of("BAR", "R1")));
    c.put("resilience", Map.of("quotas", Map.of("ari", List.of("10/1m"))));
    c.put("options", options);
    store = backend.open(dir);
    db = store.db;
    SecretResolver secrets =
        new SecretResolver() {
          @Override
          public Secret env(String name) {
            if (!name.equals("OTA_KEY")) {
              throw new IllegalArgumentException("environment variable " + name + " is not set");
            }
            return Secret.of("k");
          }

          @Override
          public Secret file(Path file) {
            throw new IllegalArgumentException("no files here: " + file);
          }
        };
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(Engines.PORTFOLIO)
            .withChannels(Map.of("ota", ChannelConfig.parse("ota", c, secrets)))
            .withTick(Duration.ofMillis(100))
            .build();
    engine.start();
    return engine;
  }

  private static LocalDate day(int d) {
    return Engines.TODAY.plusDays(d);
  }

  private static Change rate(int d, String amount) {
    return Change.builder("P1", "DBL", day(d), day(d))
        .withRatePlan("BAR")
        .withRate(new Rate(new BigDecimal(amount), "EUR"))
        .build();
  }

  private static Change availability(String room, int from, int to, int rooms) {
    return Change.builder("P1", room, day(from), day(to)).withAvailability(rooms).build();
  }

  private CellValue cell(String room, String ratePlan, int d) {
    return sim.state("H1").get(new CellKey(room, ratePlan, day(d)));
  }

  private void runFor(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      time.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void ratesAvailabilityAndRestrictionsReachParity() {
    start(SimConfig.healthy(21), Map.of("hotelCodes", Map.of("P1", "H1")));

    engine
        .ingest()
        .accept(
            List.of(
                rate(1, "120.00"),
                rate(2, "130.50"),
                availability("SGL", 1, 3, 5),
                Change.builder("P1", "DBL", day(3), day(3))
                    .withRatePlan("BAR")
                    .withRestrictions(
                        Restrictions.none()
                            .withMinLos(2)
                            .withMaxLos(9)
                            .withClosed(false)
                            .withClosedToArrival(true)
                            .withClosedToDeparture(true))
                    .build()));
    runFor(Duration.ofSeconds(10));
    engine.ingest().accept(List.of(rate(1, "125.00"), availability("SGL", 2, 2, 0)));
    runFor(Duration.ofSeconds(10));

    assertThat(cell("D1", "R1", 1).rate()).isEqualByComparingTo("125.00");
    assertThat(cell("D1", "R1", 2).rate()).isEqualByComparingTo("130.50");
    assertThat(cell("S1", null, 1).availability()).isEqualTo(5);
    assertThat(cell("S1", null, 2).availability()).isZero();
    assertThat(cell("S1", null, 3).availability()).isEqualTo(5);
    CellValue restricted = cell("D1", "R1", 3);
    assertThat(restricted.minLos()).isEqualTo(2);
    assertThat(restricted.maxLos()).isEqualTo(9);
    assertThat(restricted.closed()).isFalse();
    assertThat(restricted.closedToArrival()).isTrue();
    assertThat(restricted.closedToDeparture()).isTrue();
    assertThat(sim.state("P1")).as("sent under the configured HotelCode").isEmpty();
    assertThat(sim.stats().doubleApplications()).isZero();
    HotelEngine.ChannelStatus s = engine.status().get("ota");
    assertThat(s.settled()).isTrue();
    assertThat(s.deadLetters()).isZero();
    assertThat(s.cellsAtParity()).isEqualTo(6); // DBL/BAR days 1-3, SGL days 1-3
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

    List<QueueItem> parked =
        db.read(c -> new Queues(new Ledger(time), time).list(c, Queues.Filter.all()));
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
