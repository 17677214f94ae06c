package dev.paritysync.hotel.poll;

import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One revision of a reservation as a channel reported it, with the room type translated to the
 * PMS's code. The nights held are {@code arrival} to the day before {@code departure}. Immutable.
 *
 * @param channel the channel that took it
 * @param id the channel's reservation id
 * @param revision grows with every modification or cancellation
 * @param property the property code (the channel's and the PMS's are the same)
 * @param roomType the PMS room type, or null when the channel's mapping does not know {@code
 *     channelRoom}
 * @param channelRoom the channel's room code
 * @param arrival the first night
 * @param departure the day of departure, after {@code arrival}
 * @param status new, modified or cancelled
 */
public record Reservation(
    String channel,
    String id,
    int revision,
    String property,
    @Nullable String roomType,
    String channelRoom,
    LocalDate arrival,
    LocalDate departure,
    Status status) {

  /** What happened to the reservation in this revision. */
  public enum Status {
    NEW,
    MODIFIED,
    CANCELLED;

    /** {@code new}, {@code modified} or {@code cancelled}, as feeds spell it. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The status a feed names.
     *
     * @throws IllegalArgumentException naming the value when it is none of the three
     */
    public static Status of(String code) {
      for (Status s : values()) {
        if (s.code().equals(code)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "status '" + code + "' is not one of new, modified, cancelled");
    }
  }

  public Reservation {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(channelRoom, "channelRoom");
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(departure, "departure");
    Objects.requireNonNull(status, "status");
    if (!departure.isAfter(arrival)) {
      throw new IllegalArgumentException(
          "reservation " + id + ": departure " + departure + " is not after arrival " + arrival);
    }
  }

  /** Whether this revision holds rooms (it is not cancelled). */
  boolean holdsRooms() {
    return status != Status.CANCELLED;
  }
}
