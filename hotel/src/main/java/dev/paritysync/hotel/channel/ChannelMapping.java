package dev.paritysync.hotel.channel;

import dev.paritysync.hotel.ari.Cell;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Translates PMS room type and rate plan codes into one channel's codes. A cell whose room type, or
 * rate plan, has no channel code is not sent to the channel; {@link #unmapped} says which.
 * Immutable and thread-safe.
 *
 * @param rooms PMS room type code → channel room code
 * @param ratePlans PMS rate plan code → channel rate code
 */
public record ChannelMapping(Map<String, String> rooms, Map<String, String> ratePlans) {
  public ChannelMapping {
    rooms = Map.copyOf(rooms);
    ratePlans = Map.copyOf(ratePlans);
  }

  /** A cell's codes on the channel; {@code ratePlan} is null for a room-type cell. Immutable. */
  public record Codes(String room, @Nullable String ratePlan) {}

  /** The channel's codes for {@code cell}, or empty when the cell is not mapped. */
  public Optional<Codes> map(Cell cell) {
    String room = rooms.get(cell.roomType());
    if (room == null) {
      return Optional.empty();
    }
    if (cell.ratePlan() == null) {
      return Optional.of(new Codes(room, null));
    }
    String rate = ratePlans.get(cell.ratePlan());
    return rate == null ? Optional.empty() : Optional.of(new Codes(room, rate));
  }

  /**
   * Which PMS codes among {@code cells} have no channel code, with the number of cells each kept
   * from the channel. A cell whose room type and rate plan are both unmapped counts for both.
   */
  public UnmappedReport unmapped(Collection<Cell> cells) {
    Map<String, Long> unmappedRooms = new TreeMap<>();
    Map<String, Long> unmappedPlans = new TreeMap<>();
    for (Cell cell : cells) {
      if (!rooms.containsKey(cell.roomType())) {
        unmappedRooms.merge(cell.roomType(), 1L, Long::sum);
      }
      if (cell.ratePlan() != null && !ratePlans.containsKey(cell.ratePlan())) {
        unmappedPlans.merge(cell.ratePlan(), 1L, Long::sum);
      }
    }
    return new UnmappedReport(unmappedRooms, unmappedPlans);
  }
}
