package dev.paritysync.bench.engine;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.config.Durations;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.Clock;
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
import dev.paritysync.hotel.engine.Retention;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Pruner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A week of PMS traffic compressed in virtual time, with retention: changes arrive all day, the
 * engine delivers each to a simulated channel (real HTTP on loopback, {@link HotelEngine#step} on
 * the calling thread) and retention runs every simulated hour. At the end of each day it prints the
 * SQLite file's size (after a checkpoint) and the rows of each history table; at the end, the ratio
 * of the last day's size to the size after day 2, which stays near 1 when retention holds the
 * database flat.
 *
 * <p>Usage: {@code RetentionWorkload [--days=7] [--changes-per-hour=600] [--retention=1d]
 * [--seed=1]}.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class RetentionWorkload {
  private static final String CHANNEL = "sim";
  private static final List<String> TABLES =
      List.of("work_items", "ari_batches", "ledger", "ari_changes", "ari_outbox", "ari_truth");

  private RetentionWorkload() {}

  /** Runs the week with the arguments above, printing each simulated day's sizes. */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Path dir = Files.createTempDirectory("paritysync-retention");
    Path file = dir.resolve("engine.db");
    VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(o.seed()), time);
        Database db =
            Database.open(
                DatabaseConfig.builder()
                    .withSqliteFile(file)
                    .withMigrations("classpath:db/migration/hotel")
                    .build());
        Transport transport = Transport.builder().withClock(time).build()) {
      HotelEngine engine =
          HotelEngine.builder()
              .withDatabase(db)
              .withClock(time)
              .withScheduler(time)
              .withTransport(transport)
              .withPortfolio(PORTFOLIO)
              .withChannels(Map.of(CHANNEL, channel(sim)))
              .build();
      Retention retention =
          new Retention(db, time, new Pruner(db, time, 1000, Duration.ofMinutes(1)));
      System.out.printf(
          "retention workload: %d days, %d changes/hour (ranges of 1-7 nights), retention %s,"
              + " %s%n",
          o.days(), o.perHour(), o.keep(), file);
      run(o, time, engine, retention, db, file);
      engine.close();
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind is harmless
      }
    }
  }

  /** Runs the days, one table line each, and the summary line. */
  private static void run(
      Options o, VirtualTime time, HotelEngine engine, Retention retention, Database db, Path file)
      throws Exception {
    System.out.printf(
        "%-4s %12s %10s %10s %10s %10s %10s %10s %10s %8s%n",
        "day",
        "db bytes",
        "changes",
        "work_items",
        "batches",
        "ledger",
        "ari_changes",
        "outbox",
        "truth",
        "pruned");
    SplittableRandom random = new SplittableRandom(o.seed());
    long afterDay2 = 0;
    long last = 0;
    Clock wall = Clock.system(); // the bench's own wall time, for the summary line only
    long start = wall.nanoTime();
    long changes = 0;
    for (int day = 1; day <= o.days(); day++) {
      long pruned = 0;
      for (int hour = 0; hour < 24; hour++) {
        pruned += hour(o, time, engine, retention, random);
        changes += o.perHour();
      }
      long size = checkpointedSize(db, file);
      Map<String, Long> rows = rows(db);
      System.out.printf(
          "%-4d %12d %10d %10d %10d %10d %10d %10d %10d %8d%n",
          day,
          size,
          changes,
          rows.get("work_items"),
          rows.get("ari_batches"),
          rows.get("ledger"),
          rows.get("ari_changes"),
          rows.get("ari_outbox"),
          rows.get("ari_truth"),
          pruned);
      if (day == 2) {
        afterDay2 = size;
      }
      last = size;
    }
    HotelEngine.ChannelStatus status =
        Objects.requireNonNull(
            engine.status().get(CHANNEL), "the engine reports no status for channel " + CHANNEL);
    System.out.printf(
        "end size / size after day 2 = %.3f; channel at parity %d cells, pending %d, dead"
            + " letters %d; %d changes in %.1f s wall%n",
        afterDay2 == 0 ? Double.NaN : (double) last / afterDay2,
        status.cellsAtParity(),
        status.pendingCells(),
        status.deadLetters(),
        changes,
        (wall.nanoTime() - start) / 1e9);
  }

  /** One virtual hour of changes, delivered as they come, then pruned; returns the rows pruned. */
  private static long hour(
      Options o,
      VirtualTime time,
      HotelEngine engine,
      Retention retention,
      SplittableRandom random) {
    long step = Duration.ofHours(1).toNanos() / o.perHour();
    for (int i = 0; i < o.perHour(); i++) {
      time.advance(Duration.ofNanos(step));
      engine.ingest().accept(List.of(change(time, random)));
      if (i % 10 == 9) {
        while (engine.step(CHANNEL)) {
          // deliver what is due
        }
      }
    }
    while (engine.step(CHANNEL)) {
      // settle the hour
    }
    Duration keep = o.keep();
    return retention.batches(keep).deleted()
        + retention.ledger(keep).deleted()
        + retention.changes(keep).deleted()
        + retention.webhookInbox(keep).deleted();
  }

  /**
   * The command line: {@code --days}, {@code --changes-per-hour}, {@code --retention}, {@code
   * --seed}.
   */
  private record Options(int days, int perHour, Duration keep, long seed) {
    static Options parse(String[] args) {
      int days = 7;
      int perHour = 600;
      Duration keep = Duration.ofDays(1);
      long seed = 1;
      for (String a : args) {
        if (a.startsWith("--days=")) {
          days = Integer.parseInt(a.substring(7));
        } else if (a.startsWith("--changes-per-hour=")) {
          perHour = Integer.parseInt(a.substring(19));
        } else if (a.startsWith("--retention=")) {
          keep = Durations.parse("--retention", a.substring(12));
        } else if (a.startsWith("--seed=")) {
          seed = Long.parseLong(a.substring(7));
        } else {
          throw new IllegalArgumentException(
              "unknown argument "
                  + a
                  + "; expected --days, --changes-per-hour, --retention, --seed");
        }
      }
      return new Options(days, perHour, keep, seed);
    }
  }

  private static Change change(VirtualTime time, SplittableRandom random) {
    LocalDate today = LocalDate.ofInstant(time.instant(), ZoneOffset.UTC);
    LocalDate from = today.plusDays(1 + random.nextInt(180));
    LocalDate to = from.plusDays(random.nextInt(7));
    int p = 1 + random.nextInt(PROPERTIES);
    int r = 1 + random.nextInt(ROOMS);
    String plan = PLANS.get(random.nextInt(PLANS.size()));
    BigDecimal rate = BigDecimal.valueOf(60 + random.nextInt(200)).setScale(2);
    return Change.builder("P" + p, "RT" + r, from, to)
        .withRatePlan(plan)
        .withRate(new Rate(rate, "EUR"))
        .build();
  }

  /** The main file's size after a checkpoint that moves the WAL into it. */
  private static long checkpointedSize(Database db, Path file) {
    db.readRun(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
          }
        });
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Long> rows(Database db) {
    return db.read(
        c -> {
          Map<String, Long> out = new LinkedHashMap<>();
          for (String t : TABLES) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + t);
                ResultSet rs = ps.executeQuery()) {
              rs.next();
              out.put(t, rs.getLong(1));
            }
          }
          return out;
        });
  }

  private static ChannelConfig channel(SimChannel sim) {
    Map<String, Object> channel = new LinkedHashMap<>();
    channel.put("adapter", "native");
    channel.put("baseUrl", sim.baseUri().toString());
    channel.put(
        "credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:K}")));
    Map<String, String> rooms = new LinkedHashMap<>();
    for (int r = 1; r <= ROOMS; r++) {
      rooms.put("RT" + r, "RT" + r);
    }
    Map<String, String> plans = new LinkedHashMap<>();
    PLANS.forEach(p -> plans.put(p, p));
    channel.put("mapping", Map.of("rooms", rooms, "ratePlans", plans));
    return ChannelConfig.parse(CHANNEL, channel, KEY);
  }

  private static final int PROPERTIES = 3;
  private static final int ROOMS = 4;
  private static final List<String> PLANS = List.of("BAR", "NR");

  private static final Portfolio PORTFOLIO = portfolio();

  private static Portfolio portfolio() {
    List<Property> properties = new ArrayList<>();
    for (int p = 1; p <= PROPERTIES; p++) {
      RoomType[] rooms = new RoomType[ROOMS];
      for (int r = 1; r <= ROOMS; r++) {
        rooms[r - 1] =
            RoomType.of(
                "RT" + r,
                PLANS.stream().map(pl -> RatePlan.of(pl, "EUR")).toArray(RatePlan[]::new));
      }
      properties.add(Property.of("P" + p, ZoneOffset.UTC, rooms));
    }
    return Portfolio.of(properties);
  }

  private static final SecretResolver KEY = SecretResolver.constant(Secret.of("bench"));
}
