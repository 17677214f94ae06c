package dev.paritysync.sim;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One decoded update: a range of dates of one room (and rate plan) and the values to write. Any
 * field may be null; the engine validates required fields so every dialect gets the same rules.
 */
record AriUpdate(
    String room,
    String ratePlan,
    LocalDate from,
    LocalDate to,
    BigDecimal rate,
    String currency,
    Integer availability,
    Integer minLos,
    Integer maxLos,
    Boolean closed,
    Boolean closedToArrival,
    Boolean closedToDeparture) {

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
