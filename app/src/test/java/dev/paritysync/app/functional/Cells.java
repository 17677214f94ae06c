package dev.paritysync.app.functional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Truth as the store holds it and as a channel should: cells keyed in PMS codes, read from {@code
 * ari_truth}, compared with a simulated channel's state through a mapping.
 */
final class Cells {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Cells() {}

  /** One cell, keyed like truth: a null rate plan is a room-type cell. */
  record Key(String property, String roomType, String ratePlan, LocalDate date) {}

  /** What a cell holds; null fields were never written. */
  record Value(
      BigDecimal rate,
      String currency,
      Integer availability,
      Integer minLos,
      Integer maxLos,
      Boolean closed,
      Boolean closedToArrival,
      Boolean closedToDeparture) {
    static final Value EMPTY = new Value(null, null, null, null, null, null, null, null);

    boolean sameAs(CellValue v) {
      return v != null
          && (rate == null ? v.rate() == null : v.rate() != null && rate.compareTo(v.rate()) == 0)
          && Objects.equals(currency, v.currency())
          && Objects.equals(availability, v.availability())
          && Objects.equals(minLos, v.minLos())
          && Objects.equals(maxLos, v.maxLos())
          && Objects.equals(closed, v.closed())
          && Objects.equals(closedToArrival, v.closedToArrival())
          && Objects.equals(closedToDeparture, v.closedToDeparture());
    }
  }

  /** A channel's name, simulator and mapping (PMS code → channel code). */
  record Channel(
      String name, SimChannel sim, Map<String, String> rooms, Map<String, String> plans) {}

  /** Every cell of {@code ari_truth}. */
  static Map<Key, Value> truth(Connection c) throws SQLException {
    Map<Key, Value> out = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT property, room_type, rate_plan, date, rate, currency, availability,"
                    + " min_los, max_los, closed, closed_to_arrival, closed_to_departure"
                    + " FROM ari_truth")) {
      while (rs.next()) {
        String plan = rs.getString(3);
        String rate = rs.getString(5);
        out.put(
            new Key(
                rs.getString(1),
                rs.getString(2),
                plan.isEmpty() ? null : plan,
                LocalDate.parse(rs.getString(4))),
            new Value(
                rate == null ? null : new BigDecimal(rate),
                rs.getString(6),
                (Integer) rs.getObject(7),
                (Integer) rs.getObject(8),
                (Integer) rs.getObject(9),
                bool(rs.getObject(10)),
                bool(rs.getObject(11)),
                bool(rs.getObject(12))));
      }
    }
    return out;
  }

  private static Boolean bool(Object o) {
    return o == null ? null : ((Number) o).intValue() != 0;
  }

  /**
   * The cells that open dead-letter and reconciliation items of {@code channel} hold (from each
   * item's {@code evidence.batch}), with the reason of each item in {@code reasons}.
   */
  static Set<Key> parked(Connection c, String channel, List<String> reasons) throws Exception {
    Set<Key> out = new HashSet<>();
    try (var s =
        c.prepareStatement(
            "SELECT queue, reason, evidence FROM queue_items WHERE state = 'open' AND channel = ?")) {
      s.setString(1, channel);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          reasons.add(rs.getString(1) + ": " + rs.getString(2));
          JsonNode batch = JSON.readTree(rs.getString(3)).path("batch");
          String property = batch.path("property").asText();
          for (JsonNode cell : batch.path("cells")) {
            String plan = cell.get(1).isNull() ? "" : cell.get(1).asText();
            out.add(
                new Key(
                    property,
                    cell.get(0).asText(),
                    plan.isEmpty() ? null : plan,
                    LocalDate.parse(cell.get(2).asText())));
          }
        }
      }
    }
    return out;
  }

  /**
   * Every mapped cell of {@code truth} whose value on {@code channel} differs, except {@code
   * excluded}, and every property whose channel holds cells truth does not map, as readable lines.
   */
  static List<String> mismatches(
      Channel channel, Map<Key, Value> truth, Set<Key> excluded, List<String> properties) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> mapped = new LinkedHashMap<>();
    truth.forEach(
        (k, v) -> {
          String room = channel.rooms().get(k.roomType());
          String plan = k.ratePlan() == null ? null : channel.plans().get(k.ratePlan());
          if (room == null || (k.ratePlan() != null && plan == null)) {
            return;
          }
          mapped.merge(k.property(), 1, Integer::sum);
          if (excluded.contains(k)) {
            return;
          }
          CellValue held = channel.sim().state(k.property()).get(new CellKey(room, plan, k.date()));
          if (!v.sameAs(held)) {
            out.add(channel.name() + " " + k + ": truth " + v + ", channel " + held);
          }
        });
    for (String p : properties) {
      int held = channel.sim().state(p).size();
      if (held > mapped.getOrDefault(p, 0)) {
        out.add(
            channel.name() + " " + p + ": holds " + held + " cells, truth maps " + mapped.get(p));
      }
    }
    return out;
  }
}
