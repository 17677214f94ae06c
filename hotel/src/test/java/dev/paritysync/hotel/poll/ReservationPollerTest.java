package dev.paritysync.hotel.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.Backend;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The poller against two real simulated channels over loopback, on a real SQLite file and (when
 * {@code PARITYSYNC_PG_URL} names one) a real PostgreSQL: channel {@code feed} takes bookings and
 * is polled, channel {@code other} must hear about them through the engine. Polls run on virtual
 * time; the test waits in real time only while HTTP is out.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ReservationPollerTest {
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  private static final Duration MAX = Duration.ofMinutes(5);
  private static final ChannelMapping MAPPING =
      new ChannelMapping(Map.of("DBL", "D1", "SGL", "S1"), Map.of("BAR", "R1"));
  private static final Portfolio PORTFOLIO =
      Portfolio.of(
          Property.of(
              "P1",
              ZoneOffset.UTC,
              RoomType.of("DBL", RatePlan.of("BAR", "EUR")),
              RoomType.of("SGL", RatePlan.of("BAR", "EUR"))));

  @Parameter Backend backend;
  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(START);
  private final Transport transport = Transport.builder().withClock(time).build();
  private final List<ReservationPoller.Poll> polls = new CopyOnWriteArrayList<>();
  private final List<Reservation> sunk = new CopyOnWriteArrayList<>();
  private SimChannel feed;
  private SimChannel other;
  private Backend.EngineStore store;
  private Database db;
  private HotelEngine engine;
  private ReservationPoller poller;

  @BeforeEach
  void setUp() {
    feed = SimChannel.start(SimConfig.healthy(1), time);
    other = SimChannel.start(SimConfig.healthy(2), time);
    store = backend.open(dir); // skips the PostgreSQL run when no server is configured
    db = store.db;
    SecretResolver secrets = SecretResolver.fromMap(Map.of("env:KEY", "k"));
    Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    channels.put("feed", ChannelConfig.parse("feed", channel(feed), secrets));
    channels.put("other", ChannelConfig.parse("other", channel(other), secrets));
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(PORTFOLIO)
            .withChannels(channels)
            .build(); // not started: the test steps the delivery loops itself
    // 5 DBL and 3 SGL for days 10 to 20, delivered to both channels
    engine
        .ingest()
        .accept(
            List.of(
                Change.builder("P1", "DBL", day(10), day(20)).withAvailability(5).build(),
                Change.builder("P1", "SGL", day(10), day(20)).withAvailability(3).build()));
    deliver();
    assertThat(held(other, "D1", 10)).isEqualTo(5);
    poller = poller(ReservationSink.stored());
  }

  @AfterEach
  void tearDown() {
    if (poller != null) {
      poller.close();
    }
    if (engine != null) {
      engine.close();
    }
    transport.close();
    feed.close();
    other.close();
    if (store != null) {
      store.close();
    }
  }

  private ReservationPoller poller(ReservationSink extra) {
    return ReservationPoller.builder()
        .withDatabase(db)
        .withScheduler(time)
        .withTransport(transport)
        .withChannel("feed", feed.baseUri())
        .withMapping(MAPPING)
        .withIngest(engine.ingest())
        .withInterval(PollInterval.builder().withJitter(0).build())
        .withSink(
            r -> {
              sunk.add(r);
              extra.accept(r);
            })
        .onPoll(polls::add)
        .build();
  }

  @Test
  void bookingModificationAndCancellationReachTheOtherChannelOnly() {
    String id = feed.book("P1", "D1", day(10), day(12)); // nights 10 and 11
    poller.start();
    runPolls(1);
    ReservationPoller.Poll first = polls.get(0);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.fresh()).isEqualTo(1);
    assertThat(first.acknowledged()).isTrue();
    assertThat(feed.isAcknowledged(id, 1)).isTrue();

    // truth: one room fewer on the nights booked, not on the departure day
    assertThat(truth("DBL", 10)).isEqualTo(4);
    assertThat(truth("DBL", 11)).isEqualTo(4);
    assertThat(truth("DBL", 12)).isEqualTo(5);
    // pending for the other channel, not for the one that took the booking
    assertThat(pending("other")).isEqualTo(2);
    assertThat(pending("feed")).isZero();
    deliver();
    assertThat(held(other, "D1", 10)).isEqualTo(4);
    assertThat(held(other, "D1", 11)).isEqualTo(4);
    assertThat(held(other, "D1", 12)).isEqualTo(5);
    assertThat(held(feed, "D1", 10)).as("the booking channel is left alone").isEqualTo(5);

    // moved to a single room for three nights: DBL given back, SGL taken
    assertThat(feed.modify(id, "S1", day(10), day(13))).isEqualTo(2);
    runPolls(1);
    assertThat(truth("DBL", 10)).isEqualTo(5);
    assertThat(truth("DBL", 11)).isEqualTo(5);
    assertThat(truth("SGL", 10)).isEqualTo(2);
    assertThat(truth("SGL", 12)).isEqualTo(2);
    assertThat(feed.cancel(id)).isEqualTo(3);
    runPolls(1);
    assertThat(truth("SGL", 10)).isEqualTo(3);
    assertThat(truth("SGL", 12)).isEqualTo(3);
    deliver();
    assertThat(held(other, "D1", 10)).isEqualTo(5);
    assertThat(held(other, "S1", 12)).isEqualTo(3);

    assertThat(sunk).extracting(Reservation::revision).containsExactly(1, 2, 3);
    assertThat(sunk)
        .extracting(Reservation::status)
        .containsExactly(
            Reservation.Status.NEW, Reservation.Status.MODIFIED, Reservation.Status.CANCELLED);
    assertThat(sunk.get(0).roomType()).as("translated to the PMS code").isEqualTo("DBL");
    assertThat(sunk.get(0).channelRoom()).isEqualTo("D1");
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions WHERE acked_at IS NOT NULL"))
        .isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions WHERE ari_version IS NULL"))
        .isZero();
    assertThat(feed.acknowledgements()).isEqualTo(3);
  }

  @Test
  void replayAfterALostAckAndARestartIsNotProcessedTwice() {
    feed.book("P1", "D1", day(10), day(11));
    feed.book("P1", "D1", day(10), day(11));
    feed.setDropAcks(true); // the channel answers 200 and forgets: as if we crashed before acking
    poller.start();
    runPolls(1);
    assertThat(polls.get(0).fresh()).isEqualTo(2);
    assertThat(feed.acknowledgements()).isZero();
    assertThat(truth("DBL", 10)).isEqualTo(3);

    // a new process on the same database
    poller.close();
    feed.setDropAcks(false);
    poller = poller(ReservationSink.stored());
    poller.start();
    runPolls(1);
    ReservationPoller.Poll replay = polls.get(1);
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.received()).isEqualTo(2);
    assertThat(replay.duplicates()).isEqualTo(2);
    assertThat(replay.fresh()).isZero();
    assertThat(replay.acknowledged()).isTrue();
    assertThat(truth("DBL", 10)).as("each booking taken once").isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isEqualTo(2);
    assertThat(sunk).hasSize(2);
    assertThat(feed.isAcknowledged("RES-1", 1)).isTrue();
    assertThat(feed.isAcknowledged("RES-2", 1)).isTrue();
    assertThat(feed.ackRequests()).isEqualTo(2);
  }

  @Test
  void idleChannelAnswers304AndIsPolledAtMax() {
    poller.start();
    runPolls(4);
    assertThat(polls)
        .extracting(ReservationPoller.Poll::status)
        .containsExactly(200, 304, 304, 304);
    assertThat(feed.stats().count(304)).isEqualTo(3);
    assertThat(polls).extracting(ReservationPoller.Poll::nextDelay).containsOnly(MAX);
    assertThat(feed.ackRequests()).as("nothing to acknowledge").isZero();
    for (int i = 1; i < polls.size(); i++) {
      assertThat(Duration.between(polls.get(i - 1).at(), polls.get(i).at()))
          .isEqualTo(polls.get(i - 1).nextDelay());
    }

    // three bookings in the quiet spell: the next poll sees them and the delay comes down
    feed.book("P1", "D1", day(10), day(11));
    feed.book("P1", "D1", day(11), day(12));
    feed.book("P1", "S1", day(10), day(11));
    runPolls(1);
    ReservationPoller.Poll busy = polls.get(4);
    assertThat(busy.status()).isEqualTo(200);
    assertThat(busy.fresh()).isEqualTo(3);
    // 3 in 5 min: 0.6/min, ema 0.3/min → 200 s
    assertThat(busy.nextDelay()).isEqualTo(Duration.ofSeconds(200));
    runPolls(2);
    assertThat(polls.get(5).status()).as("empty page after the ack").isEqualTo(200);
    assertThat(polls.get(6).status()).isEqualTo(304);
  }

  @Test
  void faultsAreRetriedAndEveryBookingIsTakenOnce() {
    feed.close();
    feed =
        SimChannel.start(
            SimConfig.healthy(11).toBuilder().withP503(0.3).withP500(0.2).build(), time);
    poller = poller(ReservationSink.stored());
    poller.start();
    for (int round = 0; round < 5; round++) {
      feed.book("P1", "D1", day(10 + round), day(11 + round));
      feed.book("P1", "D1", day(10 + round), day(11 + round));
      int acked = 2 * (round + 1);
      runUntil(() -> feed.acknowledgements() == acked && !poller.busy());
    }
    assertThat(feed.stats().count(503) + feed.stats().count(500))
        .as("faults happened")
        .isPositive();
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isEqualTo(10);
    for (int d = 10; d < 15; d++) {
      assertThat(truth("DBL", d)).as("day %d", d).isEqualTo(3);
    }
    assertThat(sunk).hasSize(10);
  }

  @Test
  void unmappedRoomIsRecordedWithANoteAndAcknowledged() {
    feed.book("P1", "X9", day(10), day(11));
    poller.start();
    runPolls(1);
    assertThat(polls.get(0).acknowledged()).isTrue();
    assertThat(text("SELECT note FROM reservation_revisions"))
        .isEqualTo("room 'X9' is not in the channel's mapping");
    assertThat(truth("DBL", 10)).isEqualTo(5);
  }

  @Test
  void builderNamesWhatIsMissing() {
    assertThatThrownBy(() -> ReservationPoller.builder().build()).hasMessage("database");
    assertThatThrownBy(
            () ->
                ReservationPoller.builder()
                    .withDatabase(db)
                    .withScheduler(time)
                    .withTransport(transport)
                    .withChannel("feed", feed.baseUri())
                    .withMapping(MAPPING)
                    .withIngest(engine.ingest())
                    .withPolicy(dev.paritysync.hotel.channel.HotelDefaults.policy("other"))
                    .build())
        .hasMessage("policy is for channel 'other', the poller for 'feed'");
  }

  // ---------------------------------------------------------------- helpers

  private static LocalDate day(int d) {
    return TODAY.plusDays(d);
  }

  private static Map<String, Object> channel(SimChannel sim) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", "native");
    c.put("baseUrl", sim.baseUri().toString());
    c.put("credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:KEY}")));
    c.put(
        "mapping",
        Map.of("rooms", Map.of("DBL", "D1", "SGL", "S1"), "ratePlans", Map.of("BAR", "R1")));
    return c;
  }

  /** Runs both delivery loops until neither has anything to do. */
  private void deliver() {
    for (int i = 0; i < 50; i++) {
      boolean a = engine.step("feed");
      boolean b = engine.step("other");
      if (!a && !b) {
        return;
      }
    }
    throw new AssertionError("delivery did not settle");
  }

  /** Runs until {@code n} more polls have ended. */
  private void runPolls(int n) {
    int target = polls.size() + n;
    runUntil(() -> polls.size() >= target);
  }

  /**
   * Drives virtual time: runs what is due; while a poll waits for HTTP, waits for it in real time
   * (briefly, then lets virtual time move on, which is what a backoff needs); otherwise jumps to
   * the next task.
   */
  private void runUntil(java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int idle = 0;
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("real time spent").isLessThan(deadline);
      if (time.runDue() > 0) {
        idle = 0;
        continue;
      }
      if (poller.busy() && idle++ < 200) {
        LockSupport.parkNanos(100_000); // HTTP on loopback
        continue;
      }
      idle = 0;
      if (!time.advanceToNext()) {
        LockSupport.parkNanos(100_000);
      }
    }
  }

  private Integer truth(String room, int d) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT availability FROM ari_truth WHERE property = 'P1' AND room_type = ?"
                      + " AND rate_plan = '' AND date = ?")) {
            ps.setString(1, room);
            ps.setString(2, day(d).toString());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getInt(1) : null;
            }
          }
        });
  }

  private long pending(String channel) {
    return count(
        "SELECT COUNT(*) FROM ari_outbox WHERE channel = '"
            + channel
            + "' AND pending_version IS NOT NULL");
  }

  private static Integer held(SimChannel sim, String room, int d) {
    CellValue v = sim.state("P1").get(new CellKey(room, null, day(d)));
    return v == null ? null : v.availability();
  }

  private long count(String sql) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private String text(String sql) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        });
  }
}
