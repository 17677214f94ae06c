package dev.paritysync.hotel.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The report's JSON form, written and read back (the store keeps reports as this text). */
final class ReportJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  static String write(ReconciliationReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("createdAt", r.createdAt().toString());
    m.put("from", str(r.from()));
    m.put("to", str(r.to()));
    m.put("status", r.status().name());
    List<Object> groups = new ArrayList<>();
    for (ReconciliationReport.Group g : r.groups()) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("channel", g.channel());
      gm.put("property", g.property());
      gm.put("status", g.status().name());
      gm.put("compared", g.compared());
      gm.put("drifted", g.drifted());
      gm.put("driftPercent", g.driftPercent());
      gm.put("repushed", g.repushed());
      gm.put("note", g.note());
      Map<String, Object> counts = new LinkedHashMap<>();
      g.counts().forEach((k, v) -> counts.put(k.name(), v));
      gm.put("counts", counts);
      List<Object> cells = new ArrayList<>();
      for (DriftCell c : g.cells()) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("class", c.kind().name());
        cm.put("roomType", c.roomType());
        cm.put("ratePlan", c.ratePlan());
        cm.put("date", str(c.date()));
        cm.put("truthVersion", c.truthVersion());
        cm.put("truth", values(c.truth()));
        cm.put("channel", values(c.channel()));
        cells.add(cm);
      }
      gm.put("cells", cells);
      groups.add(gm);
    }
    m.put("groups", groups);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write report " + r.id() + " as JSON", e);
    }
  }

  static ReconciliationReport read(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("reconciliation report is not JSON: " + e.getMessage(), e);
    }
    List<ReconciliationReport.Group> groups = new ArrayList<>();
    for (JsonNode g : n.path("groups")) {
      List<DriftCell> cells = new ArrayList<>();
      for (JsonNode c : g.path("cells")) {
        cells.add(
            new DriftCell(
                DriftClass.valueOf(c.get("class").asText()),
                c.get("roomType").asText(),
                text(c, "ratePlan"),
                date(text(c, "date")),
                values(c.get("truth")),
                values(c.get("channel")),
                c.hasNonNull("truthVersion") ? c.get("truthVersion").asLong() : null));
      }
      groups.add(
          new ReconciliationReport.Group(
              g.get("channel").asText(),
              g.get("property").asText(),
              g.get("compared").asInt(),
              cells,
              ReconciliationReport.Status.valueOf(g.get("status").asText()),
              g.get("repushed").asInt(),
              text(g, "note")));
    }
    return new ReconciliationReport(
        n.get("id").asText(),
        Instant.parse(n.get("createdAt").asText()),
        date(text(n, "from")),
        date(text(n, "to")),
        ReconciliationReport.Status.valueOf(n.get("status").asText()),
        groups);
  }

  static @Nullable Map<String, Object> values(@Nullable CellValues v) {
    if (v == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    if (v.rate() != null) {
      m.put("rate", v.rate().amount() == null ? null : v.rate().amount().toPlainString());
      m.put("currency", v.rate().currency());
    }
    if (v.availability() != null) {
      m.put("availability", v.availability());
    }
    Restrictions r = v.restrictions();
    if (r != null) {
      put(m, "minLos", r.minLos());
      put(m, "maxLos", r.maxLos());
      put(m, "closed", r.closed());
      put(m, "closedToArrival", r.closedToArrival());
      put(m, "closedToDeparture", r.closedToDeparture());
    }
    return m;
  }

  private static @Nullable CellValues values(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    Rate rate = n.hasNonNull("rate") ? Rate.of(n.get("rate").asText(), text(n, "currency")) : null;
    Integer availability = n.hasNonNull("availability") ? n.get("availability").asInt() : null;
    Restrictions r =
        new Restrictions(
            n.hasNonNull("minLos") ? n.get("minLos").asInt() : null,
            n.hasNonNull("maxLos") ? n.get("maxLos").asInt() : null,
            n.hasNonNull("closed") ? n.get("closed").asBoolean() : null,
            n.hasNonNull("closedToArrival") ? n.get("closedToArrival").asBoolean() : null,
            n.hasNonNull("closedToDeparture") ? n.get("closedToDeparture").asBoolean() : null);
    return new CellValues(rate, availability, r.isEmpty() ? null : r);
  }

  private static void put(Map<String, Object> m, String k, @Nullable Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  private static @Nullable String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  private static @Nullable String str(@Nullable LocalDate d) {
    return d == null ? null : d.toString();
  }

  private static @Nullable LocalDate date(@Nullable String s) {
    return s == null ? null : LocalDate.parse(s);
  }
}
