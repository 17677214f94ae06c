package dev.paritysync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The simulator's own JSON dialect.
 *
 * <pre>{@code
 * POST {"updates":[{"room":"DBL","ratePlan":"BAR","from":"2026-01-01","to":"2026-01-05",
 *                   "rate":"120.00","currency":"EUR","availability":3,"minLos":1,"maxLos":14,
 *                   "closed":false,"closedToArrival":false,"closedToDeparture":false}]}
 * }</pre>
 *
 * Rates may be JSON strings or numbers; unknown fields, wrong types and unparseable dates are
 * decoding errors (400). Pointers are JSON Pointers ({@code /updates/0/from}).
 */
final class NativeCodec implements AriCodec {
  static final NativeCodec INSTANCE = new NativeCodec();

  /** The wire names: the simulator's own, in the order cells are written. */
  static final FieldMap FIELDS =
      FieldMap.of(AriField.ROOM, "room")
          .and(AriField.RATE_PLAN, "ratePlan")
          .and(AriField.FROM, "from")
          .and(AriField.TO, "to")
          .and(AriField.DATE, "date")
          .and(AriField.RATE, "rate")
          .and(AriField.CURRENCY, "currency")
          .and(AriField.AVAILABILITY, "availability")
          .and(AriField.MIN_LOS, "minLos")
          .and(AriField.MAX_LOS, "maxLos")
          .and(AriField.CLOSED, "closed")
          .and(AriField.CLOSED_TO_ARRIVAL, "closedToArrival")
          .and(AriField.CLOSED_TO_DEPARTURE, "closedToDeparture");

  private NativeCodec() {}

  @Override
  public String contentType() {
    return "application/json";
  }

  @Override
  public String problemContentType() {
    return "application/problem+json";
  }

  @Override
  public List<AriUpdate> decode(byte[] body) throws MalformedBody {
    JsonNode root = SimJson.object(body);
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("updates")) {
        errors.add(new FieldError("/" + name, "unknown field"));
      }
    }
    JsonNode updates = root.get("updates");
    if (updates == null || !updates.isArray()) {
      errors.add(new FieldError("/updates", "expected an array of updates"));
      throw new MalformedBody(errors);
    }
    List<AriUpdate> out = new ArrayList<>(updates.size());
    for (int i = 0; i < updates.size(); i++) {
      JsonNode u = updates.get(i);
      if (!u.isObject()) {
        errors.add(new FieldError(pointer(i, ""), "expected an object"));
        continue;
      }
      for (Iterator<String> it = u.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!FIELDS.isUpdateField(name)) {
          errors.add(new FieldError(pointer(i, name), "unknown field"));
        }
      }
      int index = i;
      JsonFields r = new JsonFields(u, FIELDS::wire, f -> pointer(index, f), errors);
      out.add(
          new AriUpdate(
              r.string("room"),
              r.string("ratePlan"),
              r.date("from"),
              r.date("to"),
              r.decimal("rate"),
              r.string("currency"),
              r.integer("availability"),
              r.integer("minLos"),
              r.integer("maxLos"),
              r.bool("closed"),
              r.bool("closedToArrival"),
              r.bool("closedToDeparture")));
    }
    if (!errors.isEmpty()) {
      throw new MalformedBody(errors);
    }
    return out;
  }

  @Override
  public String pointer(int index, String field) {
    return "/updates/" + index + (field.isEmpty() ? "" : "/" + field);
  }

  @Override
  public String updatesPointer() {
    return "/updates";
  }

  @Override
  public byte[] applied(int cells) {
    return SimJson.write(SimJson.JSON.createObjectNode().put("applied", cells));
  }

  @Override
  public byte[] cells(
      String property, LocalDate from, LocalDate to, SortedMap<CellKey, CellValue> cells) {
    ObjectNode root = SimJson.JSON.createObjectNode();
    root.put("property", property).put("from", from.toString()).put("to", to.toString());
    ArrayNode arr = root.putArray("cells");
    for (Map.Entry<CellKey, CellValue> e : cells.entrySet()) {
      CellWriter.json(arr.addObject(), FIELDS, e.getKey(), e.getValue());
    }
    return SimJson.write(root);
  }

  @Override
  public byte[] problem(int status, String type, String title, List<FieldError> errors) {
    ObjectNode root = SimJson.JSON.createObjectNode();
    root.put("type", "urn:paritysync:sim:problem:" + type)
        .put("title", title)
        .put("status", status);
    if (!errors.isEmpty()) {
      ArrayNode arr = root.putArray("errors");
      for (FieldError e : errors) {
        ObjectNode o = arr.addObject();
        if (e.path().startsWith("?")) {
          o.put("parameter", e.path().substring(1)); // a query parameter, not a body field
        } else {
          o.put("pointer", e.path());
        }
        o.put("detail", e.message());
      }
    }
    return SimJson.write(root);
  }

  @Override
  public byte[] error(String code) {
    return SimJson.write(SimJson.JSON.createObjectNode().put("error", code));
  }
}
