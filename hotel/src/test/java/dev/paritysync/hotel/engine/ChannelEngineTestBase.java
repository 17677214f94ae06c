package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.io.TempDir;

/**
 * What the per-adapter engine tests share: one engine with one channel, on virtual time, against a
 * real simulator speaking the adapter's dialect over loopback, on the backend of the run. Channel
 * codes: rooms DBL → D1, SGL → S1; rate plan BAR → R1 ({@link Engines#PORTFOLIO}'s property P1).
 */
abstract class ChannelEngineTestBase {
  /** The channel's secret: its API key, or the shared secret a simulator checks. */
  static final String SECRET = "s3cr3t-of-the-channel";

  @TempDir Path dir;

  final VirtualTime time = new VirtualTime(Engines.START);
  final Transport transport = Transport.builder().withClock(time).build();
  Backend.EngineStore store;
  Database db;
  SimChannel sim;
  HotelEngine engine;

  /** The backend of this run of the test class (its {@code @Parameter}). */
  abstract Backend backend();

  /** The property the simulator keeps the cells under (the channel's hotel code). */
  String channelProperty() {
    return "P1";
  }

  @AfterEach
  void closeAll() {
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

  /**
   * Opens the backend's store if it is not open yet. Call it before {@code assertThatThrownBy}: a
   * backend that is not available skips the test from here.
   */
  void openStore() {
    if (store == null) {
      store = backend().open(dir);
      db = store.db;
    }
  }

  /**
   * Starts the simulator ({@code config} speaking {@code adapter}'s dialect) and the engine with
   * channel {@code channel}: adapter {@code adapter}, an API key {@link #SECRET}, the mapping
   * above, and {@code settings} (more channel keys, e.g. {@code resilience}, {@code options}; they
   * replace the defaults they name).
   */
  HotelEngine start(
      String channel, String adapter, SimConfig config, Map<String, Object> settings) {
    sim = SimChannel.start(config.toBuilder().withDialect(adapter).build(), time);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", adapter);
    c.put("baseUrl", sim.baseUri().toString());
    c.put(
        "credentials",
        Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:CHANNEL_SECRET}")));
    c.put(
        "mapping",
        Map.of("rooms", Map.of("DBL", "D1", "SGL", "S1"), "ratePlans", Map.of("BAR", "R1")));
    c.putAll(settings);
    openStore();
    SecretResolver secrets = SecretResolver.fromMap(Map.of("env:CHANNEL_SECRET", SECRET));
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(Engines.PORTFOLIO)
            .withChannels(Map.of(channel, ChannelConfig.parse(channel, c, secrets)))
            .withTick(Duration.ofMillis(100))
            .build();
    engine.start();
    return engine;
  }

  static LocalDate day(int d) {
    return Engines.TODAY.plusDays(d);
  }

  /** A rate of {@code amount} EUR for P1/DBL/BAR on day {@code d}. */
  static Change rate(int d, String amount) {
    return Change.builder("P1", "DBL", day(d), day(d))
        .withRatePlan("BAR")
        .withRate(new Rate(new BigDecimal(amount), "EUR"))
        .build();
  }

  /** {@code rooms} available for P1/{@code room} from day {@code from} to day {@code to}. */
  static Change availability(String room, int from, int to, int rooms) {
    return Change.builder("P1", room, day(from), day(to)).withAvailability(rooms).build();
  }

  /** What the simulator holds for the channel's codes on day {@code d}, or null. */
  CellValue cell(String room, String ratePlan, int d) {
    return sim.state(channelProperty()).get(new CellKey(room, ratePlan, day(d)));
  }

  /** Advances virtual time second by second, so the engine's loop runs at every tick. */
  void runFor(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      time.advance(Duration.ofSeconds(1));
    }
  }

  /** Every item of the dead-letter and reconciliation queues. */
  List<QueueItem> parked() {
    return db.read(c -> new Queues(new Ledger(time), time).list(c, Queues.Filter.all()));
  }

  /**
   * The parity scenario every adapter plays: rates, availability and every restriction kind, then
   * newer values for some of them; checks that channel {@code channel} holds the newest of each,
   * nothing twice, nothing parked.
   */
  void playParityScenario(String channel) {
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
    assertThat(sim.stats().doubleApplications()).isZero();
    HotelEngine.ChannelStatus s = engine.status().get(channel);
    assertThat(s.settled()).isTrue();
    assertThat(s.deadLetters()).isZero();
    assertThat(s.cellsAtParity()).isEqualTo(6); // DBL/BAR days 1-3, SGL days 1-3
  }

  /**
   * The rate-floor scenario, on a simulator started with a floor of 50: a rate of 10 among good
   * cells is one validation dead letter whose field errors match {@code fieldPath}, holding only
   * its own range, while the other cells reach channel {@code channel}. Returns the dead letter,
   * for the dialect's own checks.
   */
  QueueItem playRateFloorScenario(String channel, String fieldPath) {
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
        .containsPattern(fieldPath)
        .contains("rate 10.00 is below the floor 50");
    assertThat(item.evidence().get("fieldErrors").toString()).containsPattern(fieldPath);
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
    HotelEngine.ChannelStatus s = engine.status().get(channel);
    assertThat(s.settled()).isTrue();
    assertThat(s.deadLetters()).isEqualTo(1);
    return item;
  }
}
