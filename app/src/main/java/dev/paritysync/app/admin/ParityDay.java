package dev.paritysync.app.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.hotel.engine.Batcher;
import dev.paritysync.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One square of the {@link ParityMap}: a channel's cells of one property and night, each with truth
 * (the PMS value the engine holds), what the channel was last sent and what it acknowledged, and
 * the ledger's entries about the changes and batches that carried it. Read-only, in a fixed number
 * of queries; the batches are read from the newest {@link #BATCHES} of the channel and property
 * that hold the night. Thread-safe.
 */
public final class ParityDay {
  /** How many of the newest batches holding the night are read. */
  public static final int BATCHES = 100;

  /**
   * A value sent to the channel in a batch.
   *
   * @param batch the batch (work item) id
   * @param version truth's version it carried
   * @param values the values, in words
   * @param state the batch's state: {@code ready}, {@code leased}, {@code done} or {@code dead}
   */
  public record Sent(String batch, long version, String values, String state) {}

  /**
   * One cell.
   *
   * @param roomType the room type
   * @param ratePlan the rate plan, or empty for the room type's availability cell
   * @param state its state ({@link ParityMap.State#UNMAPPED} when the channel does not map it)
   * @param version truth's version
   * @param truth truth's values, in words
   * @param pending the version waiting to be batched, or null
   * @param inFlight the version in a batch not yet ended, or null
   * @param acknowledged the newest version the channel acknowledged, or null
   * @param lastSent the newest batch that carried it, or null when none is kept
   * @param lastAcknowledged the batch that carried the acknowledged version, or null
   * @param ledger the ledger's entries about its changes and batches, oldest first
   */
  public record Cell(
      String roomType,
      String ratePlan,
      ParityMap.State state,
      long version,
      String truth,
      @Nullable Long pending,
      @Nullable Long inFlight,
      @Nullable Long acknowledged,
      @Nullable Sent lastSent,
      @Nullable Sent lastAcknowledged,
      List<Views.Entry> ledger) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] VALUES = {
    "rate",
    "currency",
    "availability",
    "minLos",
    "maxLos",
    "closed",
    "closedToArrival",
    "closedToDeparture"
  };

  private final Database db;
  private final ParityMap map;

  /** The cells of {@code map}'s squares, read from its database. */
  public ParityDay(ParityMap map) {
    this.map = Objects.requireNonNull(map, "map");
    this.db = map.db();
  }

  /** The cells truth holds for {@code property} on {@code date}, as {@code channel} has them. */
  public List<Cell> read(String channel, String property, LocalDate date) {
    ParityMap.Window w =
        new ParityMap.Window(date.toString(), date.toString(), ParityMap.Filter.ALL);
    Set<String> drift =
        map.drifted(
                map.lastGroups(
                    List.of(channel),
                    map.portfolio().property(property).stream().toList(),
                    ParityMap.Filter.ALL),
                w)
            .getOrDefault(channel + "|" + property, Set.of());
    return db.read(c -> read(c, channel, property, date, drift));
  }

  private record Row(
      String roomType,
      String ratePlan,
      String own,
      long version,
      String truth,
      String changeId,
      @Nullable Long pending,
      @Nullable Long inFlight,
      @Nullable Long acked) {}

  private static List<Cell> read(
      Connection c, String channel, String property, LocalDate date, Set<String> drift)
      throws SQLException {
    List<Row> rows = rows(c, channel, property, date);
    Map<String, ParityMap.State> queued = new HashMap<>();
    ParityMap.openItems(c, queued);
    Map<String, List<Sent>> sent = batches(c, channel, property, date);
    Map<String, Set<String>> subjects = subjects(c, rows, sent);
    Set<String> all = new LinkedHashSet<>();
    subjects.values().forEach(all::addAll);
    List<Views.Entry> ledger = ledger(c, all);
    List<Cell> out = new ArrayList<>();
    for (Row r : rows) {
      String key = r.roomType() + "|" + r.ratePlan();
      ParityMap.State state =
          switch (r.own()) {
            case "UNMAPPED" -> ParityMap.State.UNMAPPED;
            case "PARKED" ->
                queued.getOrDefault(
                    channel + "|" + property + "|" + date + "|" + key, ParityMap.State.STALE);
            case "AT_PARITY" ->
                drift.contains(date + "|" + key)
                    ? ParityMap.State.DRIFT
                    : ParityMap.State.AT_PARITY;
            default -> ParityMap.State.valueOf(r.own());
          };
      List<Sent> batches = sent.getOrDefault(key, List.of());
      Long ackedVersion = r.acked();
      Sent acked = ackedVersion == null ? null : done(batches, ackedVersion);
      Set<String> mine = subjects.getOrDefault(key, Set.of());
      out.add(
          new Cell(
              r.roomType(),
              r.ratePlan(),
              state,
              r.version(),
              r.truth(),
              r.pending(),
              r.inFlight(),
              r.acked(),
              batches.isEmpty() ? null : batches.get(0),
              acked,
              ledger.stream().filter(e -> mine.contains(e.subject())).toList()));
    }
    return out;
  }

  /** The night's truth per room type and rate plan, with the channel's outbox versions. */
  private static List<Row> rows(Connection c, String channel, String property, LocalDate date)
      throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT t.room_type, t.rate_plan, CASE WHEN o.channel IS NULL THEN 'UNMAPPED' ELSE "
                + ParityMap.CELL_STATE
                + " END, t.version, t.rate, t.currency, t.availability, t.min_los, t.max_los,"
                + " t.closed, t.closed_to_arrival, t.closed_to_departure, t.change_id,"
                + " o.pending_version, o.inflight_version, o.acked_version FROM ari_truth t"
                + " LEFT JOIN ari_outbox o ON o.channel = ? AND o.property = t.property"
                + " AND o.room_type = t.room_type AND o.rate_plan = t.rate_plan"
                + " AND o.date = t.date"
                + " LEFT JOIN ari_batches b ON b.id = o.inflight_batch"
                + " LEFT JOIN work_items w ON w.id = o.inflight_batch"
                + " WHERE t.property = ? AND t.date = ? ORDER BY t.room_type, t.rate_plan")) {
      ps.setString(1, channel);
      ps.setString(2, property);
      ps.setString(3, date.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> v = new LinkedHashMap<>();
          v.put("rate", rs.getString(5));
          v.put("currency", rs.getString(6));
          v.put("availability", rs.getObject(7));
          v.put("minLos", rs.getObject(8));
          v.put("maxLos", rs.getObject(9));
          v.put("closed", flag(rs.getObject(10)));
          v.put("closedToArrival", flag(rs.getObject(11)));
          v.put("closedToDeparture", flag(rs.getObject(12)));
          rows.add(
              new Row(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  describe(v),
                  rs.getString(13),
                  (Long) longOrNull(rs, 14),
                  (Long) longOrNull(rs, 15),
                  (Long) longOrNull(rs, 16)));
        }
      }
    }
    return rows;
  }

  /**
   * Per {@code roomType|ratePlan}, the ledger's subjects of the cell: the changes that set the
   * versions seen, and the batches that carried them.
   */
  private static Map<String, Set<String>> subjects(
      Connection c, List<Row> rows, Map<String, List<Sent>> sent) throws SQLException {
    Set<Long> versions = new LinkedHashSet<>();
    Map<String, Set<String>> subjects = new HashMap<>();
    for (Row r : rows) {
      String key = r.roomType() + "|" + r.ratePlan();
      Set<String> mine = subjects.computeIfAbsent(key, k -> new LinkedHashSet<>());
      mine.add(r.changeId());
      versions.add(r.version());
      for (Sent s : sent.getOrDefault(key, List.of())) {
        mine.add(s.batch());
        versions.add(s.version());
      }
    }
    Map<Long, String> changes = changes(c, versions);
    for (Row r : rows) {
      Set<String> mine =
          subjects.computeIfAbsent(r.roomType() + "|" + r.ratePlan(), k -> new LinkedHashSet<>());
      for (Sent s : sent.getOrDefault(r.roomType() + "|" + r.ratePlan(), List.of())) {
        String change = changes.get(s.version());
        if (change != null) {
          mine.add(change);
        }
      }
    }
    return subjects;
  }

  /**
   * Per {@code roomType|ratePlan}: the batches of the newest {@link #BATCHES} that hold the night,
   * newest first, with the values each sent.
   */
  private static Map<String, List<Sent>> batches(
      Connection c, String channel, String property, LocalDate date) throws SQLException {
    Map<String, List<Sent>> out = new HashMap<>();
    String day = date.toString();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, state, payload FROM work_items WHERE queue = ? AND subject = ?"
                + " AND payload LIKE ? ORDER BY id DESC LIMIT "
                + BATCHES)) {
      ps.setString(1, Batcher.queueName(channel));
      ps.setString(2, channel + "/" + property);
      ps.setString(3, "%\"" + day + "\"%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> batch = map(rs.getString(3), "batch " + rs.getString(1));
          List<?> ranges = batch.get("ranges") instanceof List<?> l ? l : List.of();
          List<?> cells = batch.get("cells") instanceof List<?> l ? l : List.of();
          for (Object o : cells) {
            if (o instanceof List<?> cell && cell.size() == 4 && day.equals(cell.get(2))) {
              String room = String.valueOf(cell.get(0));
              String plan = cell.get(1) == null ? "" : String.valueOf(cell.get(1));
              String values = "";
              for (Object x : ranges) {
                if (x instanceof Map<?, ?> r
                    && room.equals(r.get("roomType"))
                    && plan.equals(r.get("ratePlan") == null ? "" : r.get("ratePlan"))
                    && day.compareTo(String.valueOf(r.get("from"))) >= 0
                    && day.compareTo(String.valueOf(r.get("to"))) <= 0) {
                  values = describe(r);
                }
              }
              out.computeIfAbsent(room + "|" + plan, k -> new ArrayList<>())
                  .add(
                      new Sent(
                          rs.getString(1),
                          ((Number) cell.get(3)).longValue(),
                          values,
                          rs.getString(2)));
            }
          }
        }
      }
    }
    return out;
  }

  /** The id of the change that set each of {@code versions}. */
  private static Map<Long, String> changes(Connection c, Set<Long> versions) throws SQLException {
    Map<Long, String> out = new HashMap<>();
    if (versions.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, id FROM ari_changes WHERE version IN ("
                + String.join(",", Collections.nCopies(versions.size(), "?"))
                + ")")) {
      int i = 1;
      for (long v : versions) {
        ps.setLong(i++, v);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.putIfAbsent(rs.getLong(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  /** The ledger's entries about {@code subjects}, oldest first. */
  private static List<Views.Entry> ledger(Connection c, Set<String> subjects) throws SQLException {
    List<Views.Entry> out = new ArrayList<>();
    if (subjects.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, at, kind, correlation_id, channel, subject, attributes FROM ledger"
                + " WHERE subject IN ("
                + String.join(",", Collections.nCopies(subjects.size(), "?"))
                + ") ORDER BY at, id")) {
      int i = 1;
      for (String s : subjects) {
        ps.setString(i++, s);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Views.Entry(
                  rs.getString(1),
                  Instant.ofEpochMilli(rs.getLong(2)).toString(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  map(rs.getString(7), "ledger entry " + rs.getString(1))));
        }
      }
    }
    return out;
  }

  /** {@code rate 120.00 EUR, availability 3, minLos 2, closed}: the values given, in words. */
  static String describe(Map<?, ?> values) {
    List<String> parts = new ArrayList<>();
    for (String k : VALUES) {
      Object v = values.get(k);
      if (v == null || k.equals("currency") || Boolean.FALSE.equals(v)) {
        continue;
      }
      if (k.equals("rate")) {
        Object cur = values.get("currency");
        parts.add("rate " + v + (cur == null ? "" : " " + cur));
      } else if (Boolean.TRUE.equals(v)) {
        parts.add(k);
      } else {
        parts.add(k + " " + v);
      }
    }
    return parts.isEmpty() ? "no values" : String.join(", ", parts);
  }

  private static @Nullable Sent done(List<Sent> batches, long version) {
    return batches.stream()
        .filter(s -> s.version() == version && s.state().equals("done"))
        .findFirst()
        .orElse(null);
  }

  private static @Nullable Boolean flag(@Nullable Object v) {
    return v == null ? null : ((Number) v).intValue() != 0;
  }

  private static @Nullable Object longOrNull(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Map<String, Object> map(String json, String what) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable JSON in " + what, e);
    }
  }
}
