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
 * The engine with adapter {@code cloudbeds} against a real sim speaking the Cloudbeds Build-To-Us
 * dialect, with a shared secret.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class CloudbedsEngineTest {
  private static final String SECRET = "s3cr3t-of-the-ota";

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

  private HotelEngine start(SimConfig config) {
    return start(config, "EUR");
  }

  private HotelEngine start(SimConfig config, String currency) {
    sim =
        SimChannel.start(
            config.toBuilder().withDialect("cloudbeds").withSharedSecret(SECRET).build(), time);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", "cloudbeds");
    c.put("baseUrl", sim.baseUri().toString());
    c.put(
        "credentials",
        Map.of("apiKey", Map.of("header", "X-Shared-Secret", "value", "${env:CLOUDBEDS_SECRET}")));
    c.put(
        "mapping",
        Map.of("rooms", Map.of("DBL", "D1", "SGL", "S1"), "ratePlans", Map.of("BAR", "R1")));
    c.put("resilience", Map.of("quotas", Map.of("ari", List.of("10/1m"))));
    c.put("options", Map.of("currency", currency));
    store = backend.open(dir);
    db = store.db;
    SecretResolver noSecrets =
        new SecretResolver() {
          @Override
          public Secret env(String name) {
            if (!name.equals("CLOUDBEDS_SECRET")) {
              throw new IllegalArgumentException("environment variable " + name + " is not set");
            }
            return Secret.of(SECRET);
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
            .withChannels(Map.of("cb", ChannelConfig.parse("cb", c, noSecrets)))
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
    return sim.state("P1").get(new CellKey(room, ratePlan, day(d)));
  }

  private void runFor(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      time.advance(Duration.ofSeconds(1));
    }
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

    List<QueueItem> parked =
        db.read(c -> new Queues(new Ledger(time), time).list(c, Queues.Filter.all()));
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

    List<QueueItem> parked =
        db.read(c -> new Queues(new Ledger(time), time).list(c, Queues.Filter.all()));
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
