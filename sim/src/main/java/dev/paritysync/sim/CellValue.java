package dev.paritysync.sim;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What the channel holds for one cell. A null field was never written. Rates keep the scale they
 * were sent with.
 */
public record CellValue(
    @Nullable BigDecimal rate,
    @Nullable String currency,
    @Nullable Integer availability,
    @Nullable Integer minLos,
    @Nullable Integer maxLos,
    @Nullable Boolean closed,
    @Nullable Boolean closedToArrival,
    @Nullable Boolean closedToDeparture) {

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

  private static <T> @Nullable T pick(@Nullable T newer, @Nullable T older) {
    return newer != null ? newer : older;
  }
}
