package dev.paritysync.core.archviolation;

import dev.paritysync.hotel.ari.RoomType;

/** A core class that depends on a hotel class: breaks the module table and the core's naming. */
public final class UsesHotel {
  private UsesHotel() {}

  static String describe(RoomType roomType) {
    return String.valueOf(roomType);
  }
}
