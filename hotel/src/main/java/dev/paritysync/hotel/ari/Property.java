package dev.paritysync.hotel.ari;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A hotel and its room types. Immutable.
 *
 * @param code the PMS code, unique within the portfolio
 * @param zone the property's time zone: it decides which date is "today" for the property's cells
 * @param roomTypes the room types, with distinct codes
 */
public record Property(String code, ZoneId zone, List<RoomType> roomTypes) {
  public Property {
    Portfolio.requireCode(code, "property code");
    Objects.requireNonNull(zone, "zone");
    roomTypes = List.copyOf(roomTypes);
    Portfolio.requireDistinct(roomTypes.stream().map(RoomType::code).toList(), "room type", code);
  }

  /** A property in {@code zone} with the given room types. */
  public static Property of(String code, ZoneId zone, RoomType... roomTypes) {
    return new Property(code, zone, List.of(roomTypes));
  }

  /** The room type with {@code code}, if this property has one. */
  public Optional<RoomType> roomType(String code) {
    return roomTypes.stream().filter(r -> r.code().equals(code)).findFirst();
  }
}
