package dev.paritysync.sim;

import org.jspecify.annotations.Nullable;

/**
 * The simulator's own fields of an update ({@link AriUpdate}) and of a held cell ({@link CellKey}
 * and {@link CellValue}), named as the native dialect names them. A dialect's {@link FieldMap} says
 * what each is called on its wire.
 */
enum AriField {
  ROOM("room", true, true),
  RATE_PLAN("ratePlan", true, true),
  /** The first day of an update's range; not a cell field. */
  FROM("from", true, false),
  /** The last day of an update's range, inclusive; not a cell field. */
  TO("to", true, false),
  /** The day of a cell; not an update field. */
  DATE("date", false, true),
  RATE("rate", true, true),
  CURRENCY("currency", true, true),
  AVAILABILITY("availability", true, true),
  MIN_LOS("minLos", true, true),
  MAX_LOS("maxLos", true, true),
  CLOSED("closed", true, true),
  CLOSED_TO_ARRIVAL("closedToArrival", true, true),
  CLOSED_TO_DEPARTURE("closedToDeparture", true, true);

  private final String simName;
  private final boolean inUpdate;
  private final boolean inCell;

  AriField(String simName, boolean inUpdate, boolean inCell) {
    this.simName = simName;
    this.inUpdate = inUpdate;
    this.inCell = inCell;
  }

  /** The name the simulator's rules and field errors use ({@code minLos}). */
  String simName() {
    return simName;
  }

  /** Whether an update carries this field. */
  boolean inUpdate() {
    return inUpdate;
  }

  /** Whether a held cell carries this field. */
  boolean inCell() {
    return inCell;
  }

  /**
   * This field of the cell {@code key} → {@code value} as it goes on a wire: dates and rates as
   * strings (rates in plain notation, with the scale they were sent with), numbers and flags as
   * they are; null when the cell does not have it.
   */
  @Nullable Object of(CellKey key, CellValue value) {
    return switch (this) {
      case ROOM -> key.room();
      case RATE_PLAN -> key.ratePlan();
      case DATE -> key.date().toString();
      case FROM, TO -> null;
      case RATE -> value.rate() == null ? null : value.rate().toPlainString();
      case CURRENCY -> value.currency();
      case AVAILABILITY -> value.availability();
      case MIN_LOS -> value.minLos();
      case MAX_LOS -> value.maxLos();
      case CLOSED -> value.closed();
      case CLOSED_TO_ARRIVAL -> value.closedToArrival();
      case CLOSED_TO_DEPARTURE -> value.closedToDeparture();
    };
  }
}
