package dev.paritysync.sim;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One decoded update: a range of dates of one room (and rate plan) and the values to write. Any
 * field may be null; the engine validates required fields so every dialect gets the same rules.
 */
record AriUpdate(
    @Nullable String room,
    @Nullable String ratePlan,
    @Nullable LocalDate from,
    @Nullable LocalDate to,
    @Nullable BigDecimal rate,
    @Nullable String currency,
    @Nullable Integer availability,
    @Nullable Integer minLos,
    @Nullable Integer maxLos,
    @Nullable Boolean closed,
    @Nullable Boolean closedToArrival,
    @Nullable Boolean closedToDeparture) {

  boolean hasRateOrRestriction() {
    return rate != null
        || currency != null
        || minLos != null
        || maxLos != null
        || closed != null
        || closedToArrival != null
        || closedToDeparture != null;
  }

  CellValue value() {
    return new CellValue(
        rate, currency, availability, minLos, maxLos, closed, closedToArrival, closedToDeparture);
  }
}
