package dev.paritysync.hotel.poll;

import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.engine.ChangesRejected;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The durable side of polling one channel: the revisions received (the de-duplication), the stay
 * each reservation holds, the availability changes they become, and the feed's cursor. See {@link
 * ReservationPoller} for the rules. Thread-safe as far as the database is; used by one poller.
 */
final class ReservationStore {
  private final Database db;
  private final Clock clock;
  private final String channel;
  private final Ingest ingest;

  /** Where the feed stood: its cursor and the tag of its last empty page (or null). */
  record Feed(long cursor, @Nullable String etag) {}

  ReservationStore(Database db, Clock clock, String channel, Ingest ingest) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
  }

  /** The stored cursor and tag; cursor 0 and no tag for a channel never polled. */
  Feed load() {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT feed_cursor, etag FROM reservation_feeds WHERE channel = ?")) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? new Feed(rs.getLong(1), rs.getString(2)) : new Feed(0, null);
            }
          }
        });
  }

  /**
   * Records a page of revisions, the feed's {@code cursor} and {@code tag} (null: ask
   * unconditionally next time) in one transaction; returns the revisions recorded for the first
   * time, in page order.
   */
  List<Reservation> record(List<Reservation> page, long cursor, @Nullable String tag) {
    return db.inTransaction(
        c -> {
          List<Reservation> fresh = new ArrayList<>();
          long now = clock.millis();
          for (Reservation r : page) {
            if (record(c, r, now)) {
              fresh.add(r);
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO reservation_feeds (channel, feed_cursor, etag) VALUES (?, ?, ?)"
                      + " ON CONFLICT (channel) DO UPDATE SET feed_cursor = excluded.feed_cursor,"
                      + " etag = excluded.etag")) {
            ps.setString(1, channel);
            ps.setLong(2, cursor);
            ps.setString(3, tag);
            ps.executeUpdate();
          }
          return fresh;
        });
  }

  /**
   * Records one revision inside the caller's transaction {@code c}: when it is not yet in {@code
   * reservation_revisions}, inserts it, applies it to availability for every channel but this one
   * and notes the version (or why there is none) on its row. Returns whether it was new; false
   * means a duplicate, and nothing was written.
   */
  boolean record(Connection c, Reservation r, long now) throws SQLException {
    if (!insertRevision(c, r, now)) {
      return false;
    }
    Applied applied = apply(c, r);
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE reservation_revisions SET ari_version = ?, note = ?"
                + " WHERE channel = ? AND reservation = ? AND revision = ?")) {
      Long version = applied.version();
      if (version == null) {
        ps.setNull(1, java.sql.Types.BIGINT);
      } else {
        ps.setLong(1, version);
      }
      ps.setString(2, applied.note());
      ps.setString(3, channel);
      ps.setString(4, r.id());
      ps.setInt(5, r.revision());
      ps.executeUpdate();
    }
    return true;
  }

  /** The note recorded with revision {@code revision} of {@code reservation}, or null. */
  @Nullable String note(Connection c, String reservation, int revision) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT note FROM reservation_revisions WHERE channel = ? AND reservation = ?"
                + " AND revision = ?")) {
      ps.setString(1, channel);
      ps.setString(2, reservation);
      ps.setInt(3, revision);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Parameters 1–8 of both reservation statements: channel, id, revision and the stay. */
  private void bind(PreparedStatement ps, Reservation r) throws SQLException {
    ps.setString(1, channel);
    ps.setString(2, r.id());
    ps.setInt(3, r.revision());
    ps.setString(4, r.property());
    ps.setString(5, r.roomType() == null ? "" : r.roomType());
    ps.setString(6, r.arrival().toString());
    ps.setString(7, r.departure().toString());
    ps.setString(8, r.status().code());
  }

  private boolean insertRevision(Connection c, Reservation r, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reservation_revisions (channel, reservation, revision, property,"
                + " room_type, arrival, departure, status, received_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (channel, reservation, revision) DO NOTHING")) {
      bind(ps, r);
      ps.setLong(9, now);
      return ps.executeUpdate() == 1;
    }
  }

  /** The availability change a revision became (its version), or why there is none. */
  private record Applied(@Nullable Long version, @Nullable String note) {}

  /** A stay held by a reservation: the nights of {@code room} from arrival to departure − 1. */
  private record Stay(String room, LocalDate arrival, LocalDate departure) {}

  private Applied apply(Connection c, Reservation r) throws SQLException {
    String room = r.roomType();
    Known known = known(c, r);
    if (known.revision() != null && known.revision() >= r.revision()) {
      return new Applied(null, "older than revision " + known.revision() + ", already applied");
    }
    upsert(c, r);
    Stay previous = known.stay();
    List<String> notes = new ArrayList<>();
    // (room, night) → rooms given back (+) or taken (−)
    Map<String, TreeMap<LocalDate, Integer>> delta = new TreeMap<>();
    if (previous != null) {
      Stay p = previous;
      p.arrival()
          .datesUntil(p.departure())
          .forEach(
              d -> delta.computeIfAbsent(p.room(), k -> new TreeMap<>()).merge(d, 1, Integer::sum));
    }
    if (r.holdsRooms()) {
      if (room == null) {
        notes.add("room '" + r.channelRoom() + "' is not in the channel's mapping");
      } else {
        r.arrival()
            .datesUntil(r.departure())
            .forEach(
                d -> delta.computeIfAbsent(room, k -> new TreeMap<>()).merge(d, -1, Integer::sum));
      }
    }
    List<Change> changes = new ArrayList<>();
    List<LocalDate> unknown = new ArrayList<>();
    for (var byRoom : delta.entrySet()) {
      for (var night : byRoom.getValue().entrySet()) {
        if (night.getValue() == 0) {
          continue;
        }
        Integer current = availability(c, r.property(), byRoom.getKey(), night.getKey());
        if (current == null) {
          unknown.add(night.getKey());
          continue;
        }
        changes.add(
            Change.builder(r.property(), byRoom.getKey(), night.getKey(), night.getKey())
                .withAvailability(Math.max(0, current + night.getValue()))
                .build());
      }
    }
    if (!unknown.isEmpty()) {
      notes.add("no availability in truth for " + unknown);
    }
    Long version = null;
    if (!changes.isEmpty()) {
      try {
        version = ingest.accept(c, changes, Set.of(channel)).version();
      } catch (ChangesRejected e) {
        notes.add("rejected: " + e.getMessage());
      }
    }
    return new Applied(version, notes.isEmpty() ? null : String.join("; ", notes));
  }

  /**
   * What is known of a reservation before this revision.
   *
   * @param revision the revision recorded, or null when none is
   * @param stay the nights it holds, or null when none (cancelled, or no mapped room)
   */
  private record Known(@Nullable Integer revision, @Nullable Stay stay) {}

  private Known known(Connection c, Reservation r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT revision, room_type, arrival, departure, status FROM reservations"
                + " WHERE channel = ? AND reservation = ?")) {
      ps.setString(1, channel);
      ps.setString(2, r.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new Known(null, null);
        }
        Stay stay = null;
        if (!rs.getString("status").equals(Reservation.Status.CANCELLED.code())
            && !rs.getString("room_type").isEmpty()) {
          stay =
              new Stay(
                  rs.getString("room_type"),
                  LocalDate.parse(rs.getString("arrival")),
                  LocalDate.parse(rs.getString("departure")));
        }
        return new Known(rs.getInt("revision"), stay);
      }
    }
  }

  /** Records {@code r} as the reservation's newest revision. */
  private void upsert(Connection c, Reservation r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reservations (channel, reservation, revision, property, room_type,"
                + " arrival, departure, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (channel, reservation) DO UPDATE SET revision = excluded.revision,"
                + " property = excluded.property, room_type = excluded.room_type,"
                + " arrival = excluded.arrival, departure = excluded.departure,"
                + " status = excluded.status")) {
      bind(ps, r);
      ps.executeUpdate();
    }
  }

  private static @Nullable Integer availability(
      Connection c, String property, String room, LocalDate date) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT availability FROM ari_truth WHERE property = ? AND room_type = ?"
                + " AND rate_plan = '' AND date = ?")) {
      ps.setString(1, property);
      ps.setString(2, room);
      ps.setString(3, date.toString());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        int v = rs.getInt(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  /** Sets {@code acked_at} of the revisions the channel confirmed. */
  void markAcknowledged(List<Reservation> page) {
    long now = clock.millis();
    db.inTransactionRun(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE reservation_revisions SET acked_at = ? WHERE channel = ?"
                      + " AND reservation = ? AND revision = ? AND acked_at IS NULL")) {
            for (Reservation r : page) {
              ps.setLong(1, now);
              ps.setString(2, channel);
              ps.setString(3, r.id());
              ps.setInt(4, r.revision());
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
  }
}
