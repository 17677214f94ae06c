package dev.paritysync.hotel.batch;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Consecutive dates of one room type (and rate plan) that hold equal values: the unit a request
 * carries. Immutable.
 *
 * @param property the property code
 * @param roomType the room type code
 * @param ratePlan the rate plan code, or null for a room-type range (availability)
 * @param from the first date
 * @param to the last date, inclusive, not before {@code from}
 * @param values what every date of the range holds
 */
public record CellRange(
    String property,
    String roomType,
    @Nullable String ratePlan,
    LocalDate from,
    LocalDate to,
    CellValues values) {
  public CellRange {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(roomType, "roomType");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(values, "values");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("range ends " + to + " before it starts " + from);
    }
  }

  /** The number of dates in the range. */
  public long days() {
    return to.toEpochDay() - from.toEpochDay() + 1;
  }

  /** The cells the range stands for, in date order. */
  public List<Cell> cells() {
    return from.datesUntil(to.plusDays(1))
        .map(d -> new Cell(property, roomType, ratePlan, d, values))
        .toList();
  }
}
