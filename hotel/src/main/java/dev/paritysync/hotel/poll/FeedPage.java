package dev.paritysync.hotel.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A page of a reservation feed: its cursor and the revisions it lists, in order. */
record FeedPage(long cursor, List<Reservation> reservations) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads a page; room codes are translated with {@code rooms} (channel code → PMS room type).
   *
   * @throws IOException naming the JSON pointer of the first field that is missing or wrong
   */
  static FeedPage parse(byte[] body, String channel, Map<String, String> rooms) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (root == null || !root.path("cursor").canConvertToLong()) {
      throw new IOException(
          "/cursor: required, a number; body starts "
              + new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8));
    }
    JsonNode list = root.path("reservations");
    if (!list.isArray()) {
      throw new IOException("/reservations: required, a list");
    }
    List<Reservation> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(reservation(list.get(i), "/reservations/" + i, channel, rooms));
    }
    return new FeedPage(root.get("cursor").asLong(), List.copyOf(out));
  }

  /**
   * Reads one reservation revision, the object at JSON pointer {@code at}: {@code id}, {@code
   * revision} (a whole number, at least 1), {@code property}, {@code room} (the channel's code,
   * translated with {@code rooms}), {@code arrival}, {@code departure} ({@code yyyy-MM-dd}, after
   * arrival) and {@code status} ({@code new}, {@code modified}, {@code cancelled}). Other fields
   * are ignored.
   *
   * @throws IOException naming the JSON pointer of the first field that is missing or wrong
   */
  static Reservation reservation(JsonNode n, String at, String channel, Map<String, String> rooms)
      throws IOException {
    if (n == null || !n.isObject()) {
      throw new IOException((at.isEmpty() ? "/" : at) + ": required, an object");
    }
    JsonNode revision = n.get("revision");
    if (revision == null
        || !revision.isIntegralNumber()
        || !revision.canConvertToInt()
        || revision.intValue() < 1) {
      throw new IOException(at + "/revision: required, a whole number from 1");
    }
    String room = text(n, "room", at);
    try {
      return new Reservation(
          channel,
          text(n, "id", at),
          revision.intValue(),
          text(n, "property", at),
          rooms.get(room),
          room,
          date(n, "arrival", at),
          date(n, "departure", at),
          Reservation.Status.of(text(n, "status", at)));
    } catch (IllegalArgumentException e) {
      throw new IOException((at.isEmpty() ? "/" : at) + ": " + e.getMessage(), e);
    }
  }

  private static LocalDate date(JsonNode n, String field, String at) throws IOException {
    String value = text(n, field, at);
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IOException(at + "/" + field + ": '" + value + "' is not a date yyyy-MM-dd", e);
    }
  }

  private static String text(JsonNode n, String field, String at) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException(at + "/" + field + ": required, a string");
    }
    return v.asText();
  }
}
