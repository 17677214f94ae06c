package dev.paritysync.sim;

import java.math.BigDecimal;

/**
 * What the channel holds for one cell. A null field was never written. Rates keep the scale they
 * were sent with.
 */
public record CellValue(
    BigDecimal rate,
    String currency,
    Integer availability,
    Integer minLos,
    Integer maxLos,
    Boolean closed,
    Boolean closedToArrival,
    Boolean closedToDeparture) {

  static final CellValue EMPTY = new CellValue(null, null, null, null, null, null, null, null);

  /** This value with every non-null field of {@code update} written over it. */
  CellValue merge(CellValue update) {
    return new CellValue(
        pick(update.rate, rate),
        pick(update.currency, currency),
        pick(update.availability, availability),
        pick(update.minLos, minLos),
        pick(update.maxLos, maxLos),
        pick(update.closed, closed),
        pick(update.closedToArrival, closedToArrival),
        pick(update.closedToDeparture, closedToDeparture));
  }

  private static <T> T pick(T newer, T older) {
    return newer != null ? newer : older;
  }
}
