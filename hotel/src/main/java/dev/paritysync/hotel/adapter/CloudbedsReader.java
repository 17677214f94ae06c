package dev.paritysync.hotel.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Cloudbeds-style channel through {@code POST {base}/GetARI}: the contract's request
 * ({@code shared_secret}, {@code ota_property_id}, {@code rooms} keyed by every mapped room, each
 * with the same window) and its answer ({@code room_ari}, rows shaped like {@code ARIUpdate}'s). A
 * row's {@code units} is the room's availability (a room-type cell; repeated on every rate row of
 * the room, the first wins); its rate and restrictions are the room and rate's. A {@code max_los}
 * of 0 means no maximum. Immutable and thread-safe.
 */
final class CloudbedsReader implements ChannelAdapter.Reader {
  private final CloudbedsAdapter adapter;
  private final ReverseMapping back;

  CloudbedsReader(CloudbedsAdapter adapter) {
    this.adapter = adapter;
    this.back = new ReverseMapping(adapter.mapping());
  }

  @Override
  public List<Request> requests(String property, LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("read window ends " + to + " before it starts " + from);
    }
    ObjectNode root = JsonAdapters.JSON.createObjectNode();
    root.put("shared_secret", adapter.sharedSecret());
    root.put("ota_property_id", property);
    ObjectNode byRoom = root.putObject("rooms");
    for (String room : new TreeSet<>(adapter.mapping().rooms().values())) {
      byRoom.putObject(room).put("start_date", from.toString()).put("end_date", to.toString());
    }
    return List.of(
        Request.post(adapter.endpoint("GetARI"), "application/json", JsonAdapters.bytes(root)));
  }

  @Override
  public ChannelAdapter.Snapshot snapshot(String property, List<Response> responses) {
    if (responses.size() != 1) {
      throw new IllegalArgumentException(
          "GetARI is one request; got " + responses.size() + " responses");
    }
    Response response = responses.get(0);
    JsonNode root;
    try {
      root = JsonAdapters.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalArgumentException("GetARI answer is not JSON: " + e.getMessage());
    }
    if (root == null || !root.path("Success").asBoolean(false)) {
      throw new IllegalArgumentException(
          "GetARI answer is not a success: HTTP "
              + response.status()
              + (root != null && root.has("ErrorCode")
                  ? ", error " + root.get("ErrorCode").asText() + " " + root.path("Error").asText()
                  : ""));
    }
    JsonNode ari = root.path("room_ari");
    if (!ari.isObject()) {
      throw new IllegalArgumentException("GetARI answer has no room_ari object");
    }
    String currency = root.path("currency").asText(null);
    Map<String, Cell> cells = new LinkedHashMap<>();
    TreeSet<String> unmapped = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ari.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      for (JsonNode row : e.getValue()) {
        read(property, currency, row, cells, unmapped);
      }
    }
    return new ChannelAdapter.Snapshot(new ArrayList<>(cells.values()), new ArrayList<>(unmapped));
  }

  private void read(
      String property,
      String currency,
      JsonNode row,
      Map<String, Cell> cells,
      TreeSet<String> unmapped) {
    String channelRoom = row.path("ota_room_id").asText("");
    String channelRate = row.path("ota_rate_id").asText("");
    String room = back.room(channelRoom).orElse(null);
    if (room == null) {
      unmapped.add(channelRoom);
      return;
    }
    LocalDate from;
    LocalDate to;
    try {
      from = LocalDate.parse(row.path("start_date").asText());
      to = LocalDate.parse(row.path("end_date").asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "GetARI row of room " + channelRoom + " has a bad date: " + e.getParsedString());
    }
    Integer units = row.path("units").isInt() ? row.path("units").intValue() : null;
    Rate rate = null;
    if (row.path("rate").isTextual()) {
      if (currency == null) {
        throw new IllegalArgumentException("GetARI answer has rates but no currency");
      }
      rate = new Rate(new BigDecimal(row.path("rate").textValue()), currency);
    }
    Integer maxLos = integer(row, "max_los");
    Restrictions r =
        new Restrictions(
            integer(row, "min_los"),
            maxLos == null || maxLos == 0 ? null : maxLos,
            bool(row, "close"),
            bool(row, "closearr"),
            bool(row, "closedep"));
    boolean ratePart = rate != null || !r.isEmpty();
    String plan = channelRate.isEmpty() ? null : back.ratePlan(channelRate).orElse(null);
    if (ratePart && plan == null) {
      unmapped.add(channelRoom + "/" + channelRate);
    }
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (units != null) {
        cells.putIfAbsent(
            room + "//" + d, new Cell(property, room, null, d, CellValues.ofAvailability(units)));
      }
      if (ratePart && plan != null) {
        cells.put(
            room + "/" + plan + "/" + d,
            new Cell(property, room, plan, d, new CellValues(rate, null, r.isEmpty() ? null : r)));
      }
    }
  }

  private static @Nullable Integer integer(JsonNode row, String name) {
    JsonNode v = row.get(name);
    return v != null && v.isInt() ? v.intValue() : null;
  }

  private static @Nullable Boolean bool(JsonNode row, String name) {
    JsonNode v = row.get(name);
    return v != null && v.isBoolean() ? v.booleanValue() : null;
  }
}
