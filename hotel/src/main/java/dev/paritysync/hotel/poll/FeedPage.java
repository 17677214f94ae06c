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
      JsonNode n = list.get(i);
      String at = "/reservations/" + i;
      try {
        out.add(
            new Reservation(
                channel,
                text(n, "id", at),
                n.path("revision").asInt(),
                text(n, "property", at),
                rooms.get(text(n, "room", at)),
                text(n, "room", at),
                LocalDate.parse(text(n, "arrival", at)),
                LocalDate.parse(text(n, "departure", at)),
                Reservation.Status.of(text(n, "status", at))));
      } catch (DateTimeParseException | IllegalArgumentException e) {
        throw new IOException(at + ": " + e.getMessage(), e);
      }
    }
    return new FeedPage(root.get("cursor").asLong(), List.copyOf(out));
  }

  private static String text(JsonNode n, String field, String at) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException(at + "/" + field + ": required, a string");
    }
    return v.asText();
  }
}
