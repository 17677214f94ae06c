package dev.paritysync.hotel.engine;

import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a delivery work item carries: the channel and property, the ranges with their values (PMS
 * codes), every (cell, version) the batch delivers, and the correlation ids of the changes behind
 * it. Written once when the batch is formed; retries resend the same ranges, so the same body goes
 * out under the same idempotency key. The retry state lives in {@code ari_batches} instead (see
 * {@link BatchState}), because a work item's payload is immutable once enqueued.
 */
record BatchPayload(
    String channel,
    String property,
    List<CellRange> ranges,
    List<CellVersion> cells,
    List<String> correlationIds) {

  /** One cell of the batch and the version it carries. */
  record CellVersion(String roomType, @Nullable String ratePlan, LocalDate date, long version) {}

  /** The first correlation id, for ledger entries that need one; null when none is known. */
  @Nullable String primaryCorrelationId() {
    return correlationIds.isEmpty() ? null : correlationIds.get(0);
  }

  String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("channel", channel);
    root.put("property", property);
    List<Map<String, Object>> rs = new ArrayList<>();
    for (CellRange r : ranges) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("roomType", r.roomType());
      m.put("ratePlan", r.ratePlan());
      m.put("from", r.from().toString());
      m.put("to", r.to().toString());
      CellValues v = r.values();
      if (v.rate() != null) {
        m.put("rate", v.rate().amount().toPlainString());
        m.put("currency", v.rate().currency());
      }
      m.put("availability", v.availability());
      Restrictions x = v.restrictions();
      if (x != null) {
        m.put("minLos", x.minLos());
        m.put("maxLos", x.maxLos());
        m.put("closed", x.closed());
        m.put("closedToArrival", x.closedToArrival());
        m.put("closedToDeparture", x.closedToDeparture());
      }
      rs.add(m);
    }
    root.put("ranges", rs);
    List<List<Object>> cs = new ArrayList<>();
    for (CellVersion c : cells) {
      List<Object> row = new ArrayList<>(4);
      row.add(c.roomType());
      row.add(c.ratePlan());
      row.add(c.date().toString());
      row.add(c.version());
      cs.add(row);
    }
    root.put("cells", cs);
    root.put("correlationIds", correlationIds);
    return Rows.json(root, "batch of " + channel + "/" + property);
  }

  @SuppressWarnings("unchecked")
  static BatchPayload fromJson(String json) {
    Map<String, Object> root = Rows.readMap(json, "batch payload");
    List<CellRange> ranges = new ArrayList<>();
    String property = req(root, "property");
    for (Map<String, Object> m : BatchPayload.<List<Map<String, Object>>>req(root, "ranges")) {
      Rate rate =
          m.get("rate") == null
              ? null
              : new Rate(new BigDecimal((String) m.get("rate")), req(m, "currency"));
      Restrictions x =
          new Restrictions(
              (Integer) m.get("minLos"),
              (Integer) m.get("maxLos"),
              (Boolean) m.get("closed"),
              (Boolean) m.get("closedToArrival"),
              (Boolean) m.get("closedToDeparture"));
      ranges.add(
          new CellRange(
              property,
              req(m, "roomType"),
              (String) m.get("ratePlan"),
              LocalDate.parse(req(m, "from")),
              LocalDate.parse(req(m, "to")),
              new CellValues(rate, (Integer) m.get("availability"), x.isEmpty() ? null : x)));
    }
    List<CellVersion> cells = new ArrayList<>();
    for (List<Object> row : BatchPayload.<List<List<Object>>>req(root, "cells")) {
      cells.add(
          new CellVersion(
              (String) row.get(0),
              (String) row.get(1),
              LocalDate.parse((String) row.get(2)),
              ((Number) row.get(3)).longValue()));
    }
    return new BatchPayload(
        req(root, "channel"),
        property,
        ranges,
        cells,
        (List<String>) root.getOrDefault("correlationIds", List.of()));
  }

  /** {@code key} of {@code m}, which every payload this engine writes has. */
  @SuppressWarnings("unchecked")
  private static <T> T req(Map<String, Object> m, String key) {
    return (T) Objects.requireNonNull(m.get(key), () -> "batch payload without " + key);
  }
}
