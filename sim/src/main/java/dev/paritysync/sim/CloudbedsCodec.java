package dev.paritysync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The Cloudbeds OTA Build-To-Us dialect: the simulator plays the OTA and takes {@code ARIUpdate} as
 * the published OpenAPI contract describes it.
 *
 * <pre>{@code
 * POST /ARIUpdate?shared_secret=...
 * {"verb":"ARIUpdate","ota_property_id":"P1","ota_property_password":"","ota_property_sub_id":"",
 *  "mya_property_id":25678,"guid":"6C08B96E-450D-4E6A-9933-7D0305730305","currency":"EUR",
 *  "ota_cid":"ota","shared_secret":"...",
 *  "Inventory":[{"ota_room_id":"D1","ota_rate_id":"R1","start_date":"2026-01-01",
 *                "end_date":"2026-01-05","units":3,"rate":"120.00","min_los":1,"max_los":14,
 *                "closearr":false,"closedep":false,"close":false}]}
 * }</pre>
 *
 * The property is {@code ota_property_id}. Each {@code Inventory} row is one update of {@code
 * (ota_room_id, ota_rate_id)} from {@code start_date} to {@code end_date} inclusive; its rate takes
 * the request's {@code currency}. Cloudbeds keeps availability per room, so {@code units} is stored
 * on the room ({@link CellKey} without rate plan) whichever rate the row names ({@link #stored}).
 * {@code max_los} 0 ("no restriction") leaves the stored maximum as it was. Fields of the contract
 * the simulator does not keep (single-use and per-person prices, advance-booking offsets) and
 * fields the contract does not know are decoding errors (400), as are missing required fields.
 *
 * <p>A success answers {@code {"success":true}}; every error answers the contract's {@code
 * {"success":false,"errors":[{"id":...,"msg":"Inventory[1].rate: ..."}]}}, with the status the
 * simulator's rules chose (400, 401, 409, 413, 422, 429, 5xx). A message about a row starts with
 * the row's path. The error ids are the simulator's own, except the contract's 9201 (shared secret
 * does not match): 1001 malformed body, 1002 invalid updates, 1003 conflict, 1004 body too large,
 * 1005 idempotency key reused, 1006 rate limited, 1007 unavailable, 1008 server error, 1009 other.
 *
 * <p>{@code POST /GetARI} (the contract's reconciliation call) answers {@code
 * {"Success":true,"currency":...,"room_ari":{room:[rows]}}}, one row per rate plan and date with
 * the room's {@code units} of that date; a date with availability but no rate plan has {@code
 * "ota_rate_id":""}.
 */
final class CloudbedsCodec implements AriCodec {
  static final CloudbedsCodec INSTANCE = new CloudbedsCodec();

  /** The contract's field names of an {@code Inventory} row, in the order {@code GetARI} writes. */
  private static final FieldMap FIELDS =
      FieldMap.of(AriField.ROOM, "ota_room_id")
          .and(AriField.RATE_PLAN, "ota_rate_id")
          .and(AriField.FROM, "start_date")
          .and(AriField.TO, "end_date")
          .and(AriField.AVAILABILITY, "units")
          .and(AriField.RATE, "rate")
          .and(AriField.MIN_LOS, "min_los")
          .and(AriField.MAX_LOS, "max_los")
          .and(AriField.CLOSED_TO_ARRIVAL, "closearr")
          .and(AriField.CLOSED_TO_DEPARTURE, "closedep")
          .and(AriField.CLOSED, "close");

  /** The values of a {@code GetARI} row, after its room, rate and dates. */
  private static final FieldMap ROW_VALUES =
      FIELDS.only(
          AriField.AVAILABILITY,
          AriField.RATE,
          AriField.MIN_LOS,
          AriField.MAX_LOS,
          AriField.CLOSED_TO_ARRIVAL,
          AriField.CLOSED_TO_DEPARTURE,
          AriField.CLOSED);

  private static final Set<String> AUTH =
      Set.of(
          "guid",
          "mya_property_id",
          "ota_property_id",
          "ota_property_password",
          "ota_property_sub_id",
          "shared_secret",
          "ota_cid");

  private CloudbedsCodec() {}

  /** The body's {@code ota_property_id}, or the empty string when there is none to read. */
  static String property(byte[] body) {
    JsonNode p = field(body, "ota_property_id");
    return p != null && p.isTextual() ? p.textValue() : "";
  }

  /** The body's {@code shared_secret}, or null. */
  static @Nullable String sharedSecret(byte[] body) {
    JsonNode p = field(body, "shared_secret");
    return p != null && p.isTextual() ? p.textValue() : null;
  }

  private static @Nullable JsonNode field(byte[] body, String name) {
    if (body == null) {
      return null;
    }
    try {
      return SimJson.JSON.readTree(body).get(name);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A {@code GetARI} body read: the property and the widest window its rooms ask for.
   *
   * @param property {@code ota_property_sub_id} when given, else {@code ota_property_id}
   * @param from the earliest {@code start_date}
   * @param to the latest {@code end_date}
   */
  record Read(String property, LocalDate from, LocalDate to) {}

  /**
   * Reads a {@code GetARI} body.
   *
   * @throws MalformedBody naming the bad fields
   */
  static Read read(byte[] body) throws MalformedBody {
    JsonNode root = SimJson.object(body);
    List<FieldError> errors = new ArrayList<>();
    String property = null;
    for (String name : List.of("ota_property_sub_id", "ota_property_id")) {
      JsonNode p = root.get(name);
      if (property == null && p != null && p.isTextual() && !p.textValue().isBlank()) {
        property = p.textValue();
      }
    }
    if (property == null) {
      errors.add(new FieldError("ota_property_id", "required"));
    }
    JsonNode rooms = root.get("rooms");
    LocalDate from = null;
    LocalDate to = null;
    if (rooms == null || !rooms.isObject() || rooms.isEmpty()) {
      errors.add(new FieldError("rooms", "expected an object of at least one room"));
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = rooms.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> room = it.next();
        String at = "rooms." + room.getKey();
        LocalDate f = date(room.getValue().get("start_date"), at + ".start_date", errors);
        LocalDate t = date(room.getValue().get("end_date"), at + ".end_date", errors);
        if (f != null && (from == null || f.isBefore(from))) {
          from = f;
        }
        if (t != null && (to == null || t.isAfter(to))) {
          to = t;
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new MalformedBody(errors);
    }
    // no error: all three were read
    return new Read(
        Objects.requireNonNull(property, "property"),
        Objects.requireNonNull(from, "from"),
        Objects.requireNonNull(to, "to"));
  }

  private static @Nullable LocalDate date(JsonNode v, String at, List<FieldError> errors) {
    if (v == null || !v.isTextual()) {
      errors.add(new FieldError(at, "required, yyyy-MM-dd"));
      return null;
    }
    try {
      return LocalDate.parse(v.textValue());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(at, "'" + v.textValue() + "' is not a date (yyyy-MM-dd)"));
      return null;
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
      if (!AUTH.contains(name) && !Set.of("verb", "currency", "Inventory").contains(name)) {
        errors.add(new FieldError(name, "unknown field"));
      }
    }
    for (String name : AUTH) {
      if (!root.has(name)) {
        errors.add(new FieldError(name, "required"));
      }
    }
    if (!"ARIUpdate".equals(root.path("verb").asText(null))) {
      errors.add(new FieldError("verb", "expected \"ARIUpdate\""));
    }
    JsonNode c = root.get("currency");
    String currency = c != null && c.isTextual() ? c.textValue() : null;
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      errors.add(new FieldError("currency", "required, an ISO 4217 code"));
    }
    JsonNode inventory = root.get("Inventory");
    if (inventory == null || !inventory.isArray()) {
      errors.add(new FieldError("Inventory", "expected an array of rows"));
      throw new MalformedBody(errors);
    }
    List<AriUpdate> out = new ArrayList<>(inventory.size());
    for (int i = 0; i < inventory.size(); i++) {
      JsonNode v = inventory.get(i);
      if (!v.isObject()) {
        errors.add(new FieldError(pointer(i, ""), "expected an object"));
        continue;
      }
      for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!FIELDS.isUpdateField(name)) {
          errors.add(new FieldError(pointer(i, "") + "." + name, "not kept by this channel"));
        }
      }
      for (String required : List.of("room", "ratePlan", "from", "to")) {
        if (!v.hasNonNull(FIELDS.wire(required))) {
          errors.add(new FieldError(pointer(i, required), "required"));
        }
      }
      int index = i;
      JsonFields r = new JsonFields(v, FIELDS::wire, f -> pointer(index, f), errors);
      Integer maxLos = r.integer("maxLos");
      var rate = r.decimal("rate");
      out.add(
          new AriUpdate(
              r.string("room"),
              r.string("ratePlan"),
              r.date("from"),
              r.date("to"),
              rate,
              rate == null ? null : currency,
              r.integer("availability"),
              r.integer("minLos"),
              maxLos != null && maxLos == 0 ? null : maxLos,
              r.bool("closed"),
              r.bool("closedToArrival"),
              r.bool("closedToDeparture")));
    }
    if (!errors.isEmpty()) {
      throw new MalformedBody(errors);
    }
    return out;
  }

  /** Availability moves to the room; rates and restrictions stay on the room and rate. */
  @Override
  public List<AriUpdate> stored(List<AriUpdate> updates) {
    List<AriUpdate> out = new ArrayList<>(updates.size() * 2);
    for (AriUpdate u : updates) {
      if (u.availability() != null) {
        out.add(
            new AriUpdate(
                u.room(),
                null,
                u.from(),
                u.to(),
                null,
                null,
                u.availability(),
                null,
                null,
                null,
                null,
                null));
      }
      if (u.hasRateOrRestriction()) {
        out.add(
            new AriUpdate(
                u.room(),
                u.ratePlan(),
                u.from(),
                u.to(),
                u.rate(),
                u.currency(),
                null,
                u.minLos(),
                u.maxLos(),
                u.closed(),
                u.closedToArrival(),
                u.closedToDeparture()));
      }
    }
    return out;
  }

  @Override
  public String pointer(int index, String field) {
    return "Inventory[" + index + "]" + (field.isEmpty() ? "" : "." + FIELDS.pointerName(field));
  }

  @Override
  public String updatesPointer() {
    return "Inventory";
  }

  @Override
  public byte[] applied(int cells) {
    return SimJson.write(SimJson.JSON.createObjectNode().put("success", true));
  }

  @Override
  public byte[] cells(
      String property, LocalDate from, LocalDate to, SortedMap<CellKey, CellValue> cells) {
    // room → date → units, and room → date → rate plan → value
    Map<String, Map<LocalDate, Integer>> units = new TreeMap<>();
    Map<String, Map<LocalDate, Map<String, CellValue>>> plans = new TreeMap<>();
    String currency = null;
    for (Map.Entry<CellKey, CellValue> e : cells.entrySet()) {
      CellKey k = e.getKey();
      CellValue v = e.getValue();
      if (k.ratePlan() == null) {
        if (v.availability() != null) {
          units.computeIfAbsent(k.room(), x -> new TreeMap<>()).put(k.date(), v.availability());
        }
      } else {
        plans
            .computeIfAbsent(k.room(), x -> new TreeMap<>())
            .computeIfAbsent(k.date(), x -> new TreeMap<>())
            .put(k.ratePlan(), v);
        if (currency == null && v.currency() != null) {
          currency = v.currency();
        }
      }
    }
    ObjectNode root = SimJson.JSON.createObjectNode().put("Success", true);
    if (currency != null) {
      root.put("currency", currency);
    }
    ObjectNode roomAri = root.putObject("room_ari");
    Set<String> rooms = new java.util.TreeSet<>(units.keySet());
    rooms.addAll(plans.keySet());
    for (String room : rooms) {
      ArrayNode rows = roomAri.putArray(room);
      Map<LocalDate, Integer> u = units.getOrDefault(room, Map.of());
      Map<LocalDate, Map<String, CellValue>> p = plans.getOrDefault(room, Map.of());
      Set<LocalDate> dates = new java.util.TreeSet<>(u.keySet());
      dates.addAll(p.keySet());
      for (LocalDate d : dates) {
        Map<String, CellValue> byPlan = p.getOrDefault(d, Map.of());
        Integer roomUnits = u.get(d);
        if (byPlan.isEmpty()) {
          CellWriter.json(
              row(rows, room, "", d),
              ROW_VALUES,
              new CellKey(room, null, d),
              units(roomUnits, null));
        }
        for (Map.Entry<String, CellValue> e : byPlan.entrySet()) {
          CellWriter.json(
              row(rows, room, e.getKey(), d),
              ROW_VALUES,
              new CellKey(room, e.getKey(), d),
              units(roomUnits, e.getValue()));
        }
      }
    }
    return SimJson.write(root);
  }

  /** A rate plan's value of a date with the room's units of that date. */
  private static CellValue units(@Nullable Integer units, @Nullable CellValue plan) {
    CellValue v = plan == null ? CellValue.EMPTY : plan;
    return new CellValue(
        v.rate(),
        v.currency(),
        units,
        v.minLos(),
        v.maxLos(),
        v.closed(),
        v.closedToArrival(),
        v.closedToDeparture());
  }

  private static ObjectNode row(ArrayNode rows, String room, String rate, LocalDate d) {
    return rows.addObject()
        .put("ota_room_id", room)
        .put("ota_rate_id", rate)
        .put("start_date", d.toString())
        .put("end_date", d.toString());
  }

  @Override
  public byte[] problem(int status, String type, String title, List<FieldError> errors) {
    ObjectNode root = SimJson.JSON.createObjectNode().put("success", false);
    ArrayNode list = root.putArray("errors");
    int id = id(type);
    if (errors.isEmpty()) {
      list.addObject().put("id", id).put("msg", title);
    }
    for (FieldError f : errors) {
      String path = f.path().startsWith("?") ? f.path().substring(1) : f.path();
      list.addObject().put("id", id).put("msg", path.isEmpty() ? f.message() : f.toString());
    }
    return SimJson.write(root);
  }

  @Override
  public byte[] error(String code) {
    ObjectNode root = SimJson.JSON.createObjectNode().put("success", false);
    root.putArray("errors").addObject().put("id", id(code)).put("msg", code.replace('_', ' '));
    return SimJson.write(root);
  }

  private static int id(String type) {
    return switch (type) {
      case "shared_secret_mismatch", "unauthorized", "invalid_token" -> 9201;
      case "malformed" -> 1001;
      case "invalid" -> 1002;
      case "conflict" -> 1003;
      case "too-large" -> 1004;
      case "idempotency_key_reused" -> 1005;
      case "rate_limited" -> 1006;
      case "service_unavailable" -> 1007;
      case "internal_error", "bad_gateway", "gateway_timeout" -> 1008;
      default -> 1009;
    };
  }
}
