package dev.paritysync.app;

import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The real hotel engine ({@link HotelEngine}, driven a step at a time) on a real SQLite file,
 * delivering to channel "a", a real simulator on loopback that rejects rates under 50.00 (422: dead
 * letter) and answers 409 for one cell, day 5 (reconciliation); virtual time from a midnight.
 */
final class QueueFixture implements AutoCloseable {
  static final String CHANNEL = "a";
  static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  static final LocalDate CONFLICT_DAY = TODAY.plusDays(5);

  private static final Portfolio PORTFOLIO =
      Portfolio.of(
          Property.of("P1", ZoneOffset.UTC, RoomType.of("DBL", RatePlan.of("BAR", "EUR"))));

  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  final Path file;
  final Database db;
  final SimChannel sim;
  final Transport transport = Transport.builder().withClock(time).build();
  final Ledger ledger = new Ledger(time);
  final Queues queues = new Queues(ledger, time);
  final HotelEngine engine;

  QueueFixture(Path dir) {
    file = dir.resolve("engine.db");
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(file)
                .withMigrations("classpath:db/migration/hotel")
                .build());
    sim =
        SimChannel.start(
            SimConfig.healthy(1).toBuilder()
                .withRateFloor(new BigDecimal("50"))
                .withConflictCell("P1/D1/R1/" + CONFLICT_DAY)
                .build(),
            time);
    Path key = dir.resolve("channel-a.key").toAbsolutePath();
    try {
      Files.writeString(key, "k");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChannelConfig channel =
        ChannelConfig.parse(
            CHANNEL,
            Map.of(
                "adapter", "native",
                "baseUrl", sim.baseUri().toString(),
                "credentials",
                    Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${file:" + key + "}")),
                "mapping", Map.of("rooms", Map.of("DBL", "D1"), "ratePlans", Map.of("BAR", "R1"))),
            SecretResolver.system());
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(PORTFOLIO)
            .withChannels(Map.of(CHANNEL, channel))
            .build();
  }

  /** A BAR rate for DBL from {@code from} to {@code to} days after today. */
  static Change rate(int from, int to, String amount) {
    return Change.builder("P1", "DBL", TODAY.plusDays(from), TODAY.plusDays(to))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  /** Ingests {@code change}, forms its batch and delivers it once (rejections park at once). */
  void push(Change change) {
    engine.ingest().accept(List.of(change));
    if (!engine.step(CHANNEL)) {
      throw new AssertionError("no batch formed and delivered for " + change);
    }
    time.advance(Duration.ofSeconds(1));
  }

  /** One step of the channel's loop: form its batches, deliver what is due. */
  void step() {
    engine.step(CHANNEL);
  }

  List<QueueItem> items() {
    return db.read(c -> queues.list(c, Queues.Filter.all()));
  }

  QueueItem item(String id) {
    return db.read(c -> queues.show(c, id)).orElseThrow();
  }

  /** Cells of channel "a" pending delivery. */
  long pending() {
    return count("SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL");
  }

  long count(String sql, Object... args) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public void close() {
    engine.close();
    transport.close();
    sim.close();
    db.close();
  }
}
