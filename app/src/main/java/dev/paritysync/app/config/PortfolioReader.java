package dev.paritysync.app.config;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code portfolio:} section of an engine file. Static. */
final class PortfolioReader {
  private PortfolioReader() {}

  /**
   * The properties, room types and rate plans of {@code portfolio}.
   *
   * @throws IllegalArgumentException naming the full key of the first bad or unknown value
   */
  static Portfolio read(ConfigMap portfolio) {
    ConfigMap properties = portfolio.child("properties");
    portfolio.rejectUnknown();
    if (properties.asMap().isEmpty()) {
      throw new IllegalArgumentException(properties.path() + ": is empty; list the properties");
    }
    List<Property> list = new ArrayList<>();
    for (String code : properties.asMap().keySet()) {
      list.add(property(code, properties.child(code)));
    }
    return Portfolio.of(list);
  }

  private static Property property(String code, ConfigMap p) {
    if (!p.has("timezone")) {
      throw new IllegalArgumentException(p.key("timezone") + ": is missing (e.g. Europe/Berlin)");
    }
    String tz = p.string("timezone", null);
    ZoneId zone;
    try {
      zone = ZoneId.of(tz);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(p.key("timezone") + ": '" + tz + "' is not a time zone");
    }
    ConfigMap rooms = p.child("rooms");
    if (rooms.asMap().isEmpty()) {
      throw new IllegalArgumentException(rooms.path() + ": is missing or empty; list room types");
    }
    p.rejectUnknown();
    List<RoomType> roomTypes = new ArrayList<>();
    for (String room : rooms.asMap().keySet()) {
      ConfigMap r = rooms.child(room);
      ConfigMap plans = r.child("ratePlans");
      r.rejectUnknown();
      List<RatePlan> ratePlans = new ArrayList<>();
      for (String plan : plans.asMap().keySet()) {
        String currency = plans.string(plan, null);
        try {
          ratePlans.add(RatePlan.of(plan, currency == null ? "" : currency));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new IllegalArgumentException(
              plans.key(plan) + ": '" + currency + "' is not an ISO 4217 currency", e);
        }
      }
      roomTypes.add(checked(rooms.key(room), () -> new RoomType(room, ratePlans)));
    }
    return checked(p.path(), () -> new Property(code, zone, roomTypes));
  }

  private static <T> T checked(String key, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }
}
