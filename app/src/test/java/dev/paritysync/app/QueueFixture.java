package dev.paritysync.app;

import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.adapter.NativeJsonAdapter;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.channel.HotelDefaults;
import dev.paritysync.hotel.engine.Batcher;
import dev.paritysync.hotel.engine.DeliveryWorker;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkQueue;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The real hotel engine on a real SQLite file, delivering to channel "a", a real simulator on
 * loopback that rejects rates under 50.00 (422: dead letter) and answers 409 for one cell, day 5
 * (reconciliation); virtual time from a midnight.
 */
final class QueueFixture implements AutoCloseable {
  static final String CHANNEL = "a";
  static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  static final LocalDate CONFLICT_DAY = TODAY.plusDays(5);

  private static final Portfolio PORTFOLIO =
      Portfolio.of(
          Property.of("P1", ZoneOffset.UTC, RoomType.of("DBL", RatePlan.of("BAR", "EUR"))));
  private static final ChannelMapping MAPPING =
      new ChannelMapping(Map.of("DBL", "D1"), Map.of("BAR", "R1"));

  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  final Path file;
  final Database db;
  final SimChannel sim;
  final Transport transport = Transport.builder().withClock(time).build();
  final Ledger ledger = new Ledger(time);
  final Queues queues = new Queues(ledger, time);
  final WorkQueue work;
  final Ingest ingest;
  final Batcher batcher;
  final DeliveryWorker worker;

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
    work = new WorkQueue(db, time);
    ingest =
        new Ingest(
            db, new ChangeValidator(PORTFOLIO, time), Map.of(CHANNEL, MAPPING), ledger, time);
    NativeJsonAdapter adapter = new NativeJsonAdapter(sim.baseUri(), MAPPING);
    batcher = new Batcher(db, work, ledger, time, CHANNEL, ChannelLimits.DEFAULTS, adapter);
    worker =
        DeliveryWorker.builder()
            .withDatabase(db)
            .withWorkQueue(work)
            .withLedger(ledger)
            .withQueues(queues)
            .withClock(time)
            .withChannel(CHANNEL)
            .withAdapter(adapter)
            .withTransport(transport)
            .withDecider(
                new RetryDecider(
                    HotelDefaults.policy(CHANNEL),
                    RetryBudget.builder(time).build(),
                    new SplittableRandom(7)))
            .withBreakers(new Breakers(time))
            .withQuotas(Quotas.builder(time).build())
            .withOwner("w1")
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
    ingest.accept(List.of(change));
    List<String> formed = batcher.formBatches();
    if (formed.isEmpty()) {
      throw new AssertionError("no batch formed for " + change);
    }
    worker.runOnce();
    time.advance(Duration.ofSeconds(1));
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
    transport.close();
    sim.close();
    db.close();
  }
}
