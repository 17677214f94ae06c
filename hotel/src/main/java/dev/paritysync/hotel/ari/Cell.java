package dev.paritysync.hotel.ari;

import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One ARI fact: what a property's room type (and, for rates and restrictions, rate plan) holds on
 * one date. Immutable.
 *
 * @param property the property code
 * @param roomType the room type code
 * @param ratePlan the rate plan code, or null for a room-type cell (availability)
 * @param date the stay date
 * @param values what the cell holds
 */
public record Cell(
    String property,
    String roomType,
    @Nullable String ratePlan,
    LocalDate date,
    CellValues values) {
  public Cell {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(roomType, "roomType");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(values, "values");
  }
}
