package dev.paritysync.hotel.engine;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Shared fixtures: a portfolio, virtual time starting at a midnight; databases are in {@link
 * Backend}.
 */
final class Engines {
  static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

  static final Portfolio PORTFOLIO =
      Portfolio.of(
          Property.of(
              "P1",
              ZoneOffset.UTC,
              RoomType.of("DBL", RatePlan.of("BAR", "EUR"), RatePlan.of("NR", "EUR")),
              RoomType.of("SGL", RatePlan.of("BAR", "EUR"))),
          Property.of("P2", ZoneOffset.UTC, RoomType.of("DBL", RatePlan.of("BAR", "EUR"))));

  /** Maps DBL and SGL with BAR only: NR is unmapped. */
  static final ChannelMapping MAPPING =
      new ChannelMapping(Map.of("DBL", "D1", "SGL", "S1"), Map.of("BAR", "R1"));

  private Engines() {}

  static Ingest ingest(Database db, VirtualTime time, Map<String, ChannelMapping> channels) {
    return new Ingest(db, new ChangeValidator(PORTFOLIO, time), channels, new Ledger(time), time);
  }

  static long count(Database db, String sql, Object... args) {
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

  static String db1(Database db, String sql, Object... args) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }
}
