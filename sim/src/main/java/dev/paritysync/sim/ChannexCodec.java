package dev.paritysync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A Channex-style JSON dialect: availability per room type on one endpoint, rates and restrictions
 * per rate plan on another.
 *
 * <pre>{@code
 * POST /api/v1/availability
 * {"values":[{"property_id":"P1","room_type_id":"D1","date_from":"2026-01-01",
 *             "date_to":"2026-01-05","availability":3}]}
 * POST /api/v1/restrictions
 * {"values":[{"property_id":"P1","room_type_id":"D1","rate_plan_id":"R1","date_from":"2026-01-01",
 *             "date_to":"2026-01-05","rate":"120.00","min_stay_arrival":1,"max_stay":14,
 *             "closed_to_arrival":false,"closed_to_departure":false,"stop_sell":false}]}
 * }</pre>
 *
 * A value on the wrong endpoint (a {@code rate_plan_id} or a rate on {@code /availability}, no
 * {@code rate_plan_id} or an {@code availability} on {@code /restrictions}) is a decoding error
 * naming its path. The rate-plan values carry {@code room_type_id} too, because the simulator keys
 * its state per room type and rate plan ({@link #INSTANCE} takes both kinds, for tests).
 *
 * <p>Every value names its property, and all values of one request must name the same one. Rates
 * may be strings or numbers; unknown fields and wrong types are decoding errors (400). Errors
 * answer {@code
 * {"errors":{"code":"validation_error","title":...,"details":{"values.0.rate":["..."]}}}}; a
 * success answers {@code {"meta":{"message":"Success","applied":cells}}}.
 */
final class ChannexCodec implements AriCodec {
  /** Takes room-type and rate-plan values alike; answers reads and errors. */
  static final ChannexCodec INSTANCE = new ChannexCodec(Kind.ANY);

  /** {@code POST /api/v1/availability}: room-type values only. */
  static final ChannexCodec AVAILABILITY = new ChannexCodec(Kind.AVAILABILITY);

  /** {@code POST /api/v1/restrictions}: rate-plan values only. */
  static final ChannexCodec RESTRICTIONS = new ChannexCodec(Kind.RESTRICTIONS);

  private enum Kind {
    ANY,
    AVAILABILITY,
    RESTRICTIONS
  }

  /** Channex's field names, in the order its listing writes them. */
  private static final FieldMap FIELDS =
      FieldMap.of(AriField.ROOM, "room_type_id")
          .and(AriField.RATE_PLAN, "rate_plan_id")
          .and(AriField.FROM, "date_from")
          .and(AriField.TO, "date_to")
          .and(AriField.DATE, "date")
          .and(AriField.RATE, "rate")
          .and(AriField.CURRENCY, "currency")
          .and(AriField.AVAILABILITY, "availability")
          .and(AriField.MIN_LOS, "min_stay_arrival")
          .and(AriField.MAX_LOS, "max_stay")
          .and(AriField.CLOSED, "stop_sell")
          .and(AriField.CLOSED_TO_ARRIVAL, "closed_to_arrival")
          .and(AriField.CLOSED_TO_DEPARTURE, "closed_to_departure");

  /** What {@code /availability} takes of a value. */
  private static final FieldMap AVAILABILITY_VALUE =
      FIELDS.only(AriField.ROOM, AriField.FROM, AriField.TO, AriField.AVAILABILITY);

  /** A cell of the listing of every cell ({@link #INSTANCE}'s reads). */
  private static final FieldMap LISTING =
      FIELDS.only(
          AriField.ROOM,
          AriField.RATE_PLAN,
          AriField.DATE,
          AriField.RATE,
          AriField.AVAILABILITY,
          AriField.MIN_LOS,
          AriField.MAX_LOS,
          AriField.CLOSED,
          AriField.CLOSED_TO_ARRIVAL,
          AriField.CLOSED_TO_DEPARTURE);

  /** A date of a rate plan in the restrictions listing. */
  private static final FieldMap RESTRICTION =
      FIELDS.only(
          AriField.RATE,
          AriField.MIN_LOS,
          AriField.MAX_LOS,
          AriField.CLOSED_TO_ARRIVAL,
          AriField.CLOSED_TO_DEPARTURE,
          AriField.CLOSED);

  private final Kind kind;

  private ChannexCodec(Kind kind) {
    this.kind = kind;
  }

  /** The quota kind this endpoint's writes count against: its own name ({@code ari} for any). */
  String kind() {
    return kind == Kind.ANY ? "ari" : kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The {@code property_id} of the first value of {@code body}, or the empty string when there is
   * none to read; {@link #decode} reports why.
   */
  static String property(byte[] body) {
    try {
      JsonNode p = SimJson.JSON.readTree(body).path("values").path(0).path("property_id");
      return p.isTextual() ? p.textValue() : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  @Override
  public String contentType() {
    return "application/json";
  }

  @Override
  public String problemContentType() {
    return "application/json";
  }

  @Override
  public List<AriUpdate> decode(byte[] body) throws MalformedBody {
    JsonNode root = SimJson.object(body);
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("values")) {
        errors.add(new FieldError(name, "unknown field"));
      }
    }
    JsonNode values = root.get("values");
    if (values == null || !values.isArray()) {
      errors.add(new FieldError("values", "expected an array of values"));
      throw new MalformedBody(errors);
    }
    String property = null;
    List<AriUpdate> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      JsonNode v = values.get(i);
      if (!v.isObject()) {
        errors.add(new FieldError(pointer(i, ""), "expected an object"));
        continue;
      }
      for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        boolean known = name.equals("property_id") || FIELDS.isUpdateField(name);
        if (!known || name.equals("currency")) { // the currency belongs to the rate plan
          errors.add(new FieldError("values." + i + "." + name, "unknown field"));
        }
      }
      wrongEndpoint(v, i, errors);
      JsonNode p = v.get("property_id");
      if (p == null || !p.isTextual() || p.textValue().isBlank()) {
        errors.add(new FieldError("values." + i + ".property_id", "required"));
      } else if (property == null) {
        property = p.textValue();
      } else if (!property.equals(p.textValue())) {
        errors.add(
            new FieldError(
                "values." + i + ".property_id",
                "all values must be of one property, '" + property + "'"));
      }
      int index = i;
      JsonFields r = new JsonFields(v, FIELDS::wire, f -> pointer(index, f), errors);
      out.add(
          new AriUpdate(
              r.string("room"),
              r.string("ratePlan"),
              r.date("from"),
              r.date("to"),
              r.decimal("rate"),
              null,
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

  /** Adds an error for each field of value {@code i} this endpoint does not take. */
  private void wrongEndpoint(JsonNode v, int i, List<FieldError> errors) {
    if (kind == Kind.AVAILABILITY) {
      for (Map.Entry<AriField, String> f : FIELDS.names().entrySet()) {
        boolean taken =
            !f.getKey().inUpdate() || AVAILABILITY_VALUE.names().containsKey(f.getKey());
        if (!taken && v.has(f.getValue())) {
          errors.add(
              new FieldError(
                  "values." + i + "." + f.getValue(),
                  "not taken by /availability; send it to /restrictions"));
        }
      }
    } else if (kind == Kind.RESTRICTIONS) {
      if (!v.has("rate_plan_id")) {
        errors.add(new FieldError("values." + i + ".rate_plan_id", "required"));
      }
      if (v.has("availability")) {
        errors.add(
            new FieldError(
                "values." + i + ".availability",
                "not taken by /restrictions; send it to /availability"));
      }
    }
  }

  @Override
  public String pointer(int index, String field) {
    return "values." + index + (field.isEmpty() ? "" : "." + FIELDS.pointerName(field));
  }

  @Override
  public String updatesPointer() {
    return "values";
  }

  @Override
  public byte[] applied(int cells) {
    ObjectNode root = SimJson.JSON.createObjectNode();
    root.putObject("meta").put("message", "Success").put("applied", cells);
    return SimJson.write(root);
  }

  /**
   * {@link #AVAILABILITY}: {@code {"data":{"<room_type_id>":{"<date>":n}}}}, as Channex lists
   * availability. {@link #RESTRICTIONS}: {@code {"data":{"<room_type_id>":{"<rate_plan_id>":
   * {"<date>":{"rate":"120.50","min_stay_arrival":2,…}}}}}} — Channex keys by rate plan id alone
   * (its rate plans belong to one room type); the simulator nests them in their room type, as it
   * keys its state. {@link #INSTANCE}: every cell as a list, {@code {"data":[{property_id,
   * room_type_id, rate_plan_id, date, …}]}}.
   */
  @Override
  public byte[] cells(
      String property, LocalDate from, LocalDate to, SortedMap<CellKey, CellValue> cells) {
    if (kind == Kind.AVAILABILITY) {
      ObjectNode root = SimJson.JSON.createObjectNode();
      ObjectNode data = root.putObject("data");
      for (Map.Entry<CellKey, CellValue> e : cells.entrySet()) {
        CellKey k = e.getKey();
        if (k.ratePlan() == null && e.getValue().availability() != null) {
          ObjectNode room =
              data.has(k.room()) ? (ObjectNode) data.get(k.room()) : data.putObject(k.room());
          room.put(k.date().toString(), e.getValue().availability());
        }
      }
      return SimJson.write(root);
    }
    if (kind == Kind.RESTRICTIONS) {
      ObjectNode root = SimJson.JSON.createObjectNode();
      ObjectNode data = root.putObject("data");
      for (Map.Entry<CellKey, CellValue> e : cells.entrySet()) {
        CellKey k = e.getKey();
        if (k.ratePlan() == null) {
          continue;
        }
        ObjectNode room =
            data.has(k.room()) ? (ObjectNode) data.get(k.room()) : data.putObject(k.room());
        ObjectNode plan =
            room.has(k.ratePlan())
                ? (ObjectNode) room.get(k.ratePlan())
                : room.putObject(k.ratePlan());
        CellWriter.json(plan.putObject(k.date().toString()), RESTRICTION, k, e.getValue());
      }
      return SimJson.write(root);
    }
    ObjectNode root = SimJson.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (Map.Entry<CellKey, CellValue> e : cells.entrySet()) {
      ObjectNode c = data.addObject().put("property_id", property);
      CellWriter.json(c, LISTING, e.getKey(), e.getValue());
    }
    root.putObject("meta").put("date_from", from.toString()).put("date_to", to.toString());
    return SimJson.write(root);
  }

  @Override
  public byte[] problem(int status, String type, String title, List<FieldError> errors) {
    ObjectNode root = SimJson.JSON.createObjectNode();
    ObjectNode e = root.putObject("errors");
    e.put("code", code(type)).put("title", title);
    if (!errors.isEmpty()) {
      ObjectNode details = e.putObject("details");
      for (FieldError f : errors) {
        String path = f.path().startsWith("?") ? f.path().substring(1) : f.path();
        JsonNode list = details.get(path);
        ArrayNode arr = list instanceof ArrayNode a ? a : details.putArray(path);
        arr.add(f.message());
      }
    }
    return SimJson.write(root);
  }

  private static String code(String type) {
    return switch (type) {
      case "invalid" -> "validation_error";
      case "malformed" -> "bad_request";
      case "too-large" -> "payload_too_large";
      default -> type.replace('-', '_');
    };
  }

  @Override
  public byte[] error(String code) {
    ObjectNode root = SimJson.JSON.createObjectNode();
    root.putObject("errors").put("code", code).put("title", code.replace('_', ' '));
    return SimJson.write(root);
  }
}
