package dev.paritysync.hotel.ari;

import org.jspecify.annotations.Nullable;

/**
 * What one cell holds. A rate-plan cell carries a rate and restrictions; a room-type cell (no rate
 * plan) carries availability. Absent values are null. Immutable; equality is value equality (rates
 * compare numerically), which is what range compression merges on.
 *
 * @param rate the rate, or null
 * @param availability the rooms left to sell, or null
 * @param restrictions the stay restrictions, or null
 */
public record CellValues(
    @Nullable Rate rate, @Nullable Integer availability, @Nullable Restrictions restrictions) {

  /** Values holding only {@code rate}. */
  public static CellValues ofRate(Rate rate) {
    return new CellValues(rate, null, null);
  }

  /** Values holding only {@code availability}. */
  public static CellValues ofAvailability(int availability) {
    return new CellValues(null, availability, null);
  }
}
